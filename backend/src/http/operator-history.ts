/**
 * What the operator API shows of purchase orders: the list row (state, step, reason) and one PO's full
 * history — its records per revision, shipments with packages and which labels are stored, rate quotes,
 * write-backs to Fusion, tracking events and the audit trail (newest first). Label images are not inlined;
 * they are fetched one by one from the label route.
 */
import type { PurchaseOrderRecord, Storage } from '../storage/index.js';

export function poSummary(r: PurchaseOrderRecord) {
  return {
    poHeaderId: r.poHeaderId,
    orderNumber: r.poNumber,
    revision: r.revision,
    state: r.state,
    step: r.step,
    reason: r.reason,
    lastError: r.lastError,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
    lastUpdateDate: r.lastUpdateDate,
    updatedAt: r.updatedAt,
  };
}

export async function poHistory(storage: Storage, tenantId: string, poHeaderId: string, auditLimit: number) {
  const { repos } = storage;
  const latest = await repos.purchaseOrders.latest(tenantId, poHeaderId);
  if (!latest) return null;
  const revisions: PurchaseOrderRecord[] = [latest];
  for (let rev = latest.revision - 1; rev >= 0 && revisions.length < 20; rev--) {
    const older = await repos.purchaseOrders.get(tenantId, poHeaderId, rev);
    if (older) revisions.push(older);
  }
  const shipmentRows = await repos.shipments.listByPo(tenantId, poHeaderId);
  const shipments = await Promise.all(
    shipmentRows.map(async (s) => {
      const [packages, labels, trackingEvents] = await Promise.all([
        repos.packages.listByShipment(tenantId, s.id),
        repos.packages.labelsForShipment(tenantId, s.id),
        repos.trackingEvents.listByShipment(tenantId, s.id),
      ]);
      return {
        ...s,
        packages: packages.map((p) => ({
          ...p,
          labels: labels
            .filter((l) => l.packageId === p.id)
            .map((l) => ({ format: l.format, storedAt: l.createdAt })),
        })),
        trackingEvents,
      };
    }),
  );
  const [quotes, writeBacks, audit] = await Promise.all([
    repos.quotes.listForPo(tenantId, poHeaderId),
    repos.writeBacks.listByPo(tenantId, poHeaderId),
    repos.audit.listByPo(tenantId, poHeaderId, { limit: auditLimit }),
  ]);
  return {
    po: { ...poSummary(latest), context: latest.context },
    revisions: revisions.map(poSummary),
    shipments,
    quotes,
    writeBacks,
    audit: audit.reverse(),
  };
}
