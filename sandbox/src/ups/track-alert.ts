/**
 * Track Alert subscriptions: v1 POST /api/track/v1/subscription/standard/package (destination in the body,
 * TrackAlert-v1-2025-09.yaml) and v2 POST /api/track/v2/subscription/{standard|enhanced}/package (webhook
 * configured out of band, TrackAlert.yaml). ≤100 numbers per call, 14 days per number (ups.md §6).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TrackAlertSubscription, UpsClient, UpsState } from './state.js';
import type { UpsJson } from './shipment-model.js';
import { UpsError, vss } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate } from './faults.js';
import { requireBearer } from './oauth.js';
import { isValid1Z } from './tracking-numbers.js';
import type { WebhookPusher } from './webhook-pusher.js';

export const SUBSCRIPTION_DAYS = 14;
const ROADIE = /^1R[0-9A-Z]{14}$|^1R[0-9A-Z]{26}$/;
/** UPS's CIE test numbers: each subscription triggers a scripted series of events (TrackAlert.yaml FAQ). */
export const CIE_TEST_NUMBERS = ['1ZCIETST0111111114', '1ZCIETST0422222228'];

function requireTransHeaders(req: Request, _res: Response, next: NextFunction) {
  const transId = req.get('transId');
  if (transId === undefined) throw vss('VSS002');
  if (transId.trim() === '' || transId.length > 32) throw vss('VSS003');
  const src = req.get('transactionSrc');
  if (src === undefined) throw vss('VSS004');
  if (src.trim() === '' || src.length > 512) throw vss('VSS006');
  next();
}

function numbersSent(body: unknown): string[] {
  const list =
    body && typeof body === 'object' ? (body as { trackingNumberList?: unknown }).trackingNumberList : [];
  return Array.isArray(list) ? list.map((x) => String(x).trim()) : [];
}

interface Parsed {
  numbers: string[];
  eventPreferences: string[];
  destination?: { url: string; credentialType: string; credential: string };
}

function parseBody(body: unknown, version: 'v1' | 'v2'): Parsed {
  if (!body || typeof body !== 'object' || Object.keys(body).length === 0) throw vss('VSS110');
  const b = body as Record<string, UpsJson>;
  if (b.locale === undefined || b.locale === '') throw vss('VSS300');
  if (b.locale !== 'en_US') throw vss('VSS310');
  if (b.countryCode !== undefined && b.countryCode !== '' && !/^[A-Z]{2}$/.test(String(b.countryCode)))
    throw vss('VSS400');
  if (!Array.isArray(b.trackingNumberList) || b.trackingNumberList.length === 0) throw vss('VSS200');
  const numbers = b.trackingNumberList.map((x: unknown) => String(x).trim());
  if (numbers.length > 100) throw vss('VSS220');
  const prefs = Array.isArray(b.eventPreferences) ? b.eventPreferences.map(String) : [];
  if (version === 'v2') return { numbers, eventPreferences: prefs };
  const d = b.destination;
  if (!d || typeof d !== 'object') throw vss('VSS500');
  if (typeof d.url !== 'string' || d.url.trim() === '') throw vss('VSS600');
  if (d.url.length > 2048) throw vss('VSS610');
  if (typeof d.credential !== 'string' || d.credential === '') throw vss('VSS700');
  if (typeof d.credentialType !== 'string' || d.credentialType === '') throw vss('VSS800');
  return {
    numbers,
    eventPreferences: [],
    destination: { url: d.url, credentialType: d.credentialType, credential: d.credential },
  };
}

export function trackAlertRouter(state: UpsState, random: () => number, pusher: WebhookPusher): Router {
  const router = express.Router();
  const handle = (version: 'v1' | 'v2') => (req: Request, res: Response) => {
    if (version === 'v1') return subscribe(version, req, res);
    try {
      subscribe(version, req, res);
    } catch (err) {
      // v2's 400 schema (PackageSubscriptionErrorResponse) requires invalidTrackingNumbers on every error,
      // and UPS's own VSS300 example carries it: the numbers that were sent, or [] when none could be read.
      if (err instanceof UpsError && err.status === 400 && !err.extra?.invalidTrackingNumbers) {
        throw new UpsError(err.status, err.code, err.message, {
          ...err.extra,
          invalidTrackingNumbers: numbersSent(req.body),
        });
      }
      throw err;
    }
  };
  const subscribe = (version: 'v1' | 'v2', req: Request, res: Response) => {
    const type = version === 'v1' ? 'standard' : String(req.params.type);
    if (type !== 'standard' && type !== 'enhanced') throw vss('VSS930');
    const parsed = parseBody(req.body, version);
    const valid = parsed.numbers.filter((n) => isValid1Z(n) || ROADIE.test(n));
    const invalid = parsed.numbers.filter((n) => !valid.includes(n));
    if (valid.length === 0) throw vss('VSS210', invalid);
    const client = res.locals.client as UpsClient;
    const now = state.now();
    for (const n of valid) {
      const sub: TrackAlertSubscription = {
        trackingNumber: n,
        version,
        type,
        clientId: client.clientId,
        eventPreferences: type === 'enhanced' ? parsed.eventPreferences : [],
        subscribedAtMs: now,
        expiresAtMs: now + SUBSCRIPTION_DAYS * 86_400_000,
        ...(parsed.destination ? { destination: parsed.destination } : {}),
      };
      state.subscriptions.set(`${version}:${n}`, sub);
      if (CIE_TEST_NUMBERS.includes(n)) pusher.playCieScript(sub);
    }
    sendOk(res, state, {
      validTrackingNumbers: valid,
      ...(invalid.length ? { invalidTrackingNumbers: invalid } : {}),
    });
  };
  const gate = faultGate(state, 'track-alert', random);
  router.post(
    '/api/track/v1/subscription/standard/package',
    gate,
    requireBearer(state),
    requireTransHeaders,
    handle('v1'),
  );
  router.post(
    '/api/track/v2/subscription/:type/package',
    gate,
    requireBearer(state),
    requireTransHeaders,
    handle('v2'),
  );
  return router;
}
