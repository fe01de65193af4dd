/**
 * A PO's tracking timeline for the JET UI: its shipments (newest first) with their events (newest first),
 * location, status, expected and actual delivery. And the read-only, expiring link per shipment that a
 * customer portal can show: a JWS (HS256) naming tenant and shipment, under the tenant's vault-sealed link
 * key; expiry is enforced and any change to the token fails verification.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { TrackingLocation, TrackingStatus } from '../domain/types.js';
import type { Shipment } from '../storage/repositories/shipments.js';
import type { TrackingDeps } from './tracking-deps.js';
import { ymdOf } from './ingest-event.js';
import { credentialsOf } from './webhook-credentials.js';

export interface TimelineEvent {
  at: string;
  status: TrackingStatus;
  upsStatusType: string;
  upsStatusCode: string;
  description: string;
  location?: TrackingLocation;
  localDate?: string;
  localTime?: string;
  source: string;
}

export interface ShipmentTimeline {
  shipmentId: string;
  poHeaderId: string;
  trackingNumber: string | null;
  state: string;
  status: TrackingStatus | null;
  statusAt: string | null;
  /** YYYYMMDD, rescheduled when UPS rescheduled. */
  expectedDelivery: string | null;
  deliveredAt: string | null;
  events: TimelineEvent[];
}

// After the write-back a shipment is `written_back`; it is tracked the same as `shipped`.
const TRACKED_STATES = ['shipped', 'written_back', 'void_requested', 'voided', 'void_failed'];

async function shipmentTimeline(deps: Pick<TrackingDeps, 'storage'>, s: Shipment): Promise<ShipmentTimeline> {
  const events = await deps.storage.repos.trackingEvents.listByShipment(s.tenantId, s.id);
  return {
    shipmentId: s.id,
    poHeaderId: s.poHeaderId,
    trackingNumber: s.trackingNumber,
    state: s.state,
    status: s.trackingStatus,
    statusAt: s.trackingStatusAt?.toISOString() ?? null,
    expectedDelivery: ymdOf(s.expectedDelivery),
    deliveredAt: s.deliveredAt?.toISOString() ?? null,
    events: events.map((e) => ({
      at: e.occurredAt.toISOString(),
      status: e.status,
      upsStatusType: e.upsStatusType,
      upsStatusCode: e.upsStatusCode,
      description: e.description,
      ...(e.location ? { location: e.location } : {}),
      ...(e.localDate ? { localDate: e.localDate } : {}),
      ...(e.localTime ? { localTime: e.localTime } : {}),
      source: e.source,
    })),
  };
}

export async function poTimeline(
  deps: Pick<TrackingDeps, 'storage'>,
  tenantId: string,
  poHeaderId: string,
): Promise<ShipmentTimeline[]> {
  const shipments = (await deps.storage.repos.shipments.listByPo(tenantId, poHeaderId)).filter(
    (s) => s.trackingNumber && TRACKED_STATES.includes(s.state),
  );
  return Promise.all(shipments.map((s) => shipmentTimeline(deps, s)));
}

// ---- signed links ------------------------------------------------------------------------------------

const LINK_AUDIENCE = 'tracking-link';
export const DEFAULT_LINK_TTL_SECONDS = 30 * 24 * 3600;

export class InvalidLinkError extends Error {}

type LinkDeps = Pick<TrackingDeps, 'storage' | 'vault'>;

/** A token for /t/:token showing one shipment read-only until `ttlSeconds` from now. */
export async function signShipmentLink(
  deps: LinkDeps,
  tenantId: string,
  shipmentId: string,
  ttlSeconds = DEFAULT_LINK_TTL_SECONDS,
  nowMs = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const key = await credentialsOf(deps).linkKey(tenantId);
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  // The tenant travels in the header (kid) so the verifier knows whose key to use before trusting anything.
  const token = await new SignJWT({ sid: shipmentId })
    .setProtectedHeader({ alg: 'HS256', kid: tenantId })
    .setAudience(LINK_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The shipment a link shows; InvalidLinkError when it is forged, altered, expired or unknown. */
export async function openShipmentLink(deps: LinkDeps, token: string): Promise<ShipmentTimeline> {
  let tenantId: string;
  let shipmentId: string;
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    if (typeof header.kid !== 'string' || header.kid === '') throw new Error('no tenant');
    tenantId = header.kid;
    const rows = await deps.storage.repos.webhookCredentials.listActive(tenantId, 'tracking-link-key');
    if (rows.length === 0) throw new Error('no key');
    const key = await credentialsOf(deps).linkKey(tenantId);
    const { payload } = await jwtVerify(token, key, { audience: LINK_AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sid !== 'string') throw new Error('no shipment');
    shipmentId = payload.sid;
  } catch {
    throw new InvalidLinkError('invalid or expired tracking link');
  }
  const shipment = await deps.storage.repos.shipments.get(tenantId, shipmentId);
  if (!shipment) throw new InvalidLinkError('invalid or expired tracking link');
  return shipmentTimeline(deps, shipment);
}
