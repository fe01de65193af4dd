import { describe, expect, it } from 'vitest';
import type { CycleResult } from './runner.js';
import { schedulePipeline } from './schedule.js';

const empty: CycleResult = { poll: null, processed: {} };

describe('schedulePipeline', () => {
  it('never runs two cycles of one tenant at once, and stop() waits for the one in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const pipeline = {
      runCycle: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 30));
        active -= 1;
        finished += 1;
        return empty;
      },
    };
    const s = schedulePipeline(pipeline, [{ tenantId: 'a', cron: '0 0 1 1 *' }]);
    const first = s.runNow('a');
    const second = s.runNow('a');
    expect(await second).toBeNull();
    expect(await first).toEqual(empty);
    expect(maxActive).toBe(1);
    void s.runNow('a');
    await s.stop();
    expect(finished).toBe(2);
  });

  it('runs cycles on the cron schedule and reports errors without stopping', async () => {
    const seen: string[] = [];
    let calls = 0;
    const pipeline = {
      runCycle: async (tenantId: string) => {
        calls += 1;
        if (calls === 1) throw new Error('fusion down');
        seen.push(tenantId);
        return empty;
      },
    };
    const errors: string[] = [];
    const s = schedulePipeline(pipeline, [{ tenantId: 't1', cron: '* * * * * *' }], {
      onError: (_t, e) => errors.push((e as Error).message),
    });
    await new Promise((r) => setTimeout(r, 2300));
    await s.stop();
    expect(errors).toEqual(['fusion down']);
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });
});
