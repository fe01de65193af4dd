/**
 * Track Alert pushes (ups.md §6): one POST per event to the subscriber, `User-Agent: UPSPubSubTrackingService`,
 * v1 with the subscription's `credential` header, v2 with a Bearer token fetched from the subscriber's OAuth
 * token URL (client_secret_basic) plus `x-api-key: <clientId>`. A failed push (error status, or no answer within
 * the ack timeout) is lost: UPS does not redeliver.
 */
import type {
  PackageEvent,
  TrackAlertSubscription,
  TrackedPackage,
  UpsState,
  WebhookDelivery,
} from './state.js';
import { eventTimes } from './tracking.js';

export const USER_AGENT = 'UPSPubSubTrackingService';

/** The body UPS posts; absent values are "" exactly where UPS's examples show them (TrackAlert*.yaml). */
export function webhookPayload(
  pkg: TrackedPackage,
  e: PackageEvent,
  sub: Pick<TrackAlertSubscription, 'version' | 'type'>,
) {
  const t = eventTimes(e.atMs);
  const delivered = e.type === 'D' && e.code === 'FS';
  const payload: Record<string, unknown> = {
    trackingNumber: pkg.trackingNumber,
    localActivityDate: t.localDate,
    localActivityTime: t.localTime,
    activityLocation: {
      city: e.city,
      stateProvince: e.stateProvince,
      postalCode: delivered ? e.postalCode : '',
      country: e.country,
    },
    activityStatus: { type: e.type, code: e.code, description: e.description, descriptionCode: e.statusCode },
    scheduledDeliveryDate:
      e.type === 'M' || e.type === 'MV' ? '' : (e.rescheduledDeliveryDate ?? pkg.scheduledDeliveryDate),
    actualDeliveryDate: delivered ? t.localDate : '',
    actualDeliveryTime: delivered ? t.localTime : '',
    gmtActivityDate: t.gmtDate,
    gmtActivityTime: t.gmtTime,
    gmtOffset: '-05.00',
    deliveryStartTime: '',
    deliveryEndTime: '',
    deliveryTimeDescription: e.type === 'I' || e.type === 'U' ? 'end of day' : '',
  };
  if (sub.version === 'v1' || sub.type === 'enhanced') payload.deliveryPhoto = '';
  if (delivered && e.receivedBy) payload.receivedBy = e.receivedBy;
  return payload;
}

const PREFERENCE_OF: Record<PackageEvent['type'], string> = {
  M: 'M',
  MV: 'M',
  I: 'I',
  X: 'X',
  U: 'X',
  D: 'D',
};

export class WebhookPusher {
  private chain: Promise<void> = Promise.resolve();
  private token: { value: string; expiresAtMs: number; key: string } | undefined;

  constructor(
    private readonly state: UpsState,
    private readonly random: () => number,
  ) {
    state.eventListeners.push((pkg, e) => this.onEvent(pkg, e));
  }

  /** Subscriptions that receive an event happening at `atMs`. */
  private subscribersOf(trackingNumber: string, atMs: number): TrackAlertSubscription[] {
    return (['v1', 'v2'] as const)
      .map((v) => this.state.subscriptions.get(`${v}:${trackingNumber}`))
      .filter(
        (s): s is TrackAlertSubscription =>
          s !== undefined && s.subscribedAtMs <= atMs && atMs < s.expiresAtMs,
      );
  }

  onEvent(pkg: TrackedPackage, e: PackageEvent): void {
    for (const sub of this.subscribersOf(pkg.trackingNumber, e.atMs)) {
      if (sub.eventPreferences.length > 0 && !sub.eventPreferences.includes(PREFERENCE_OF[e.type])) continue;
      this.queue(sub, webhookPayload(pkg, e, sub));
    }
    if (this.state.webhookBehaviour.delivery === 'immediate') void this.flush();
  }

  /** CIE test numbers: manifest, origin scan, out for delivery and delivery, one second apart (TrackAlert FAQ). */
  playCieScript(sub: TrackAlertSubscription): void {
    const t = this.state.now();
    const place = { city: 'ATLANTA', stateProvince: 'GA', postalCode: '30328', country: 'US' };
    const pkg: TrackedPackage = {
      trackingNumber: sub.trackingNumber,
      shipmentIdentificationNumber: sub.trackingNumber,
      events: [],
      plan: [],
      scheduledDeliveryDate: eventTimes(t + 86_400_000).localDate,
    };
    const script: PackageEvent[] = [
      {
        type: 'M',
        code: 'MP',
        description: 'Shipment Ready for UPS',
        statusCode: '003',
        ...place,
        city: '',
        stateProvince: '',
        postalCode: '',
        atMs: t,
      },
      { type: 'I', code: 'OR', description: 'Origin Scan', statusCode: '005', ...place, atMs: t + 1000 },
      {
        type: 'I',
        code: 'OT',
        description: 'Out For Delivery Today',
        statusCode: '021',
        ...place,
        atMs: t + 2000,
      },
      {
        type: 'D',
        code: 'FS',
        description: 'DELIVERED',
        statusCode: '011',
        ...place,
        atMs: t + 3000,
        receivedBy: 'JOHN',
      },
    ];
    for (const e of script) this.queue(sub, webhookPayload(pkg, e, sub));
    if (this.state.webhookBehaviour.delivery === 'immediate') void this.flush();
  }

  queue(sub: TrackAlertSubscription, payload: Record<string, unknown>): void {
    const url = sub.version === 'v1' ? (sub.destination?.url ?? '') : (this.state.webhookConfig?.url ?? '');
    const copies = this.random() < this.state.webhookBehaviour.duplicateProbability ? 2 : 1;
    for (let i = 0; i < copies; i += 1) {
      this.state.deliveries.push({
        id: (this.state.deliverySequence += 1),
        trackingNumber: String(payload.trackingNumber),
        version: sub.version,
        url,
        payload,
        duplicate: i > 0,
        queuedAtMs: this.state.now(),
        status: 'pending',
        ...(sub.destination ? { credential: sub.destination.credential } : {}),
      });
    }
  }

  /** Sends every pending delivery once (newest first in out-of-order mode); resolves when all were tried. */
  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const pending = this.state.deliveries.filter((d) => d.status === 'pending');
      if (this.state.webhookBehaviour.outOfOrder) pending.reverse();
      for (const d of pending) await this.send(d);
    });
    return this.chain;
  }

  private async v2Token(): Promise<string> {
    const cfg = this.state.webhookConfig;
    if (!cfg) throw new Error('no v2 webhook configured (POST /_sandbox/ups/webhooks/v2)');
    const key = `${cfg.tokenUrl}|${cfg.clientId}|${cfg.clientSecret}`;
    if (this.token && this.token.key === key && this.token.expiresAtMs > Date.now() + 5000)
      return this.token.value;
    const res = await fetch(cfg.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(cfg.clientId)}:${encodeURIComponent(cfg.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': USER_AGENT,
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`token URL answered HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('token URL answered without access_token');
    this.token = {
      value: body.access_token,
      expiresAtMs: Date.now() + Number(body.expires_in ?? 300) * 1000,
      key,
    };
    return body.access_token;
  }

  private async send(d: WebhookDelivery): Promise<void> {
    d.attemptedAtMs = this.state.now();
    try {
      if (!d.url) throw new Error('no webhook URL');
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
      };
      if (d.version === 'v1') {
        headers.credential = d.credential ?? '';
      } else {
        headers.authorization = `Bearer ${await this.v2Token()}`;
        headers['x-api-key'] = this.state.webhookConfig!.clientId;
      }
      const ackMs = this.state.webhookBehaviour.ackTimeoutMs;
      const res = await fetch(d.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(d.payload),
        signal: AbortSignal.timeout(ackMs),
      }).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'TimeoutError')
          throw new Error(`no acknowledgement within ${ackMs} ms`);
        throw err;
      });
      d.httpStatus = res.status;
      await res.arrayBuffer().catch(() => undefined);
      d.status = res.ok ? 'delivered' : 'failed';
      if (!res.ok) d.error = `HTTP ${res.status}`;
    } catch (err) {
      d.status = 'failed';
      d.error = err instanceof Error ? err.message : String(err);
    }
  }
}
