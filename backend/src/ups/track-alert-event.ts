/**
 * Pure parser of a Track Alert webhook body (v1 and v2 carry the same payload, ups.md §6.3). Lenient with
 * what UPS really sends — "" for absent values, padded tracking numbers, descriptionCode as a number — but
 * refuses bodies that are not tracking events, naming what is missing.
 */
import type { TrackingEvent, TrackingLocation } from '../domain/types.js';
import { asObject, pick, text, utcInstant } from './normalise.js';
import { trackingStatusOf } from './tracking-status.js';

const TRACKING_NUMBER = /^1Z[0-9A-Z]{16}$|^1R[0-9A-Z]{14}$|^1R[0-9A-Z]{26}$/;

export type TrackAlertParse =
  { ok: true; event: TrackingEvent; descriptionCode?: string } | { ok: false; error: string };

function fail(error: string): TrackAlertParse {
  return { ok: false, error };
}

export function parseTrackAlertEvent(body: unknown): TrackAlertParse {
  let value = body;
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString()) as unknown;
    } catch {
      return fail('body is not JSON');
    }
  }
  const root = Array.isArray(value) ? undefined : asObject(value);
  if (!root) return fail('body is not a JSON object');
  const rawTn = text(root.trackingNumber);
  if (!rawTn) return fail('trackingNumber is missing');
  const trackingNumber = rawTn.replace(/\s+/g, '').toUpperCase();
  if (!TRACKING_NUMBER.test(trackingNumber))
    return fail(`trackingNumber "${rawTn}" is not a UPS tracking number`);
  const status = asObject(root.activityStatus);
  if (!status) return fail('activityStatus is missing');
  const type = text(status.type) ?? '';
  const code = text(status.code) ?? '';
  if (!type && !code) return fail('activityStatus has neither type nor code');
  const localDate = text(root.localActivityDate);
  const localTime = text(root.localActivityTime);
  const occurredAt =
    utcInstant(root.gmtActivityDate, root.gmtActivityTime) ??
    utcInstant(localDate, localTime, root.gmtOffset);
  if (!occurredAt) return fail('neither gmtActivityDate nor localActivityDate is a YYYYMMDD date');

  const event: TrackingEvent = {
    trackingNumber,
    status: trackingStatusOf(type, code),
    // Never '': Oracle stores it as NULL and both columns are NOT NULL (the webhook would answer 503 and
    // the event be lost). The placeholder is derived, so the same push keeps the same dedupe key.
    upsStatusType: type || '-',
    upsStatusCode: code || `-${type}`,
    description: text(status.description) ?? '',
    occurredAt,
    source: 'track-alert',
  };
  if (localDate) event.localDate = localDate;
  if (localTime) event.localTime = localTime.padStart(6, '0');
  const loc = locationOf(root.activityLocation);
  if (loc) event.location = loc;
  const scheduled = text(root.scheduledDeliveryDate);
  if (scheduled && /^\d{8}$/.test(scheduled)) event.scheduledDeliveryDate = scheduled;
  const deliveredOn = text(root.actualDeliveryDate);
  if (deliveredOn) {
    // actualDelivery* is local time; the GMT activity instant is exact when this is the delivery event.
    event.actualDeliveryAt =
      event.status === 'delivered'
        ? occurredAt
        : (utcInstant(deliveredOn, root.actualDeliveryTime, root.gmtOffset) ?? occurredAt);
  } else if (event.status === 'delivered') {
    event.actualDeliveryAt = occurredAt;
  }
  // v2 examples write descriptionCode unquoted (021 → 21): keep it as the three-digit string UPS means.
  const dc = status.descriptionCode;
  const descriptionCode = typeof dc === 'number' ? String(dc).padStart(3, '0') : text(dc);
  return descriptionCode ? { ok: true, event, descriptionCode } : { ok: true, event };
}

function locationOf(value: unknown): TrackingLocation | undefined {
  const loc: TrackingLocation = {};
  const city = text(pick(value, 'city'));
  if (city) loc.city = city;
  const state = text(pick(value, 'stateProvince'));
  if (state) loc.stateProvince = state;
  const pc = text(pick(value, 'postalCode'));
  if (pc) loc.postalCode = pc;
  const country = text(pick(value, 'country')) ?? text(pick(value, 'countryCode'));
  if (country) loc.countryCode = country;
  return Object.keys(loc).length > 0 ? loc : undefined;
}
