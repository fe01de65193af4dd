/**
 * Reads the tracking jobs need that the storage repositories do not offer (yet): written on storage.db
 * over the existing tables, portable across PGlite, PostgreSQL and Oracle through the dialect's limit.
 */
import { LABELLED_SHIPMENT_STATES } from '../domain/shipment-state.js';
import type { Storage } from '../storage/index.js';

export interface LabelToSubscribe {
  trackingNumber: string;
  shipmentId: string;
}

const FINAL = ['delivered', 'returned', 'voided'];

/** Tracking numbers of shipped, undelivered shipments (lead and package numbers) with no subscription row. */
export async function listUnsubscribedLabels(
  storage: Storage,
  tenantId: string,
  limit = 1000,
): Promise<LabelToSubscribe[]> {
  const { db, dialect: d } = storage;
  const lead = db
    .selectFrom('shipments as s')
    .leftJoin('tracking_subscriptions as t', (j) =>
      j.onRef('t.tenant_id', '=', 's.tenant_id').onRef('t.tracking_number', '=', 's.tracking_number'),
    )
    .select(['s.tracking_number as trackingNumber', 's.id as shipmentId'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.state', 'in', [...LABELLED_SHIPMENT_STATES])
    .where('s.tracking_number', 'is not', null)
    .where('t.tracking_number', 'is', null)
    .where((eb) => eb.or([eb('s.tracking_status', 'is', null), eb('s.tracking_status', 'not in', FINAL)]))
    .orderBy('s.created_at')
    .orderBy('s.id');
  const packages = db
    .selectFrom('packages as p')
    .innerJoin('shipments as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.tenant_id').onRef('s.id', '=', 'p.shipment_id'),
    )
    .leftJoin('tracking_subscriptions as t', (j) =>
      j.onRef('t.tenant_id', '=', 'p.tenant_id').onRef('t.tracking_number', '=', 'p.tracking_number'),
    )
    .select(['p.tracking_number as trackingNumber', 's.id as shipmentId'])
    .where('p.tenant_id', '=', tenantId)
    .where('s.state', 'in', [...LABELLED_SHIPMENT_STATES])
    .where('p.tracking_number', 'is not', null)
    .where('t.tracking_number', 'is', null)
    .where((eb) => eb.or([eb('s.tracking_status', 'is', null), eb('s.tracking_status', 'not in', FINAL)]))
    .orderBy('p.created_at')
    .orderBy('p.id');
  const rows = [...(await d.limit(lead, limit).execute()), ...(await d.limit(packages, limit).execute())];
  const seen = new Set<string>();
  const out: LabelToSubscribe[] = [];
  for (const r of rows) {
    const tn = r.trackingNumber?.trim().toUpperCase();
    if (!tn || seen.has(tn)) continue;
    seen.add(tn);
    out.push({ trackingNumber: tn, shipmentId: r.shipmentId });
  }
  return out.slice(0, limit);
}

/** Subscriptions still followed (active or fallback), for reconciliation after a gap. */
export async function listFollowedNumbers(
  storage: Storage,
  tenantId: string,
  limit = 5000,
): Promise<string[]> {
  // A voided label has nothing more to tell, even while its subscription row is not stopped yet.
  const q = storage.db
    .selectFrom('tracking_subscriptions as t')
    .leftJoin('shipments as s', (j) =>
      j.onRef('s.tenant_id', '=', 't.tenant_id').onRef('s.id', '=', 't.shipment_id'),
    )
    .select('t.tracking_number')
    .where('t.tenant_id', '=', tenantId)
    .where('t.status', 'in', ['active', 'fallback'])
    .where((eb) => eb.or([eb('s.id', 'is', null), eb('s.state', '!=', 'voided')]))
    .where((eb) => eb.or([eb('s.tracking_status', 'is', null), eb('s.tracking_status', '!=', 'voided')]))
    .orderBy('t.tracking_number');
  return (await storage.dialect.limit(q, limit).execute()).map((r) => r.tracking_number);
}

/** When the newest Quantum View page of the tenant arrived (the replay window starts there after an outage). */
export async function lastQuantumViewPageAt(storage: Storage, tenantId: string): Promise<Date | null> {
  const row = await storage.db
    .selectFrom('quantum_view_pages')
    .select((eb) => eb.fn.max('received_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** Of `numbers`, those with stored events attached to no shipment (pushed before the label was recorded). */
export async function numbersWithUnattachedEvents(
  storage: Storage,
  tenantId: string,
  numbers: string[],
): Promise<string[]> {
  const out = new Set<string>();
  // Chunks: Oracle allows at most 1000 items in an IN list.
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = await storage.db
      .selectFrom('tracking_events')
      .select('tracking_number')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where('shipment_id', 'is', null)
      .where('tracking_number', 'in', numbers.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.tracking_number);
  }
  return [...out];
}
