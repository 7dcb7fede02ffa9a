/** Where the Worker API lives: the build writes it into <meta name="vcx-api">; `?api=` overrides it in dev. */
export function apiBaseUrl(doc: Document, href: string): string {
  const fromQuery = new URL(href).searchParams.get("api");
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="vcx-api"]')?.content;
  return fromQuery || meta || "http://localhost:8787";
}
