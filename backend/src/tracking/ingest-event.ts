/**
 * One tracking event into storage, whichever channel brought it (Track Alert, Quantum View, Tracking API):
 * stored once, the shipment's status moved forward only, a status write-back queued for Fusion once per
 * change, and the subscription stopped once the package is delivered, returned or voided. All of it in one
 * transaction, so "stored" means durable and complete.
 *
 * The same activity seen through two channels must stay one event. Storage dedupes on (tracking number, GMT
 * date, GMT time, status code), but Quantum View prints local times without an offset and names a delivery
 * by its location code, so a Quantum View record is first aligned to the offset learnt from this package's
 * other events, then compared on (local date, local time, status type) as well; a manifest (type M) is
 * one per package whatever its time says.
 */
import type { TrackingEvent, TrackingStatus } from '../domain/types.js';
import type { Repositories } from '../storage/index.js';
import type { StoredTrackingEvent } from '../storage/repositories/tracking-events.js';
import type { Shipment } from '../storage/repositories/shipments.js';
import type { TrackingDeps, TrackingSettings } from './tracking-deps.js';
import { queueStatusChange, statusChangeKey } from './write-tracking-status.js';

export interface IngestResult {
  trackingNumber: string;
  /** A new row was written. */
  stored: boolean;
  /** The event (or its twin from another channel) was already stored. */
  duplicate: boolean;
  /** No shipment of this tenant has this tracking number: recorded, nothing else. */
  unknown: boolean;
  shipmentId: string | null;
  /** The shipment's status after the event, when it changed. */
  statusChanged?: TrackingStatus;
}

const FINAL: TrackingStatus[] = ['delivered', 'returned', 'voided'];
/** Events that say something about the delivery date but not where the package is. */
const NOT_A_STATUS: TrackingStatus[] = ['delivery_update', 'unknown'];

const localAsUtc = (e: { localDate?: string; localTime?: string }): number | undefined => {
  if (!e.localDate || !/^\d{8}$/.test(e.localDate)) return undefined;
  const t = (e.localTime ?? '000000').padStart(6, '0');
  const ms = Date.parse(
    `${e.localDate.slice(0, 4)}-${e.localDate.slice(4, 6)}-${e.localDate.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`,
  );
  return Number.isNaN(ms) ? undefined : ms;
};

/** Quantum View times are local: shift by the offset another channel showed for this package. */
export function alignToKnownOffset(event: TrackingEvent, known: StoredTrackingEvent[]): TrackingEvent {
  if (event.source !== 'quantum-view') return event;
  const ref = known.find((k) => k.source !== 'quantum-view' && localAsUtc(k) !== undefined);
  const refLocal = ref ? localAsUtc(ref) : undefined;
  if (!ref || refLocal === undefined) return event;
  const offsetMs = ref.occurredAt.getTime() - refLocal;
  if (offsetMs === 0) return event;
  const occurredAt = new Date(event.occurredAt.getTime() + offsetMs);
  return {
    ...event,
    occurredAt,
    ...(event.actualDeliveryAt ? { actualDeliveryAt: occurredAt } : {}),
  };
}

/** YYYYMMDD from what storage hands back for a date column (text on some engines, Date on others). */
export function ymdOf(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10).replaceAll('-', '');
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10).replaceAll('-', '') : v;
}

/**
 * Whether `a` is an activity already stored as `b` although the storage key differs. Track Alert and the
 * Tracking API share UPS's GMT times and codes, so the storage key suffices between them; only Quantum View
 * (local times, its own delivery codes) needs this comparison.
 */
export function sameActivity(a: TrackingEvent, b: StoredTrackingEvent): boolean {
  const type = (e: { upsStatusType: string }) => e.upsStatusType.trim().toUpperCase();
  // A package has one manifest; Quantum View dates it by pickup day without a time.
  if (type(a) === 'M') return type(b) === 'M';
  const qv = [a.source, b.source].filter((s) => s === 'quantum-view').length;
  if (qv === 0) return false;
  if (!a.localDate || !a.localTime || !b.localDate || !b.localTime) return false;
  const sameMoment = a.localDate === b.localDate && a.localTime === b.localTime && type(a) === type(b);
  // Between two Quantum View records the code is comparable too.
  return sameMoment && (qv === 1 || a.upsStatusCode.trim() === b.upsStatusCode.trim());
}

export async function ingestEvent(
  deps: Pick<TrackingDeps, 'storage' | 'settings'>,
  tenantId: string,
  incoming: TrackingEvent,
): Promise<IngestResult> {
  const trackingNumber = incoming.trackingNumber.replace(/\s+/g, '').toUpperCase();
  const settings = await deps.settings(tenantId);
  return deps.storage.transaction(async ({ repos }) => {
    const known = await repos.trackingEvents.listByTrackingNumber(tenantId, trackingNumber);
    const event = alignToKnownOffset({ ...incoming, trackingNumber }, known);
    const shipment = await repos.shipments.findByTrackingNumber(tenantId, trackingNumber);
    const base = { trackingNumber, shipmentId: shipment?.id ?? null, unknown: !shipment };
    if (known.some((k) => sameActivity(event, k))) return { ...base, stored: false, duplicate: true };
    const { inserted } = await repos.trackingEvents.record(tenantId, event, shipment?.id ?? null);
    if (!inserted) return { ...base, stored: false, duplicate: true };
    if (!shipment) return { ...base, stored: true, duplicate: false };
    return applyToShipment(repos, settings, tenantId, shipment, event, {
      ...base,
      stored: true,
      duplicate: false,
    });
  });
}

/** The shipment's side of a stored event: status forward only, subscription stopped when final, write-back. */
async function applyToShipment(
  repos: Repositories,
  settings: TrackingSettings,
  tenantId: string,
  shipment: Shipment,
  event: TrackingEvent,
  result: IngestResult,
): Promise<IngestResult> {
  const { trackingNumber } = event;
  const previous = shipment.trackingStatus;
  let status =
    NOT_A_STATUS.includes(event.status) || (event.status === 'label_created' && previous)
      ? (previous ?? 'in_transit')
      : event.status;
  // A multi-package shipment is delivered when its last package is: until then this package's subscription
  // stops, the shipment stays in transit and the other packages are still followed.
  if (status === 'delivered' && !(await allPackagesDelivered(repos, tenantId, shipment.id, trackingNumber))) {
    await repos.trackingSubscriptions.stop(tenantId, trackingNumber);
    status = previous && previous !== 'label_created' ? previous : 'in_transit';
  }
  const expected = event.status === 'delivered' ? undefined : event.scheduledDeliveryDate;
  const knownExpected = ymdOf(shipment.expectedDelivery);
  // UPS times are whole seconds while the label's own stamp has milliseconds: compare every event as of
  // the end of its second, so a scan in the label's second is not older than the label. (All events move
  // alike, so their order among themselves is unchanged.)
  const at = new Date(event.occurredAt.getTime() + 999);
  const moved = await repos.shipments.updateTrackingStatus(tenantId, shipment.id, {
    status,
    at,
    ...(expected ? { expectedDelivery: expected } : {}),
    ...(status === 'delivered' ? { deliveredAt: event.actualDeliveryAt ?? event.occurredAt } : {}),
  });
  if (!moved) return result;
  if (status !== previous) result.statusChanged = status;
  if (FINAL.includes(status)) await repos.trackingSubscriptions.stop(tenantId, trackingNumber);
  if (settings.statusMechanism !== 'none') {
    await queueChanges(repos, tenantId, settings.statusMechanism, {
      shipment: {
        id: shipment.id,
        poHeaderId: shipment.poHeaderId,
        expectedDelivery: knownExpected,
      },
      event,
      previous,
      status,
      expected,
    });
  }
  return result;
}

/** True when every other package of the shipment has a stored delivery (this one is being delivered). */
async function allPackagesDelivered(
  repos: Repositories,
  tenantId: string,
  shipmentId: string,
  deliveredNow: string,
): Promise<boolean> {
  const others = (await repos.packages.listByShipment(tenantId, shipmentId))
    .map((p) => p.trackingNumber?.trim().toUpperCase())
    .filter((tn): tn is string => !!tn && tn !== deliveredNow);
  for (const tn of new Set(others)) {
    const events = await repos.trackingEvents.listByTrackingNumber(tenantId, tn);
    if (!events.some((e) => e.status === 'delivered')) return false;
  }
  return true;
}

/**
 * Events stored while their tracking number belonged to no shipment (pushed before the label was recorded)
 * are attached once the shipment exists, and their statuses applied in order. Returns the events attached.
 */
export async function attachStoredEvents(
  deps: Pick<TrackingDeps, 'storage' | 'settings'>,
  tenantId: string,
  trackingNumber: string,
): Promise<number> {
  const settings = await deps.settings(tenantId);
  return deps.storage.transaction(async ({ repos }) => {
    const shipment = await repos.shipments.findByTrackingNumber(tenantId, trackingNumber);
    if (!shipment) return 0;
    const orphans = (await repos.trackingEvents.listByTrackingNumber(tenantId, trackingNumber))
      .filter((e) => e.shipmentId === null)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    if (orphans.length === 0) return 0;
    await repos.trackingEvents.attachToShipment(tenantId, trackingNumber, shipment.id);
    for (const e of orphans) {
      const current = (await repos.shipments.get(tenantId, shipment.id)) ?? shipment;
      await applyToShipment(repos, settings, tenantId, current, e, {
        trackingNumber,
        stored: true,
        duplicate: false,
        unknown: false,
        shipmentId: shipment.id,
      });
    }
    return orphans.length;
  });
}

async function queueChanges(
  repos: Repositories,
  tenantId: string,
  method: 'asn' | 'flexfield' | 'attachment',
  c: {
    shipment: { id: string; poHeaderId: string; expectedDelivery: string | null };
    event: TrackingEvent;
    previous: TrackingStatus | null;
    status: TrackingStatus;
    expected: string | undefined;
  },
): Promise<void> {
  const { shipment, event } = c;
  const isStatus = (x: TrackingStatus | null): x is 'in_transit' | 'exception' | 'delivered' =>
    x === 'in_transit' || x === 'exception' || x === 'delivered';
  const dateChanged = !!c.expected && c.expected !== shipment.expectedDelivery && c.status !== 'delivered';
  if (c.status !== c.previous && isStatus(c.status)) {
    // The new status carries the expected date: one write, not two.
    await queueStatusChange(repos, tenantId, method, shipment, {
      status: c.status,
      trackingNumber: event.trackingNumber,
      at: event.occurredAt,
      ...(c.status === 'exception' && event.description ? { detail: event.description } : {}),
      ...(c.expected ? { expectedDelivery: c.expected } : {}),
    });
    return;
  }
  if (!dateChanged || !c.expected) return;
  const dateOnly = {
    status: 'expected_delivery' as const,
    trackingNumber: event.trackingNumber,
    expectedDelivery: c.expected,
    at: event.occurredAt,
  };
  // A DFF has one status segment: a new date keeps the current status word rather than replacing it.
  if (method === 'flexfield' && isStatus(c.status)) {
    await queueStatusChange(
      repos,
      tenantId,
      method,
      shipment,
      {
        status: c.status,
        trackingNumber: event.trackingNumber,
        expectedDelivery: c.expected,
        at: event.occurredAt,
      },
      statusChangeKey(shipment.id, dateOnly),
    );
  } else {
    await queueStatusChange(repos, tenantId, method, shipment, dateOnly);
  }
}

/** Several events of one channel, oldest first so statuses move in the order they happened. */
export async function ingestEvents(
  deps: Pick<TrackingDeps, 'storage' | 'settings'>,
  tenantId: string,
  events: TrackingEvent[],
): Promise<{ stored: number; duplicates: number; unknown: number }> {
  const out = { stored: 0, duplicates: 0, unknown: 0 };
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const e of ordered) {
    const r = await ingestEvent(deps, tenantId, e);
    if (r.stored) out.stored += 1;
    if (r.duplicate) out.duplicates += 1;
    if (r.unknown) out.unknown += 1;
  }
  return out;
}
