/**
 * What the buyer's panel in the Fusion PO page shows: the JSON contract between the connector
 * (`GET /api/buyer/tenants/{tenantId}/pos/{poHeaderId}/view`, ETag'd) and the JET app (jet-app/).
 * Types only, so the JET app can `import type` it without pulling backend code into the browser.
 * Times are ISO-8601 instants (UTC) unless named `local…`; dates without a time are YYYY-MM-DD.
 */

/** The badge a shipment or package wears, in the order a parcel normally passes them. */
export type ShipmentBadge =
  | 'label_created'
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'exception'
  | 'returned'
  | 'voided';

export interface PostalAddress {
  name?: string;
  lines: string[];
  city?: string;
  stateProvince?: string;
  postalCode?: string;
  countryCode: string;
}

export interface ViewEvent {
  /** the instant, when UPS gave an offset or the zone is known; absent when only local time is known */
  at?: string;
  /** wall-clock time at the event's location, as UPS reported it: YYYY-MM-DDTHH:mm(:ss) */
  localDateTime?: string;
  /** UTC offset of localDateTime (e.g. "-05:00"), or null when UPS gave none (then the UI says "local time") */
  utcOffset?: string | null;
  badge: ShipmentBadge;
  /** UPS's own wording, e.g. "Departed from Facility" */
  description: string;
  upsStatusType: string;
  upsStatusCode: string;
  location?: { city?: string; stateProvince?: string; postalCode?: string; countryCode?: string };
  /** exceptions: UPS's reason and what happens next */
  exception?: { reason?: string; nextStep?: string; reattemptDate?: string; rescheduledDelivery?: string };
}

export interface ViewPackage {
  trackingNumber: string;
  /** https://www.ups.com/track?tracknum=… */
  trackingUrl: string;
  badge: ShipmentBadge;
  weight?: { value: number; unit: 'LBS' | 'KGS' };
  events: ViewEvent[]; // newest first
}

export interface ViewShipment {
  shipmentId: string;
  /** the PO schedules this shipment carries (one group per ship-to location) */
  scheduleNumbers: string[];
  service: { code: string; name: string } | null;
  badge: ShipmentBadge;
  shipFrom: PostalAddress | null;
  shipTo: PostalAddress | null;
  packages: ViewPackage[];
  /** UPS scheduled delivery date, rescheduled when UPS rescheduled (YYYY-MM-DD) */
  expectedDelivery: string | null;
  expectedDeliveryRescheduled: boolean;
  deliveredAt: string | null;
  /** the PO schedules' need-by and promised dates this shipment is held against (earliest of each) */
  needByDate: string | null;
  promisedDate: string | null;
  /** true when expectedDelivery (or deliveredAt) is after needByDate */
  lateAgainstNeedBy: boolean;
  /** present only when the viewer may see costs */
  cost?: { amount: string; currency: string; accountNumber: string } | null;
}

/** What the connector did with the PO and is doing now. */
export type ConnectorStatus =
  | { kind: 'not_seen'; nextPollAt: string | null }
  | { kind: 'ignored'; rule: string; reason: string }
  | { kind: 'waiting'; step: string; nextPollAt: string | null }
  | {
      kind: 'address_needs_correction';
      reason: string;
      candidates: PostalAddress[];
      nextRetryAt: string | null;
    }
  | { kind: 'failed'; reason: string; attempts: number; nextRetryAt: string | null }
  | { kind: 'shipped' }
  | { kind: 'voided'; reason: string | null };

export interface PoView {
  tenantId: string;
  poHeaderId: string;
  orderNumber: string;
  supplierName?: string;
  status: ConnectorStatus;
  shipments: ViewShipment[];
  viewer: {
    /** the Fusion user name, or null on the public signed link */
    user: string | null;
    mayOperate: boolean;
    maySeeCosts: boolean;
    readOnly: boolean;
    /** BCP 47 language tag and date pattern the UI renders in */
    locale: string;
  };
  /** send as `x-csrf-token` with POST …/retry; absent on read-only views */
  csrfToken?: string;
  /** the ETag of this view; the UI polls with If-None-Match or listens on …/events (SSE) */
  version: string;
  generatedAt: string;
}
