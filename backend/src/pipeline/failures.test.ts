import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  classify,
  decideFailure,
  DEFAULT_BACKOFF,
  hardFailure,
  transientFailure,
} from './failures.js';

const policy = { baseMs: 60_000, maxMs: 3_600_000, maxAttempts: 8, jitter: 0.2 };
const now = new Date('2026-03-02T10:00:00Z');

describe('failures', () => {
  it('backs off exponentially from the base and caps at the maximum', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, policy, noJitter) / 60_000)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60,
    ]);
  });

  it('draws jitter below the nominal delay, never above', () => {
    expect(backoffDelay(3, policy, () => 1)).toBe(Math.round(240_000 * 0.8));
    expect(backoffDelay(3, policy, () => 0.5)).toBe(Math.round(240_000 * 0.9));
  });

  it('retries a transient failure at now + delay, then flags it at the cap', () => {
    const t = classify(transientFailure('ups', '503 Service Unavailable'));
    expect(decideFailure(t, 0, now, policy, () => 0)).toEqual({
      state: 'retrying',
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + 60_000),
      reason: '503 Service Unavailable',
    });
    const last = decideFailure(t, policy.maxAttempts - 1, now, policy, () => 0);
    expect(last).toMatchObject({
      state: 'flagged',
      attempts: 8,
      reason: 'gave up after 8 attempts: 503 Service Unavailable',
    });
  });

  it('never flags a shipment in doubt, however many attempts', () => {
    const inDoubt = classify(transientFailure('in-doubt', 'shipment intent x is in doubt'));
    expect(decideFailure(inDoubt, 50, now, policy, () => 0)).toMatchObject({
      state: 'retrying',
      attempts: 51,
      nextAttemptAt: new Date(now.getTime() + 3_600_000),
    });
  });

  it('flags a hard failure at once with its message', () => {
    const h = classify(hardFailure('address', 'address needs correction'));
    expect(decideFailure(h, 0, now, DEFAULT_BACKOFF)).toMatchObject({
      state: 'flagged',
      category: 'address',
      reason: 'address needs correction',
    });
  });

  it('classifies client errors by their kind; auth is hard, in-doubt and unknown errors transient', () => {
    const err = (kind: string) => Object.assign(new Error(kind), { kind, system: 'ups' });
    expect(classify(err('hard'))).toMatchObject({ kind: 'hard', category: 'ups' });
    expect(classify(err('auth'))).toMatchObject({ kind: 'hard', category: 'ups-auth' });
    expect(classify(err('in-doubt')).kind).toBe('transient');
    expect(classify(err('transient')).kind).toBe('transient');
    expect(classify(new TypeError('x is undefined'))).toMatchObject({
      kind: 'transient',
      category: 'internal',
    });
  });
});
