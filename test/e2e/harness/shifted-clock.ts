/**
 * Time travel for a whole process: `Date` (and so the connector's clock, its backoff, leases and the
 * sandboxes' clocks, which read Date.now) runs `offset` ahead of the wall clock. Acceptance tests use it
 * where production waits minutes — a retry backoff of 60 s, a lease left by a killed process — instead of
 * adding test hooks to production code. Timers (setTimeout) are untouched.
 */
const RealDate = Date;
let offsetMs = 0;
let installed = false;

class ShiftedDate extends RealDate {
  constructor(...args: ConstructorParameters<DateConstructor> | []) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }
  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}

export function installShiftedClock(initialOffsetMs = 0): { advance(ms: number): void; offsetMs(): number } {
  offsetMs = initialOffsetMs;
  if (!installed) {
    globalThis.Date = ShiftedDate as DateConstructor;
    installed = true;
  }
  return {
    advance: (ms) => void (offsetMs += ms),
    offsetMs: () => offsetMs,
  };
}
