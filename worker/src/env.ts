/** Bindings of the VCX API Worker (see worker/wrangler.jsonc). */
export interface Env {
  VCX_ENV: string;
}
