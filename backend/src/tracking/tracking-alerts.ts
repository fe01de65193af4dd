/**
 * What an operator must look at on the tracking side: alerts from the audit trail (renewals that failed,
 * numbers Track Alert refused) and the numbers currently followed through Quantum View fallback.
 */
import type { StoredAuditEntry } from '../audit/audit-entry.js';
import type { Storage } from '../storage/index.js';
import type { TrackingSubscription } from '../storage/repositories/tracking-subscriptions.js';

export interface TrackingAlerts {
  alerts: StoredAuditEntry[];
  fallback: TrackingSubscription[];
}

export async function listTrackingAlerts(
  storage: Storage,
  tenantId: string,
  options: { since?: Date; limit?: number } = {},
): Promise<TrackingAlerts> {
  const alerts = await storage.repos.audit.query({
    tenantId,
    outcome: 'alert',
    ...(options.since ? { since: options.since } : {}),
    limit: options.limit ?? 200,
  });
  return {
    alerts: alerts.filter((a) => a.step.startsWith('tracking-')),
    fallback: await storage.repos.trackingSubscriptions.listFallback(tenantId),
  };
}
