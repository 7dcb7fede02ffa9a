import type { XeroSandbox } from "./sandbox-object";

/** Bindings of the Xero sandbox Worker (see worker/sandbox/wrangler.jsonc). */
export interface SandboxEnv {
  /** "test" switches on fault injection and the clock/limit controls. */
  SANDBOX_MODE: string;
  SANDBOX: DurableObjectNamespace<XeroSandbox>;
}
