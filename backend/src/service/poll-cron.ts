/**
 * node-schedule cron (with a seconds field) for "every N seconds". Intervals that divide a minute or an
 * hour map exactly; others are rounded to the nearest such interval, because cron cannot count across
 * the minute or hour boundary — the rounding is reported so the log says what actually runs.
 */
const MINUTE_DIVISORS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];
const HOUR_DIVISORS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export function cronForInterval(seconds: number): { cron: string; effectiveSeconds: number } {
  if (!Number.isFinite(seconds) || seconds < 1)
    throw new RangeError(`poll interval must be ≥ 1 s, got ${seconds}`);
  if (seconds < 60) {
    const s = nearest(
      MINUTE_DIVISORS.filter((d) => d < 60),
      seconds,
    );
    return { cron: `*/${s} * * * * *`, effectiveSeconds: s };
  }
  if (seconds < 3600) {
    const m = nearest(
      HOUR_DIVISORS.filter((d) => d < 60),
      seconds / 60,
    );
    return { cron: `0 */${m} * * * *`, effectiveSeconds: m * 60 };
  }
  const h = Math.max(1, Math.min(24, Math.round(seconds / 3600)));
  const hours = [1, 2, 3, 4, 6, 8, 12, 24].reduce((a, b) => (Math.abs(b - h) < Math.abs(a - h) ? b : a));
  return { cron: hours === 24 ? '0 0 0 * * *' : `0 0 */${hours} * * *`, effectiveSeconds: hours * 3600 };
}

function nearest(candidates: number[], value: number): number {
  return candidates.reduce((a, b) => (Math.abs(b - value) < Math.abs(a - value) ? b : a));
}
