/**
 * One organisation's Xero budget: ≤ 5 calls in flight, ≤ 60 starts in any 60 s (which keeps Xero's fixed
 * minute window under 60 too), the daily budget, a hard stop until `Retry-After` after a 429, and the
 * server's own view from X-MinLimit-Remaining / X-DayLimit-Remaining (other apps or instances may have
 * spent some). State is kept in the store so a restarted Durable Object does not burst.
 */
import type { Clock } from "./clock";
import type { PostingStore } from "./store";

export interface LimiterOptions {
  concurrent?: number;
  perMinute?: number;
  perDay?: number;
}

interface LimiterState {
  /** Start times (ms) of the calls in the last minute. */
  starts: number[];
  dayStart: number;
  dayCount: number;
  blockedUntil: number;
  /** Xero's own count at `at`: at most `remaining` more starts until at + 60 s. */
  minute?: { at: number; remaining: number; since: number };
  day?: { at: number; remaining: number; since: number };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const META = "rate-limiter";

export type Release = () => void;

export class RateLimiter {
  readonly concurrent: number;
  readonly perMinute: number;
  readonly perDay: number;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private state: LimiterState;
  /** Calls started (for figures). */
  started = 0;

  constructor(
    private readonly clock: Clock,
    private readonly store?: PostingStore,
    opts: LimiterOptions = {},
  ) {
    this.concurrent = opts.concurrent ?? 5;
    this.perMinute = opts.perMinute ?? 60;
    this.perDay = opts.perDay ?? 5000;
    this.state = store?.getMeta<LimiterState>(META) ?? {
      starts: [],
      dayStart: clock.now(),
      dayCount: 0,
      blockedUntil: 0,
    };
  }

  private save(): void {
    this.store?.setMeta(META, this.state);
  }

  /** Earliest time a call may start (ignoring concurrency), given what is known now. */
  private earliest(now: number): number {
    const s = this.state;
    s.starts = s.starts.filter((t) => t > now - MINUTE);
    if (now - s.dayStart >= DAY) {
      s.dayStart = now;
      s.dayCount = 0;
    }
    let t = Math.max(now, s.blockedUntil);
    if (s.starts.length >= this.perMinute)
      t = Math.max(t, (s.starts[s.starts.length - this.perMinute] ?? now) + MINUTE);
    if (s.minute && now < s.minute.at + MINUTE && s.minute.since >= s.minute.remaining) {
      t = Math.max(t, s.minute.at + MINUTE);
    }
    if (s.dayCount >= this.perDay) t = Math.max(t, s.dayStart + DAY);
    if (s.day && s.day.since >= s.day.remaining) t = Math.max(t, s.day.at + DAY);
    return t;
  }

  /** How long (ms) until a call could start; 0 = now. */
  waitMs(): number {
    return Math.max(0, this.earliest(this.clock.now()) - this.clock.now());
  }

  /**
   * Wait for a slot. `maxWaitMs`: when the wait is longer, return `{ until }` instead of sleeping
   * (a Durable Object sets an alarm rather than holding the request open).
   */
  async acquire(maxWaitMs = Number.POSITIVE_INFINITY): Promise<Release | { until: number }> {
    for (;;) {
      if (this.inFlight >= this.concurrent) {
        await new Promise<void>((r) => this.waiters.push(r));
        continue;
      }
      const now = this.clock.now();
      const at = this.earliest(now);
      if (at > now) {
        if (at - now > maxWaitMs) return { until: at };
        await this.clock.sleep(at - now);
        continue;
      }
      this.inFlight += 1;
      const s = this.state;
      s.starts.push(now);
      s.dayCount += 1;
      if (s.minute) s.minute.since += 1;
      if (s.day) s.day.since += 1;
      this.started += 1;
      this.save();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.waiters.shift()?.();
      };
    }
  }

  /** Learn from a reply's headers: Retry-After on 429, X-MinLimit-Remaining, X-DayLimit-Remaining. */
  observe(status: number, headers: Headers): void {
    const now = this.clock.now();
    const s = this.state;
    const num = (name: string) => {
      const v = headers.get(name);
      return v === null || v === "" || Number.isNaN(Number(v)) ? undefined : Number(v);
    };
    if (status === 429) {
      const retry = num("retry-after") ?? 60;
      s.blockedUntil = Math.max(s.blockedUntil, now + retry * 1000);
      // The rejected call did not count at Xero.
      s.dayCount = Math.max(0, s.dayCount - 1);
    }
    const minute = num("x-minlimit-remaining");
    if (minute !== undefined) s.minute = { at: now, remaining: minute, since: 0 };
    const day = num("x-daylimit-remaining");
    if (day !== undefined) s.day = { at: now, remaining: day, since: 0 };
    this.save();
  }
}
