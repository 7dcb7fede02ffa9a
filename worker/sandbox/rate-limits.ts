/**
 * Xero's limits per tenant and app: 5 concurrent, 60 per minute, a daily budget (5,000; 1,000 on the
 * Starter tier); 10,000 per minute per app across tenants. Fixed windows on the sandbox clock (the real
 * daily window resets at a tenant-specific time; here at 00:00 UTC). Rejected calls are not counted.
 */
import { problem } from "./problems";

export const CONCURRENT_LIMIT = 5;
export const MINUTE_LIMIT = 60;
export const APP_MINUTE_LIMIT = 10_000;

export type LimitProblem = "concurrent" | "minute" | "day" | "appminute";

export interface LimitState {
  headers: Record<string, string>;
  problem?: LimitProblem;
  retryAfterSeconds?: number;
}

export class RateLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly sql: SqlStorage) {}

  private count(scope: string, window: number): number {
    const row = this.sql.exec("SELECT window, count FROM rate_windows WHERE scope = ?", scope).toArray()[0];
    return row && Number(row["window"]) === window ? Number(row["count"]) : 0;
  }

  private bump(scope: string, window: number): void {
    const n = this.count(scope, window) + 1;
    this.sql.exec(
      "INSERT INTO rate_windows (scope, window, count) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET window = excluded.window, count = excluded.count",
      scope,
      window,
      n,
    );
  }

  /** Check every limit and, when allowed, count the call. */
  take(now: number, appId: string, tenantId: string, dailyLimit: number, appMinuteLimit: number): LimitState {
    const minute = Math.floor(now / 60_000);
    const dayWin = Math.floor(now / 86_400_000);
    const key = `${appId}:${tenantId}`;
    const used = {
      minute: this.count(`min:${key}`, minute),
      day: this.count(`day:${key}`, dayWin),
      app: this.count(`app:${appId}`, minute),
    };
    const toMinuteEnd = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
    const toDayEnd = Math.max(1, Math.ceil(((dayWin + 1) * 86_400_000 - now) / 1000));
    let problemKind: LimitProblem | undefined;
    let retry: number | undefined;
    if ((this.inFlight.get(key) ?? 0) >= CONCURRENT_LIMIT) [problemKind, retry] = ["concurrent", 1];
    else if (used.day >= dailyLimit) [problemKind, retry] = ["day", toDayEnd];
    else if (used.minute >= MINUTE_LIMIT) [problemKind, retry] = ["minute", toMinuteEnd];
    else if (used.app >= appMinuteLimit) [problemKind, retry] = ["appminute", toMinuteEnd];
    if (!problemKind) {
      this.bump(`min:${key}`, minute);
      this.bump(`day:${key}`, dayWin);
      this.bump(`app:${appId}`, minute);
      used.minute += 1;
      used.day += 1;
      used.app += 1;
    }
    return {
      headers: {
        "X-DayLimit-Remaining": String(Math.max(0, dailyLimit - used.day)),
        "X-MinLimit-Remaining": String(Math.max(0, MINUTE_LIMIT - used.minute)),
        "X-AppMinLimit-Remaining": String(Math.max(0, appMinuteLimit - used.app)),
      },
      problem: problemKind,
      retryAfterSeconds: retry,
    };
  }

  acquire(appId: string, tenantId: string): () => void {
    const key = `${appId}:${tenantId}`;
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return () => this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 1) - 1));
  }
}

/** 429 as Xero sends it: Retry-After (seconds) and X-Rate-Limit-Problem. Body shape [unverified]. */
export function tooManyRequests(
  problemKind: LimitProblem,
  retryAfter: number,
  headers: Record<string, string>,
) {
  return problem(429, "Too Many Requests", `Rate limit exceeded: ${problemKind}`, {
    ...headers,
    "Retry-After": String(retryAfter),
    "X-Rate-Limit-Problem": problemKind,
  });
}
