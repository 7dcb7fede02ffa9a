/** The engine's notion of time: injectable so tests and the soak run on the sandbox's clock. */
export interface Clock {
  now(): number;
  /** Resolve after `ms` (a virtual clock just moves time on). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A virtual clock: sleeping moves time forward at once, and `onAdvance` lets a test move the sandbox's
 * clock by the same amount — so the engine's minute window and Xero's stay in step, and 10,000 documents
 * "take" their simulated minutes in milliseconds of real time.
 */
export class VirtualClock implements Clock {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private t: number,
    private readonly onAdvance?: (ms: number, now: number) => Promise<void> | void,
  ) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    // Serialised: concurrent sleepers advance to their wake time, never backwards.
    const wake = this.t + Math.max(0, ms);
    this.chain = this.chain.then(async () => {
      if (wake <= this.t) return;
      const delta = wake - this.t;
      this.t = wake;
      await this.onAdvance?.(delta, this.t);
    });
    return this.chain;
  }
  /** Move time without sleeping (tests: "six minutes pass"). */
  async advance(ms: number): Promise<void> {
    await this.sleep(ms);
  }
}
