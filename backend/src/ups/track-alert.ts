/**
 * UPS Track Alert subscriptions (ups.md §6): v1 with a destination (url, credentialType, credential) that UPS
 * calls back with a `credential` header; v2 standard/enhanced whose webhook and auth live in the developer
 * portal. At most 100 numbers per call (VSS220 rejects the whole request), enforced here by batching.
 * Partial success is HTTP 200 with valid and invalid lists; numbers UPS does not mention count as invalid
 * so the caller follows them with the Tracking API.
 */
import { inputError } from './address-format.js';
import { UpsError } from './errors.js';
import type { UpsHttp } from './http.js';
import { asArray, pick, text } from './normalise.js';

export const TRACK_ALERT_BATCH = 100;

const TRACKING_NUMBER = /^1Z[0-9A-Z]{16}$|^1R[0-9A-Z]{14}$|^1R[0-9A-Z]{26}$/;

export type TrackAlertSubscription =
  | { version: 'v1'; destination: { url: string; credentialType: string; credential: string } }
  | { version: 'v2'; type: 'standard' | 'enhanced'; eventPreferences?: ('D' | 'I' | 'M' | 'X')[] };

export interface SubscribeOptions {
  locale?: string;
  countryCode?: string;
}

export interface SubscribeResult {
  valid: string[];
  invalid: string[];
  /** HTTP calls made (one per batch of ≤ 100). */
  calls: number;
}

export function trackAlertPath(sub: TrackAlertSubscription): string {
  return sub.version === 'v1'
    ? '/api/track/v1/subscription/standard/package'
    : `/api/track/v2/subscription/${sub.type}/package`;
}

/** Trimmed, upper-case tracking numbers, duplicates removed; those that cannot be UPS numbers apart. */
export function splitTrackingNumbers(numbers: string[]): { wellFormed: string[]; malformed: string[] } {
  const seen = new Set<string>();
  const wellFormed: string[] = [];
  const malformed: string[] = [];
  for (const raw of numbers) {
    const tn = raw.replace(/\s+/g, '').toUpperCase();
    if (seen.has(tn)) continue;
    seen.add(tn);
    (TRACKING_NUMBER.test(tn) ? wellFormed : malformed).push(tn || raw);
  }
  return { wellFormed, malformed };
}

export function toSubscribeRequest(
  sub: TrackAlertSubscription,
  trackingNumbers: string[],
  options: SubscribeOptions = {},
): Record<string, unknown> {
  if (trackingNumbers.length > TRACK_ALERT_BATCH) {
    throw inputError(
      'track-alert',
      `${trackingNumbers.length} tracking numbers; Track Alert takes ${TRACK_ALERT_BATCH} per call`,
    );
  }
  const body: Record<string, unknown> = { locale: options.locale ?? 'en_US' };
  if (options.countryCode) body.countryCode = options.countryCode;
  body.trackingNumberList = trackingNumbers;
  if (sub.version === 'v1') {
    const { url, credentialType, credential } = sub.destination;
    if (!/^https:\/\//i.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(url)) {
      throw inputError('track-alert', `webhook url "${url}" must be https`);
    }
    if (!credential) throw inputError('track-alert', 'v1 subscriptions need a credential for the webhook');
    body.destination = { url, credentialType, credential };
  } else if (sub.type === 'enhanced' && sub.eventPreferences && sub.eventPreferences.length > 0) {
    body.eventPreferences = sub.eventPreferences;
  }
  return body;
}

function numbersOf(value: unknown): string[] {
  return asArray(value)
    .map((v) => text(v)?.toUpperCase())
    .filter((v): v is string => !!v);
}

export function fromSubscribeResponse(body: unknown, sent: string[]): { valid: string[]; invalid: string[] } {
  const valid = numbersOf(pick(body, 'validTrackingNumbers'));
  const invalid = numbersOf(pick(body, 'invalidTrackingNumbers'));
  const mentioned = new Set([...valid, ...invalid]);
  return { valid, invalid: invalid.concat(sent.filter((tn) => !mentioned.has(tn))) };
}

async function subscribeBatch(
  http: UpsHttp,
  sub: TrackAlertSubscription,
  batch: string[],
  options: SubscribeOptions,
): Promise<{ valid: string[]; invalid: string[] }> {
  const body = toSubscribeRequest(sub, batch, options);
  // The v1 destination credential is the webhook secret: it must not reach the audit trail.
  const auditBody =
    sub.version === 'v1'
      ? { ...body, destination: { ...sub.destination, credential: '[redacted]' } }
      : undefined;
  try {
    const res = await http.send({
      operation: 'track-alert-subscribe',
      method: 'POST',
      path: trackAlertPath(sub),
      body,
      auditBody,
    });
    return fromSubscribeResponse(res.body, batch);
  } catch (e) {
    // 400 with invalidTrackingNumbers (e.g. VSS210 "no valid tracking number"): a result, not a failure.
    if (e instanceof UpsError && e.httpStatus === 400 && e.errors.some((x) => /^VSS2[01]0$/.test(x.code))) {
      return { valid: [], invalid: batch };
    }
    throw e;
  }
}

/** Subscribes any number of tracking numbers in batches of ≤ 100, sequentially. */
export async function subscribeTrackingNumbers(
  http: UpsHttp,
  sub: TrackAlertSubscription,
  trackingNumbers: string[],
  options: SubscribeOptions = {},
): Promise<SubscribeResult> {
  const { wellFormed, malformed } = splitTrackingNumbers(trackingNumbers);
  const out: SubscribeResult = { valid: [], invalid: [...malformed], calls: 0 };
  for (let i = 0; i < wellFormed.length; i += TRACK_ALERT_BATCH) {
    const batch = wellFormed.slice(i, i + TRACK_ALERT_BATCH);
    const r = await subscribeBatch(http, sub, batch, options);
    out.calls += 1;
    out.valid.push(...r.valid);
    out.invalid.push(...r.invalid);
  }
  return out;
}
