/**
 * Track Alert for every new label: the tenant's unsubscribed tracking numbers go to UPS in batches of ≤ 100
 * (the client batches); accepted numbers are recorded with expiry = now + 14 days. Numbers UPS rejects are
 * reported in the audit trail and followed instead through Quantum View fallback and the Tracking API
 * (reconciled at once, so their first events are not missed). v1 sends our webhook URL and the tenant's
 * generated credential; v2 relies on the webhook registered in the UPS developer portal.
 */
import type { TrackAlertSubscription } from '../ups/track-alert.js';
import { reconcile } from './reconcile.js';
import { attachStoredEvents } from './ingest-event.js';
import { listUnsubscribedLabels, numbersWithUnattachedEvents } from './tracking-queries.js';
import { errorText, nowOf, type TrackingDeps, type TrackingSettings } from './tracking-deps.js';
import { credentialsOf } from './webhook-credentials.js';

export interface SubscribeReport {
  subscribed: number;
  invalid: string[];
  /** HTTP calls to Track Alert. */
  calls: number;
  error?: string;
}

export async function trackAlertSubscription(
  deps: TrackingDeps,
  tenantId: string,
  settings: TrackingSettings,
): Promise<TrackAlertSubscription> {
  if (settings.trackAlert.version === 'v2')
    return { version: 'v2', type: settings.trackAlert.v2Type ?? 'standard' };
  if (!settings.webhookUrl) throw new Error('Track Alert v1 needs the webhook URL (server.publicUrl)');
  return {
    version: 'v1',
    destination: {
      url: settings.webhookUrl,
      credentialType: 'Bearer',
      credential: await credentialsOf(deps).v1Credential(tenantId),
    },
  };
}

export async function subscribeNewLabels(deps: TrackingDeps, tenantId: string): Promise<SubscribeReport> {
  const settings = await deps.settings(tenantId);
  const report: SubscribeReport = { subscribed: 0, invalid: [], calls: 0 };
  if (!settings.trackAlert.enabled) return report;
  let labels = await listUnsubscribedLabels(deps.storage, tenantId);
  if (labels.length === 0) return report;
  // New labels whose events arrived before them: attached now, their statuses applied (maybe final).
  const early = await numbersWithUnattachedEvents(
    deps.storage,
    tenantId,
    labels.map((l) => l.trackingNumber),
  );
  for (const tn of early) await attachStoredEvents(deps, tenantId, tn);
  if (early.length > 0) labels = await listUnsubscribedLabels(deps.storage, tenantId);
  if (labels.length === 0) return report;
  const shipmentOf = new Map(labels.map((l) => [l.trackingNumber, l.shipmentId]));
  const subscribedAt = nowOf(deps);
  const repo = deps.storage.repos.trackingSubscriptions;
  let sub: TrackAlertSubscription;
  try {
    sub = await trackAlertSubscription(deps, tenantId, settings);
  } catch (error) {
    // Cannot subscribe at all (e.g. v1 without a webhook URL): the labels are followed through Quantum View
    // and the Tracking API instead of being forgotten; the 6-hourly fallback retry offers them again.
    report.error = errorText(error);
    const numbers = labels.map((l) => l.trackingNumber);
    await repo.recordSubscribed(tenantId, labels, subscribedAt);
    for (const tn of numbers) await repo.markFallback(tenantId, tn, `cannot subscribe: ${report.error}`);
    await deps.audit.record({
      tenantId,
      step: 'tracking-subscribe',
      outcome: 'alert',
      message: `cannot subscribe to Track Alert (${report.error}); followed by Quantum View and the Tracking API: ${numbers.join(', ')}`,
    });
    await reconcile(deps, tenantId, { trackingNumbers: numbers, reason: 'cannot subscribe to Track Alert' });
    return report;
  }
  let result;
  try {
    result = await (
      await deps.ups(tenantId)
    ).subscribe(
      sub,
      labels.map((l) => l.trackingNumber),
    );
  } catch (error) {
    // Nothing recorded: the same numbers are tried again next cycle.
    report.error = errorText(error);
    await deps.audit.record({
      tenantId,
      step: 'tracking-subscribe',
      outcome: 'error',
      message: report.error,
    });
    return report;
  }
  report.calls = result.calls;
  await repo.recordSubscribed(
    tenantId,
    result.valid.map((tn) => ({ trackingNumber: tn, shipmentId: shipmentOf.get(tn) ?? null })),
    subscribedAt,
  );
  report.subscribed = result.valid.length;
  const invalid = result.invalid.filter((tn) => shipmentOf.has(tn));
  for (const tn of invalid) {
    await repo.recordSubscribed(
      tenantId,
      [{ trackingNumber: tn, shipmentId: shipmentOf.get(tn) ?? null }],
      subscribedAt,
    );
    await repo.markFallback(tenantId, tn, 'Track Alert refused the tracking number');
  }
  report.invalid = invalid;
  await deps.audit.record({
    tenantId,
    step: 'tracking-subscribe',
    outcome: invalid.length > 0 ? 'alert' : 'ok',
    message:
      `${report.subscribed} subscribed in ${report.calls} call(s)` +
      (invalid.length > 0
        ? `; refused by Track Alert, followed by Quantum View and the Tracking API: ${invalid.join(', ')}`
        : ''),
  });
  if (invalid.length > 0)
    await reconcile(deps, tenantId, { trackingNumbers: invalid, reason: 'refused by Track Alert' });
  return report;
}
