/**
 * Closing gaps with the Tracking API: after the receiver was down (UPS does not redeliver), a subscription
 * lapsed, or a number entered Quantum View fallback, every activity UPS knows for the affected numbers is
 * fetched and ingested; what is already stored is recognised as a duplicate, so the timeline has no holes
 * and nothing twice.
 */
import { ingestEvents } from './ingest-event.js';
import { listFollowedNumbers } from './tracking-queries.js';
import { errorText, type TrackingDeps } from './tracking-deps.js';

export interface ReconcileReport {
  checked: number;
  stored: number;
  notFound: string[];
  failed: Array<{ trackingNumber: string; error: string }>;
}

const CONCURRENCY = 4;

/** Reconciles the given numbers, or every followed (active or fallback) subscription of the tenant. */
export async function reconcile(
  deps: TrackingDeps,
  tenantId: string,
  options: { trackingNumbers?: string[]; reason?: string } = {},
): Promise<ReconcileReport> {
  const numbers = options.trackingNumbers ?? (await listFollowedNumbers(deps.storage, tenantId));
  const report: ReconcileReport = { checked: 0, stored: 0, notFound: [], failed: [] };
  if (numbers.length === 0) return report;
  const ups = await deps.ups(tenantId);
  const queue = [...new Set(numbers.map((n) => n.trim().toUpperCase()))];
  const worker = async () => {
    for (let tn = queue.shift(); tn !== undefined; tn = queue.shift()) {
      try {
        const result = await ups.track(tn);
        report.checked += 1;
        if (!result.found) {
          report.notFound.push(tn);
          continue;
        }
        for (const pkg of result.packages) {
          if (pkg.trackingNumber !== tn) continue;
          // Awaited first: `x += await y` would read x before the other workers' updates.
          const { stored } = await ingestEvents(deps, tenantId, pkg.events);
          report.stored += stored;
        }
      } catch (error) {
        report.failed.push({ trackingNumber: tn, error: errorText(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  await deps.audit.record({
    tenantId,
    step: 'tracking-reconcile',
    outcome: report.failed.length > 0 ? 'error' : 'ok',
    message: `${options.reason ?? 'reconcile'}: ${report.checked} checked, ${report.stored} events restored, ${report.notFound.length} not found, ${report.failed.length} failed`,
  });
  return report;
}
