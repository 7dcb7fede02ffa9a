/**
 * `npm run build:addin`: bundles the task pane (esbuild, IIFE, minified) into addin/dist with its HTML,
 * CSS, generated icons and the manifest, whose development URLs are rewritten for production.
 *
 *   VCX_ADDIN_URL  https origin + path the pane is served from   (default https://localhost:3000/)
 *   VCX_API_URL    the Worker API                                 (default http://localhost:8787)
 *   VCX_OFFICE_JS  "cdn" (default) or "local" (serve node_modules/@microsoft/office-js at office-js/)
 */
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";
import { build } from "esbuild";

export const DEV_ADDIN_URL = "https://localhost:3000/";
export const DEV_API_ORIGIN = "https://localhost:8787";
export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

export interface BuildOptions {
  outDir?: string;
  addinUrl?: string;
  apiUrl?: string;
  officeJs?: "cdn" | "local";
  minify?: boolean;
}

export interface BuildResult {
  outDir: string;
  /** Bytes of each emitted JS/CSS file. */
  sizes: Record<string, number>;
  manifest: string;
}

/** The manifest with its development URLs replaced. Throws for non-HTTPS URLs (Office refuses them). */
export function rewriteManifest(xml: string, addinUrl: string, apiUrl: string): string {
  const base = addinUrl.endsWith("/") ? addinUrl : `${addinUrl}/`;
  if (!/^https:\/\//.test(base)) throw new Error(`VCX_ADDIN_URL must be an https:// URL, not ${addinUrl}`);
  const api = new URL(apiUrl);
  // The local Worker runs on plain http; the manifest only lists it as an AppDomain, which must be https.
  const apiOrigin =
    api.hostname === "localhost" || api.hostname === "127.0.0.1" ? DEV_API_ORIGIN : api.origin;
  if (!apiOrigin.startsWith("https://"))
    throw new Error(`VCX_API_URL must be https:// in production, not ${apiUrl}`);
  return xml.replaceAll(DEV_ADDIN_URL, base).replaceAll(DEV_API_ORIGIN, apiOrigin);
}

export async function buildAddin(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? join(root, "addin/dist");
  const addinUrl = options.addinUrl ?? DEV_ADDIN_URL;
  const apiUrl = options.apiUrl ?? "http://localhost:8787";
  const officeJs = options.officeJs === "local" ? "office-js/office.js" : OFFICE_JS_CDN;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, "assets"), { recursive: true });

  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      taskpane: "addin/src/taskpane.ts",
      dialog: "addin/src/dialog.ts",
      commands: "addin/src/commands.ts",
    },
    outdir: outDir,
    bundle: true,
    format: "iife",
    // Excel's WebViews: Edge WebView2, Safari WKWebView (Mac/iPad) — ES2020 is safe for all current clients.
    target: ["es2020", "safari15"],
    minify: options.minify ?? true,
    sourcemap: "linked",
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
  });

  const sizes: Record<string, number> = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs))
    if (!file.endsWith(".map")) sizes[file.split("/").pop() ?? file] = meta.bytes;

  const subst = (html: string) =>
    html.replaceAll("%VCX_API_URL%", apiUrl).replaceAll("%OFFICE_JS_URL%", officeJs);
  for (const page of ["taskpane.html", "dialog.html", "commands.html", "help.html"])
    await writeFile(join(outDir, page), subst(await readFile(join(root, "addin/src", page), "utf8")));
  await copyFile(join(root, "addin/src/taskpane.css"), join(outDir, "taskpane.css"));
  sizes["taskpane.css"] = (await readFile(join(outDir, "taskpane.css"))).byteLength;

  for (const [name, glyph] of Object.entries(GLYPHS))
    for (const size of [16, 32, 64, 80, 128])
      await writeFile(join(outDir, "assets", `${name}-${size}.png`), iconPng(size, glyph));

  const manifest = rewriteManifest(await readFile(join(root, "manifest.xml"), "utf8"), addinUrl, apiUrl);
  await writeFile(join(outDir, "manifest.xml"), manifest);
  return { outDir, sizes, manifest };
}

// ---- icons: drawn in code so the repository holds no binaries ---------------------------------

type Segment = [number, number, number, number];
const GLYPHS: Record<string, Segment[]> = {
  icon: [
    [0.28, 0.3, 0.5, 0.72],
    [0.5, 0.72, 0.72, 0.3],
  ],
  import: [
    [0.5, 0.24, 0.5, 0.7],
    [0.32, 0.52, 0.5, 0.7],
    [0.5, 0.7, 0.68, 0.52],
    [0.28, 0.78, 0.72, 0.78],
  ],
  post: [
    [0.5, 0.76, 0.5, 0.3],
    [0.32, 0.48, 0.5, 0.3],
    [0.5, 0.3, 0.68, 0.48],
    [0.28, 0.22, 0.72, 0.22],
  ],
};

function distanceToSegment(px: number, py: number, [x1, y1, x2, y2]: Segment): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** A green rounded square with a white glyph, as an RGBA PNG (anti-aliased by 4×4 supersampling). */
export function iconPng(size: number, glyph: Segment[]): Uint8Array {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const stroke = 0.075;
  const radius = 0.18;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const u = (x + (sx + 0.5) / 4) / size;
          const v = (y + (sy + 0.5) / 4) / size;
          const cx = Math.min(Math.max(u, radius), 1 - radius);
          const cy = Math.min(Math.max(v, radius), 1 - radius);
          if (Math.hypot(u - cx, v - cy) <= radius) {
            bg++;
            if (glyph.some((s) => distanceToSegment(u, v, s) <= stroke)) fg++;
          }
        }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const f = fg / 16;
      raw[o] = Math.round(0x10 + (255 - 0x10) * (bg ? f / (bg / 16) : 0));
      raw[o + 1] = Math.round(0x7c + (255 - 0x7c) * (bg ? f / (bg / 16) : 0));
      raw[o + 2] = Math.round(0x41 + (255 - 0x41) * (bg ? f / (bg / 16) : 0));
      raw[o + 3] = Math.round((bg / 16) * 255);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await buildAddin({
    addinUrl: process.env["VCX_ADDIN_URL"] || DEV_ADDIN_URL,
    apiUrl: process.env["VCX_API_URL"] || "http://localhost:8787",
    officeJs: process.env["VCX_OFFICE_JS"] === "local" ? "local" : "cdn",
  });
  for (const [file, bytes] of Object.entries(r.sizes))
    console.log(`${file.padEnd(16)} ${(bytes / 1024).toFixed(1)} KiB`);
  console.log(`→ ${r.outDir}`);
}
