/**
 * Tracking events from every channel, stored once per (tenant, tracking number, GMT date, GMT time,
 * status code): the same activity pushed twice by Track Alert, or seen again through Quantum View or the
 * Tracking API, is one row. Unknown tracking numbers are stored with a null shipment.
 */
import type { TrackingEvent, TrackingLocation, TrackingStatus } from '../../domain/types.js';
import type { RepoContext } from './context.js';
import { newId, toDate, toDateOrNull } from './context.js';
import { insertIfAbsent } from '../dialect.js';

export interface StoredTrackingEvent extends TrackingEvent {
  id: string;
  tenantId: string;
  shipmentId: string | null;
  gmtDate: string;
  gmtTime: string;
  receivedAt: Date;
}

/** The dedupe key's date and time parts, from the UTC instant: "YYYYMMDD", "HHMMSS". */
export function gmtParts(at: Date): { gmtDate: string; gmtTime: string } {
  const iso = at.toISOString();
  return { gmtDate: iso.slice(0, 10).replaceAll('-', ''), gmtTime: iso.slice(11, 19).replaceAll(':', '') };
}

export function trackingEventsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toEvent = (r: Record<string, unknown>): StoredTrackingEvent => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    shipmentId: (r.shipment_id as string | null) ?? null,
    trackingNumber: String(r.tracking_number),
    gmtDate: String(r.gmt_date),
    gmtTime: String(r.gmt_time),
    status: r.status as TrackingStatus,
    upsStatusType: String(r.status_type),
    upsStatusCode: String(r.status_code),
    description: (r.description as string | null) ?? '',
    occurredAt: toDate(r.occurred_at),
    location: d.parseJson<TrackingLocation | null>(r.location) ?? undefined,
    localDate: (r.local_date as string | null) ?? undefined,
    localTime: (r.local_time as string | null) ?? undefined,
    scheduledDeliveryDate: (r.scheduled_delivery_date as string | null) ?? undefined,
    actualDeliveryAt: toDateOrNull(r.actual_delivery_at) ?? undefined,
    source: r.source as TrackingEvent['source'],
    receivedAt: toDate(r.received_at),
  });
  return {
    /** Stores the event unless its dedupe key exists. `inserted: false` = a duplicate, nothing written. */
    async record(
      tenantId: string,
      event: TrackingEvent,
      shipmentId: string | null,
    ): Promise<{ inserted: boolean; id: string | null }> {
      const id = newId();
      const { gmtDate, gmtTime } = gmtParts(event.occurredAt);
      const inserted = await insertIfAbsent(
        d,
        db,
        'tracking_events',
        {
          tenant_id: tenantId,
          id,
          tracking_number: event.trackingNumber.trim(),
          gmt_date: gmtDate,
          gmt_time: gmtTime,
          status_code: event.upsStatusCode,
          status_type: event.upsStatusType,
          status: event.status,
          shipment_id: shipmentId,
          description: event.description ? event.description.slice(0, 255) : null,
          occurred_at: event.occurredAt,
          location: d.json(event.location ?? null),
          local_date: event.localDate ?? null,
          local_time: event.localTime ?? null,
          scheduled_delivery_date: event.scheduledDeliveryDate ?? null,
          actual_delivery_at: event.actualDeliveryAt ?? null,
          source: event.source,
          received_at: ctx.now(),
        },
        ['tenant_id', 'tracking_number', 'gmt_date', 'gmt_time', 'status_code'],
      );
      return { inserted, id: inserted ? id : null };
    },
    /** Newest first. */
    async listByTrackingNumber(tenantId: string, trackingNumber: string): Promise<StoredTrackingEvent[]> {
      const rows = await db
        .selectFrom('tracking_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .orderBy('occurred_at', 'desc')
        .orderBy('status_code')
        .execute();
      return rows.map(toEvent);
    },
    /** Newest first; for the timeline of one shipment. */
    async listByShipment(tenantId: string, shipmentId: string): Promise<StoredTrackingEvent[]> {
      const rows = await db
        .selectFrom('tracking_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('shipment_id', '=', shipmentId)
        .orderBy('occurred_at', 'desc')
        .orderBy('status_code')
        .execute();
      return rows.map(toEvent);
    },
    /** Events stored before their shipment was known get attached once it is. */
    async attachToShipment(tenantId: string, trackingNumber: string, shipmentId: string): Promise<number> {
      const r = await db
        .updateTable('tracking_events')
        .set({ shipment_id: shipmentId })
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .where('shipment_id', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}

export type TrackingEventsRepository = ReturnType<typeof trackingEventsRepository>;
