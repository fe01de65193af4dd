/** Deterministic randomness for the seed generator (mulberry32) and small helpers over it. */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for test data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
export const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function fail(message: string): never {
  throw new Error(message);
}
