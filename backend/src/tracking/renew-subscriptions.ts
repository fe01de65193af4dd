/**
 * Renewal before UPS's 14-day expiry: every active subscription expiring within `renewBeforeHours` (24 h by
 * default) whose shipment is not delivered, returned or voided is subscribed again (batches ≤ 100). A number
 * that cannot be renewed — refused, or the call failed — moves to Quantum View fallback, raises an alert
 * (audit outcome 'alert', listed by listTrackingAlerts) and is reconciled through the Tracking API.
 * Numbers in fallback are offered to Track Alert again every FALLBACK_RETRY_MS and resume when accepted
 * (voided, delivered and returned ones are not: their subscriptions are stopped first).
 */
import { reconcile } from './reconcile.js';
import { trackAlertSubscription } from './subscribe-new-labels.js';
import { DEFAULT_RENEW_BEFORE_HOURS, errorText, nowOf, type TrackingDeps } from './tracking-deps.js';

/** Numbers in fallback are offered to Track Alert again at most this often (a refusal is not news). */
export const FALLBACK_RETRY_MS = 6 * 3_600_000;

export interface RenewReport {
  due: number;
  renewed: number;
  /** Numbers back from Quantum View fallback to Track Alert. */
  resumed: number;
  fallback: string[];
  calls: number;
}

export async function renewDueSubscriptions(deps: TrackingDeps, tenantId: string): Promise<RenewReport> {
  const settings = await deps.settings(tenantId);
  const now = nowOf(deps);
  // Inclusive: a subscription expiring exactly `renewBeforeHours` from now is due (the repository compares with <).
  const horizon = new Date(
    now.getTime() + (settings.renewBeforeHours ?? DEFAULT_RENEW_BEFORE_HOURS) * 3_600_000 + 1,
  );
  const repo = deps.storage.repos.trackingSubscriptions;
  // Voided labels stop here: voiding (in the shipping pipeline) does not touch subscriptions.
  const voided = await repo.stopVoided(tenantId);
  if (voided.length > 0)
    await deps.audit.record({
      tenantId,
      step: 'tracking-renew',
      outcome: 'ok',
      message: `stopped following voided label(s): ${voided.join(', ')}`,
    });
  const due = await repo.listDueForRenewal(tenantId, horizon, 5000);
  // After a transient failure, Track Alert is tried again for numbers in fallback, without a new alert.
  const retry = settings.trackAlert.enabled
    ? (await repo.listFallback(tenantId)).filter(
        (s) => now.getTime() - s.updatedAt.getTime() >= FALLBACK_RETRY_MS,
      )
    : [];
  const report: RenewReport = { due: due.length, renewed: 0, resumed: 0, fallback: [], calls: 0 };
  if (due.length === 0 && retry.length === 0) return report;
  const numbers = [...due, ...retry].map((s) => s.trackingNumber);
  let valid = new Set<string>();
  let failure: string | undefined;
  if (settings.trackAlert.enabled) {
    try {
      const sub = await trackAlertSubscription(deps, tenantId, settings);
      const result = await (await deps.ups(tenantId)).subscribe(sub, numbers);
      report.calls = result.calls;
      valid = new Set(result.valid);
    } catch (error) {
      failure = errorText(error);
    }
  } else {
    failure = 'Track Alert is disabled for this tenant';
  }
  const renewed = due.filter((s) => valid.has(s.trackingNumber));
  await repo.recordSubscribed(
    tenantId,
    renewed.map((s) => ({ trackingNumber: s.trackingNumber, shipmentId: s.shipmentId })),
    now,
  );
  report.renewed = renewed.length;
  const resumed = retry.filter((s) => valid.has(s.trackingNumber));
  await repo.recordSubscribed(
    tenantId,
    resumed.map((s) => ({ trackingNumber: s.trackingNumber, shipmentId: s.shipmentId })),
    now,
  );
  report.resumed = resumed.length;
  for (const s of retry) {
    if (!valid.has(s.trackingNumber))
      await repo.markFallback(tenantId, s.trackingNumber, failure ?? 'refused by Track Alert again');
  }
  for (const s of due) {
    if (valid.has(s.trackingNumber)) continue;
    const reason = failure ? `renewal failed: ${failure}` : 'renewal refused by Track Alert';
    await repo.markFallback(tenantId, s.trackingNumber, reason);
    report.fallback.push(s.trackingNumber);
    await deps.audit.record({
      tenantId,
      shipmentId: s.shipmentId,
      step: 'tracking-renew',
      outcome: 'alert',
      message: `${s.trackingNumber}: ${reason}; followed through Quantum View from now on`,
    });
  }
  await deps.audit.record({
    tenantId,
    step: 'tracking-renew',
    outcome: report.fallback.length > 0 ? 'error' : 'ok',
    message: `${report.renewed} of ${report.due} renewed in ${report.calls} call(s); ${report.fallback.length} to Quantum View fallback; ${report.resumed} of ${retry.length} back from fallback`,
  });
  if (report.fallback.length > 0) {
    await reconcile(deps, tenantId, {
      trackingNumbers: report.fallback,
      reason: 'entered Quantum View fallback',
    });
  }
  return report;
}
