/**
 * The tracking jobs of a tenant, and their schedule. Each job runs under a named lease per tenant (rows in
 * the jobs table, shared with the pipeline), so with several instances only one runs it at a time; within
 * one process a tick that finds its job still running is skipped. `stop()` cancels the schedule and waits
 * for jobs in flight.
 *
 * - subscribeNew: Track Alert for new labels (then flushes status write-backs);
 * - renewDue: renewal 24 h before expiry, fallback + alert on failure;
 * - pollFallback: Quantum View for fallback numbers; after a failed poll, the next one replays the missed
 *   window by DateTimeRange;
 * - reconcile: Tracking API for every followed number (run at start: the receiver was down meanwhile).
 */
import { randomUUID } from 'node:crypto';
import schedule from 'node-schedule';
import { leaseStore } from '../pipeline/adapters/storage-ports.js';
import { pollQuantumView, type FallbackReport } from './quantum-view-fallback.js';
import { reconcile, type ReconcileReport } from './reconcile.js';
import { renewDueSubscriptions, type RenewReport } from './renew-subscriptions.js';
import { subscribeNewLabels, type SubscribeReport } from './subscribe-new-labels.js';
import { lastQuantumViewPageAt } from './tracking-queries.js';
import { nowOf, type TrackingDeps } from './tracking-deps.js';
import { flushStatusWriteBacks, type FlushReport } from './write-tracking-status.js';

const LEASE_MS = 10 * 60_000;
/** Watermarks (poll_watermarks) of the Quantum View poller: start of the last good and last failed poll. */
const QV_OK = 'tracking:quantum-view:ok';
const QV_FAILED = 'tracking:quantum-view:failed';

export interface TrackingJobs {
  /** Each returns null when another run of the same job holds the lease. */
  subscribeNew(tenantId: string): Promise<SubscribeReport | null>;
  renewDue(tenantId: string): Promise<RenewReport | null>;
  pollFallback(tenantId: string): Promise<FallbackReport | null>;
  reconcile(tenantId: string): Promise<ReconcileReport | null>;
  flushWriteBacks(tenantId: string): Promise<FlushReport | null>;
}

export function createTrackingJobs(deps: TrackingDeps): TrackingJobs {
  const leases = leaseStore(deps.storage, { now: () => nowOf(deps) });
  const owner = `tracking-${randomUUID()}`;

  async function leased<T>(tenantId: string, name: string, fn: () => Promise<T>): Promise<T | null> {
    if (!(await leases.tryAcquire(tenantId, `tracking:${name}`, owner, LEASE_MS))) return null;
    try {
      return await fn();
    } finally {
      await leases.release(tenantId, `tracking:${name}`, owner);
    }
  }

  return {
    subscribeNew: (tenantId) => leased(tenantId, 'subscribe', () => subscribeNewLabels(deps, tenantId)),
    renewDue: (tenantId) => leased(tenantId, 'renew', () => renewDueSubscriptions(deps, tenantId)),
    pollFallback: (tenantId) =>
      leased(tenantId, 'quantum-view', async () => {
        // Persisted (a restart or another instance must still replay): when the last poll failed after the
        // last good one, the window since the last good poll (or the newest page) is read again.
        const marks = deps.storage.repos.watermarks;
        const startedAt = nowOf(deps);
        const [ok, bad] = await Promise.all([marks.get(tenantId, QV_OK), marks.get(tenantId, QV_FAILED)]);
        const since =
          bad && (!ok || bad.lastUpdateDate > ok.lastUpdateDate)
            ? (ok?.lastUpdateDate ??
              (await lastQuantumViewPageAt(deps.storage, tenantId)) ??
              bad.lastUpdateDate)
            : undefined;
        const report = await pollQuantumView(deps, tenantId, since ? { replaySince: since } : {});
        await marks.advance(tenantId, report.error ? QV_FAILED : QV_OK, {
          lastUpdateDate: startedAt,
          idsAtWatermark: [],
        });
        return report;
      }),
    reconcile: (tenantId) =>
      leased(tenantId, 'reconcile', () => reconcile(deps, tenantId, { reason: 'scheduled' })),
    flushWriteBacks: (tenantId) =>
      leased(tenantId, 'write-back', () => flushStatusWriteBacks(deps, tenantId)),
  };
}

export interface TrackingScheduleOptions {
  tenants: string[];
  /** When subscriptions are checked for renewal (config scheduler.renewalCron). */
  renewalCron: string;
  /** Quantum View fallback interval (config scheduler.quantumViewIntervalSeconds). */
  quantumViewIntervalSeconds: number;
  /** New labels are subscribed and write-backs flushed this often (default every minute). */
  subscribeCron?: string;
  /** Full reconciliation (default every 6 hours, and once at start). */
  reconcileCron?: string;
  reconcileAtStart?: boolean;
  onError?: (job: string, tenantId: string, error: unknown) => void;
}

export interface TrackingSchedule {
  stop(): Promise<void>;
}

export function scheduleTracking(jobs: TrackingJobs, options: TrackingScheduleOptions): TrackingSchedule {
  const running = new Map<string, Promise<unknown>>();
  const run = (job: string, tenantId: string, fn: () => Promise<unknown>) => {
    const key = `${job}:${tenantId}`;
    if (running.has(key)) return;
    const p = fn()
      .catch((error: unknown) => options.onError?.(job, tenantId, error))
      .finally(() => running.delete(key));
    running.set(key, p);
  };
  const qvSeconds = Math.max(60, Math.round(options.quantumViewIntervalSeconds));
  const qvRule = qvSeconds % 60 === 0 && qvSeconds <= 3600 ? `*/${qvSeconds / 60} * * * *` : '*/15 * * * *';
  const scheduled: schedule.Job[] = [];
  for (const tenantId of options.tenants) {
    const add = (name: string, rule: string, fn: () => Promise<unknown>) => {
      const job = schedule.scheduleJob(`tracking:${name}:${tenantId}`, rule, () => run(name, tenantId, fn));
      if (job) scheduled.push(job);
    };
    add('subscribe', options.subscribeCron ?? '*/1 * * * *', async () => {
      await jobs.subscribeNew(tenantId);
      await jobs.flushWriteBacks(tenantId);
    });
    add('renew', options.renewalCron, () => jobs.renewDue(tenantId));
    add('quantum-view', qvRule, () => jobs.pollFallback(tenantId));
    add('reconcile', options.reconcileCron ?? '23 */6 * * *', () => jobs.reconcile(tenantId));
    if (options.reconcileAtStart ?? true) run('reconcile', tenantId, () => jobs.reconcile(tenantId));
  }
  return {
    async stop() {
      for (const j of scheduled) j.cancel();
      await Promise.allSettled([...running.values()]);
    },
  };
}
