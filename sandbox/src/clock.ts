/**
 * The sandboxes' notion of time. Tests and demos advance it through the scenario API to make tokens and
 * Track Alert subscriptions expire, or packages move, without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  /** Moves time forward (never backward: UPS and Fusion clocks do not run backwards). */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`clock can only advance by a positive duration, got ${ms}`);
    this.offsetMs += ms;
    return this.now();
  }

  /** Stops the clock at its current reading (or at `at`), for fully deterministic tests. */
  freeze(at?: Date): void {
    const target = at ? at.getTime() : this.nowMs();
    this.frozenAt = target;
    this.offsetMs = 0;
  }

  unfreeze(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt + this.offsetMs - Date.now();
    this.frozenAt = null;
  }
}
