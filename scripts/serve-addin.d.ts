export interface AddinServer {
  /** Origin the pane is served from, e.g. http://localhost:3000. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function serveAddin(options: {
  /** The built pane (addin/dist). */
  dir: string;
  /** Extra directories: URL prefix (with trailing slash) → directory. */
  mounts?: Record<string, string>;
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  tls?: { key: string | Buffer; cert: string | Buffer };
}): Promise<AddinServer>;
