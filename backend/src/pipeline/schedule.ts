/**
 * Runs the pipeline on a schedule: one node-schedule job per tenant (cron, default every minute; an idle
 * cycle is one small Fusion request). A cycle that is still running when the next tick comes is not
 * doubled up: the tick is skipped. `stop()` cancels the jobs and waits for cycles in flight, so a graceful
 * shutdown never cuts a step in half.
 */
import schedule from 'node-schedule';
import type { CycleResult, Pipeline } from './runner.js';

export const DEFAULT_POLL_CRON = '*/1 * * * *';

export interface ScheduledTenant {
  tenantId: string;
  /** Cron with optional seconds field, e.g. every 30 s: star-slash-30 followed by five stars. */
  cron?: string;
}

export interface PipelineSchedule {
  /** Runs one cycle for a tenant now (the `sync --once` path), unless one is already running. */
  runNow(tenantId: string): Promise<CycleResult | null>;
  stop(): Promise<void>;
}

export function schedulePipeline(
  pipeline: Pick<Pipeline, 'runCycle'>,
  tenants: ScheduledTenant[],
  hooks: {
    onCycle?: (tenantId: string, result: CycleResult) => void;
    onError?: (tenantId: string, error: unknown) => void;
  } = {},
): PipelineSchedule {
  const running = new Map<string, Promise<CycleResult | null>>();
  const run = (tenantId: string): Promise<CycleResult | null> => {
    const current = running.get(tenantId);
    if (current) return current.then(() => null);
    const cycle = pipeline
      .runCycle(tenantId)
      .then((result) => {
        hooks.onCycle?.(tenantId, result);
        return result;
      })
      .catch((error: unknown) => {
        hooks.onError?.(tenantId, error);
        return null;
      })
      .finally(() => running.delete(tenantId));
    running.set(tenantId, cycle);
    return cycle;
  };
  const jobs = tenants.map((t) =>
    schedule.scheduleJob(`pipeline:${t.tenantId}`, t.cron ?? DEFAULT_POLL_CRON, () => void run(t.tenantId)),
  );
  return {
    runNow: run,
    async stop() {
      for (const job of jobs) job?.cancel();
      await Promise.allSettled([...running.values()]);
    },
  };
}
