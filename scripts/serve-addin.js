// A small static server for the built task pane (addin/dist) and the offline Office.js copy at /office-js/.
// Used by `npm start` (scripts/start.js) and the end-to-end test (test/addin/e2e.chromium.test.ts).
// HTTPS when given a key and certificate (Office requires it for sideloading), plain HTTP otherwise.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { extname, join, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".xml": "application/xml; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/**
 * @param {{ dir: string, mounts?: Record<string, string>, port?: number, host?: string,
 *           tls?: { key: string | Buffer, cert: string | Buffer } }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function serveAddin(options) {
  const roots = [
    ...Object.entries(options.mounts ?? {}).map(([prefix, dir]) => [prefix, resolve(dir)]),
    ["/", resolve(options.dir)],
  ];
  const handler = async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/") path = "/taskpane.html";
    const [prefix, dir] = roots.find(([p]) => path.startsWith(p)) ?? [];
    const file = resolve(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(404).end();
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": "no-store",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  };
  const server = options.tls ? createHttps(options.tls, handler) : createHttp(handler);
  const host = options.host ?? "localhost";
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => ok(undefined));
  });
  const port = server.address().port;
  return {
    url: `${options.tls ? "https" : "http"}://${host}:${port}`,
    port,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}
