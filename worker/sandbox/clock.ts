import type { Repo } from "./repo";

interface ClockSetting {
  /** When set, time stands still at this instant until moved. */
  frozenMs?: number;
  offsetMs: number;
}

/** The sandbox's injectable clock: real time plus an offset, or frozen (test mode sets it). */
export class Clock {
  constructor(private readonly repo: Repo) {}

  private get state(): ClockSetting {
    return this.repo.setting<ClockSetting>("clock") ?? { offsetMs: 0 };
  }

  now(): number {
    const s = this.state;
    return s.frozenMs ?? Date.now() + s.offsetMs;
  }

  set(ms: number, freeze: boolean): void {
    this.repo.setSetting("clock", freeze ? { frozenMs: ms, offsetMs: 0 } : { offsetMs: ms - Date.now() });
  }

  advance(ms: number): void {
    const s = this.state;
    if (s.frozenMs !== undefined) this.repo.setSetting("clock", { ...s, frozenMs: s.frozenMs + ms });
    else this.repo.setSetting("clock", { offsetMs: s.offsetMs + ms });
  }

  reset(): void {
    this.repo.setSetting("clock", { offsetMs: 0 });
  }
}
