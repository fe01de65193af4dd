import { describe, expect, it } from 'vitest';
import { cronForInterval } from './poll-cron.js';

describe('cronForInterval', () => {
  it('maps the default minute and exact divisors exactly', () => {
    expect(cronForInterval(60)).toEqual({ cron: '0 */1 * * * *', effectiveSeconds: 60 });
    expect(cronForInterval(15)).toEqual({ cron: '*/15 * * * * *', effectiveSeconds: 15 });
    expect(cronForInterval(300)).toEqual({ cron: '0 */5 * * * *', effectiveSeconds: 300 });
    expect(cronForInterval(7200)).toEqual({ cron: '0 0 */2 * * *', effectiveSeconds: 7200 });
  });

  it('rounds intervals cron cannot express and says so', () => {
    expect(cronForInterval(45).effectiveSeconds).toBe(30);
    expect(cronForInterval(420).effectiveSeconds).toBe(360);
    expect(cronForInterval(86400)).toEqual({ cron: '0 0 0 * * *', effectiveSeconds: 86400 });
  });

  it('refuses nonsense', () => {
    expect(() => cronForInterval(0)).toThrow(/≥ 1 s/);
  });
});
