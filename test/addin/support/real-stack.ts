/**
 * The real local stack for end-to-end tests, as `npm start` runs it: the Xero sandbox Worker and the VCX API
 * Worker under `wrangler dev` on free ports with a throw-away persistence directory (D1 migrated first),
 * and the built task pane from scripts/serve-addin.js. Each wrangler runs in its own process group, so
 * `close()` stops it together with its workerd children.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAddin } from "../../../scripts/build-addin";
import { type AddinServer, serveAddin } from "../../../scripts/serve-addin.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const WRANGLER = join(root, "node_modules/.bin/wrangler");
const ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CI: "true",
};

export interface RealStack {
  /** VCX API Worker origin. */
  api: string;
  /** Xero sandbox origin. */
  sandbox: string;
  /** Task pane origin (serves the build and /office-js/). */
  pane: string;
  /** Everything wrangler printed (for failure messages). */
  output: () => string;
  close(): Promise<void>;
}

/** `n` distinct free ports (all held open together, then released for wrangler to take). */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok))));
  const ports = servers.map((s) => {
    const address = s.address();
    if (!address || typeof address === "string") throw new Error("no free port");
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
  return ports;
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`wrangler exited before ${url} answered:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const hard = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(hard);
      // workerd may outlive wrangler for a moment: make sure the whole group is gone.
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
      resolve();
    });
    try {
      process.kill(-pid, "SIGINT");
    } catch {
      resolve();
    }
  });
}

export async function startRealStack(options: { addinDir: string }): Promise<RealStack> {
  const persist = mkdtempSync(join(tmpdir(), "vcx-e2e-state-"));
  const children: ChildProcess[] = [];
  let log = "";
  const output = () => log.slice(-8000);
  let pane: AddinServer | undefined;

  // Safety net if the test process exits without afterAll (e.g. a hard timeout): no stray workerd.
  const killAll = () => {
    for (const c of children)
      if (c.pid !== undefined && c.exitCode === null && c.signalCode === null)
        try {
          process.kill(-c.pid, "SIGKILL");
        } catch {
          // already gone
        }
  };
  process.once("exit", killAll);

  const close = async () => {
    process.off("exit", killAll);
    await Promise.all(children.map(stopGroup));
    await pane?.close();
    rmSync(persist, { recursive: true, force: true });
  };

  try {
    const [sandboxPort, apiPort, sandboxInspector, apiInspector] = (await freePorts(4)) as [
      number,
      number,
      number,
      number,
    ];
    const api = `http://localhost:${apiPort}`;
    const sandbox = `http://localhost:${sandboxPort}`;

    // The pane first: the API must list its origin for CORS and the sign-in return page.
    pane = await serveAddin({
      dir: options.addinDir,
      mounts: { "/office-js/": join(root, "node_modules/@microsoft/office-js/dist") },
    });
    await buildAddin({ outDir: options.addinDir, apiUrl: api, officeJs: "local" });

    const migrate = spawnSync(
      WRANGLER,
      ["d1", "migrations", "apply", "vcx", "--local", "--persist-to", persist, "-c", "worker/wrangler.jsonc"],
      { cwd: root, env: ENV, encoding: "utf8" },
    );
    if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

    const run = (name: string, args: string[]) => {
      const child = spawn(WRANGLER, args, {
        cwd: root,
        env: ENV,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (c: Buffer) => {
        log += `[${name}] ${c}`;
      });
      child.stderr?.on("data", (c: Buffer) => {
        log += `[${name}] ${c}`;
      });
      children.push(child);
      return child;
    };
    const common = ["--ip", "127.0.0.1", "--persist-to", persist, "--show-interactive-dev-session=false"];
    const sandboxChild = run("sandbox", [
      "dev",
      "-c",
      "worker/sandbox/wrangler.jsonc",
      "--port",
      String(sandboxPort),
      "--inspector-port",
      String(sandboxInspector),
      ...common,
    ]);
    const vars = {
      VCX_ENV: "development",
      XERO_LOGIN_URL: `${sandbox}/identity/connect/authorize`,
      XERO_IDENTITY_URL: sandbox,
      XERO_API_URL: sandbox,
      XERO_CLIENT_ID: "VCXSANDBOXCLIENTID",
      XERO_CLIENT_SECRET: "vcx-sandbox-secret",
      XERO_REDIRECT_URI: `${api}/v1/auth/xero/callback`,
      XERO_WEBHOOK_KEY: "e2e-webhook-key",
      TOKEN_ENCRYPTION_KEY: "ZTJlLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmctLS0tLS0=",
      ADDIN_ORIGINS: pane.url,
    };
    const apiChild = run("api", [
      "dev",
      "-c",
      "worker/wrangler.jsonc",
      "--port",
      String(apiPort),
      "--inspector-port",
      String(apiInspector),
      ...common,
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ]);
    await Promise.all([
      waitFor(`${sandbox}/sandbox`, sandboxChild, output),
      waitFor(`${api}/health`, apiChild, output),
    ]);
    return { api, sandbox, pane: pane.url, output, close };
  } catch (e) {
    await close();
    throw e;
  }
}
