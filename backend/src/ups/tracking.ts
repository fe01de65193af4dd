/**
 * UPS Tracking API (ups.md §5): details by tracking number (reconcile) and by reference number (in-doubt
 * recovery). "Not found" is HTTP 200 with warning TW0001 and no package — a result, not an error.
 */
import type { TrackingEvent, TrackingLocation, TrackingStatus } from '../domain/types.js';
import { inputError } from './address-format.js';
import { UpsError } from './errors.js';
import type { UpsHttp } from './http.js';
import { asArray, pick, text, utcInstant, warnings } from './normalise.js';
import type { UpsAlert } from './normalise.js';
import { trackingStatusOf } from './tracking-status.js';

export interface TrackedPackage {
  trackingNumber: string;
  /** Newest first. */
  events: TrackingEvent[];
  status: TrackingStatus;
  /** YYYYMMDD: scheduled (SDD), rescheduled (RDD), and the one to show (RDD, else SDD). */
  scheduledDeliveryDate?: string;
  rescheduledDeliveryDate?: string;
  expectedDeliveryDate?: string;
  deliveredAt?: Date;
  /** Delivery date (DEL) and end time as printed, local to the destination. */
  deliveryDate?: string;
  referenceNumbers: { type: string; number: string }[];
  serviceDescription?: string;
}

export interface TrackResult {
  found: boolean;
  packages: TrackedPackage[];
  warnings: UpsAlert[];
}

export function trackingPath(trackingNumber: string): string {
  return `/api/track/v1/details/${encodeURIComponent(trackingNumber)}`;
}

export function referencePath(reference: string): string {
  return `/api/track/v1/reference/details/${encodeURIComponent(reference)}`;
}

function location(address: unknown): TrackingLocation | undefined {
  const loc: TrackingLocation = {};
  const city = text(pick(address, 'city'));
  if (city) loc.city = city;
  const state = text(pick(address, 'stateProvince'));
  if (state) loc.stateProvince = state;
  const pc = text(pick(address, 'postalCode'));
  if (pc) loc.postalCode = pc;
  const country = text(pick(address, 'countryCode')) ?? text(pick(address, 'country'));
  if (country) loc.countryCode = country;
  return Object.keys(loc).length > 0 ? loc : undefined;
}

function deliveryDates(
  pkg: unknown,
): Pick<TrackedPackage, 'scheduledDeliveryDate' | 'rescheduledDeliveryDate' | 'deliveryDate'> {
  const out: Pick<TrackedPackage, 'scheduledDeliveryDate' | 'rescheduledDeliveryDate' | 'deliveryDate'> = {};
  for (const d of asArray(pick(pkg, 'deliveryDate'))) {
    const date = text(pick(d, 'date'));
    if (!date) continue;
    switch (text(pick(d, 'type'))) {
      case 'SDD':
        out.scheduledDeliveryDate = date;
        break;
      case 'RDD':
        out.rescheduledDeliveryDate = date;
        break;
      case 'DEL':
        out.deliveryDate = date;
        break;
    }
  }
  return out;
}

function activityEvent(
  trackingNumber: string,
  activity: unknown,
  expected: string | undefined,
): TrackingEvent | undefined {
  const status = pick(activity, 'status');
  const type = text(pick(status, 'type')) ?? '';
  const code = text(pick(status, 'code')) ?? '';
  const localDate = text(pick(activity, 'date'));
  const localTime = text(pick(activity, 'time'));
  const occurredAt =
    utcInstant(pick(activity, 'gmtDate'), pick(activity, 'gmtTime')) ??
    utcInstant(localDate, localTime, pick(activity, 'gmtOffset'));
  if (!occurredAt) return undefined;
  const event: TrackingEvent = {
    trackingNumber,
    status: trackingStatusOf(type, code),
    upsStatusType: type,
    upsStatusCode: code,
    description: text(pick(status, 'description')) ?? text(pick(status, 'simplifiedTextDescription')) ?? '',
    occurredAt,
    source: 'tracking-api',
  };
  if (localDate) event.localDate = localDate;
  if (localTime) event.localTime = localTime.padStart(6, '0');
  const loc = location(pick(activity, 'location', 'address'));
  if (loc) event.location = loc;
  if (expected) event.scheduledDeliveryDate = expected;
  if (event.status === 'delivered') event.actualDeliveryAt = occurredAt;
  return event;
}

function trackedPackage(pkg: unknown): TrackedPackage | undefined {
  const trackingNumber = text(pick(pkg, 'trackingNumber'))?.toUpperCase();
  if (!trackingNumber) return undefined;
  const dates = deliveryDates(pkg);
  const expected = dates.rescheduledDeliveryDate ?? dates.scheduledDeliveryDate;
  const events = asArray(pick(pkg, 'activity'))
    .map((a) => activityEvent(trackingNumber, a, expected))
    .filter((e): e is TrackingEvent => e !== undefined)
    // UPS lists activity newest first; sort anyway so a misordered answer cannot move a package backwards.
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  const current = pick(pkg, 'currentStatus');
  const newest = events[0];
  const status = current
    ? trackingStatusOf(text(pick(current, 'type')), text(pick(current, 'code')))
    : (newest?.status ?? 'unknown');
  const out: TrackedPackage = {
    trackingNumber,
    events,
    status: status === 'unknown' && newest ? newest.status : status,
    ...dates,
    referenceNumbers: asArray(pick(pkg, 'referenceNumber'))
      .map((r) => ({ type: text(pick(r, 'type')) ?? '', number: text(pick(r, 'number')) ?? '' }))
      .filter((r) => r.number !== ''),
  };
  if (expected) out.expectedDeliveryDate = expected;
  const delivered = events.find((e) => e.status === 'delivered');
  if (delivered) out.deliveredAt = delivered.occurredAt;
  const service = text(pick(pkg, 'service', 'description'));
  if (service) out.serviceDescription = service;
  return out;
}

export function fromTrackResponse(body: unknown): TrackResult {
  const shipments = asArray(pick(body, 'trackResponse', 'shipment'));
  const packages = shipments
    .flatMap((s) => asArray(pick(s, 'package')))
    .map(trackedPackage)
    .filter((p): p is TrackedPackage => p !== undefined);
  const warns = shipments.flatMap((s) => warnings(pick(s, 'warnings')));
  // TW0001 ("Tracking Information Not Found") comes with HTTP 200 and no package.
  return { found: packages.length > 0, packages, warnings: warns };
}

export async function trackPackage(
  http: UpsHttp,
  trackingNumber: string,
  locale = 'en_US',
): Promise<TrackResult> {
  const tn = trackingNumber.trim().toUpperCase();
  if (tn.length < 7 || tn.length > 34)
    throw inputError('track', `inquiry number "${tn}" must be 7-34 characters`);
  try {
    const res = await http.send({
      operation: 'track',
      method: 'GET',
      path: trackingPath(tn),
      query: { locale, returnSignature: 'false', returnMilestones: 'false', returnPOD: 'false' },
    });
    return fromTrackResponse(res.body);
  } catch (e) {
    const notFound = notFoundResult(e);
    if (notFound) return notFound;
    throw e;
  }
}

/** The spec's 404 "Tracking number information not found" (UPS mostly answers 200 + TW0001 instead). */
function notFoundResult(e: unknown): TrackResult | undefined {
  if (!(e instanceof UpsError) || e.httpStatus !== 404) return undefined;
  return {
    found: false,
    packages: [],
    warnings: e.errors.map((x) => ({ code: x.code, description: x.message })),
  };
}

export interface TrackByReferenceOptions {
  shipperNumber?: string;
  /** YYYYMMDD; UPS defaults to 14 days ago … today. */
  fromPickUpDate?: string;
  toPickUpDate?: string;
  destCountry?: string;
  destZip?: string;
  locale?: string;
}

/** Shipments carrying `reference` (e.g. our PO number). A 404 "not found" is an empty result. */
export async function trackByReference(
  http: UpsHttp,
  reference: string,
  options: TrackByReferenceOptions = {},
): Promise<TrackResult> {
  const ref = reference.trim();
  if (!ref) throw inputError('track-reference', 'reference number is empty');
  try {
    const res = await http.send({
      operation: 'track-reference',
      method: 'GET',
      path: referencePath(ref),
      query: {
        locale: options.locale ?? 'en_US',
        fromPickUpDate: options.fromPickUpDate,
        toPickUpDate: options.toPickUpDate,
        destCountry: options.destCountry,
        destZip: options.destZip,
        shipperNum: options.shipperNumber,
        refNumType: 'SmallPackage',
      },
    });
    return fromTrackResponse(res.body);
  } catch (e) {
    const notFound = notFoundResult(e);
    if (notFound) return notFound;
    throw e;
  }
}
