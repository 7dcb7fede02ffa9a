/**
 * Test-mode fault injection. Each fault applies to the next `count` matching Accounting API calls:
 * - "error": answer `status` (500/503) without doing anything;
 * - "lost-response": do the work and commit (idempotency cache included), then answer 504 with no
 *   body — the client never sees the result but the document exists;
 * - "rate-limit": answer 429 with Retry-After / X-Rate-Limit-Problem;
 * - "delay": hold the call `delayMs` while it occupies a concurrency slot, then proceed.
 */
import { z } from "zod";
import type { Repo } from "./repo";

export const FaultSchema = z.object({
  kind: z.enum(["error", "lost-response", "rate-limit", "delay"]),
  count: z.number().int().positive().default(1),
  status: z.union([z.literal(500), z.literal(503)]).default(500),
  retryAfter: z.number().int().positive().default(30),
  problem: z.enum(["minute", "day", "concurrent", "appminute"]).default("minute"),
  delayMs: z.number().int().nonnegative().max(30_000).default(100),
  method: z.string().optional(),
  pathPrefix: z.string().optional(),
});

export type Fault = z.infer<typeof FaultSchema> & { id: string };

export class Faults {
  constructor(private readonly repo: Repo) {}

  list(): Fault[] {
    return this.repo.setting<Fault[]>("faults") ?? [];
  }

  add(f: z.infer<typeof FaultSchema>): Fault {
    const fault = { ...f, id: crypto.randomUUID() };
    this.repo.setSetting("faults", [...this.list(), fault]);
    return fault;
  }

  clear(): void {
    this.repo.setSetting("faults", []);
  }

  /** Consume and return the first fault matching this call, if any. */
  take(method: string, path: string): Fault | undefined {
    const faults = this.list();
    const i = faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.pathPrefix || path.toLowerCase().startsWith(f.pathPrefix.toLowerCase())),
    );
    const f = faults[i];
    if (!f) return undefined;
    const rest =
      f.count > 1
        ? faults.map((x, j) => (j === i ? { ...x, count: x.count - 1 } : x))
        : faults.filter((_, j) => j !== i);
    this.repo.setSetting("faults", rest);
    return f;
  }
}
