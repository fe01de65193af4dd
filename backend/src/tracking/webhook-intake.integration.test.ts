/**
 * Issue 5 acceptance for the webhook, over real HTTP: the UPS sandbox pushes Track Alert v2 events (OAuth
 * token from OUR token endpoint, then Bearer + x-api-key) with duplicates and in reverse order; ≥ 200
 * malformed or unauthenticated requests store nothing; every good event is stored exactly once and
 * delivered shipments stay delivered. Then the PO timeline and the signed customer link.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { signShipmentLink } from './timeline.js';
import { activityKey, startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';
import { credentialsOf } from './webhook-credentials.js';

interface Delivery {
  trackingNumber: string;
  status: string;
  duplicate: boolean;
  httpStatus?: number;
  payload: Record<string, unknown> & { activityStatus: { type: string; code: string } };
}

for (const engine of testEngines().filter((e) => e.name !== 'Oracle')) {
  describe.skipIf(engine.skipReason !== null)(
    `Track Alert webhook intake on ${engine.name}${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      let kit: TrackingKit;
      let labels: Array<{ trackingNumber: string; shipmentId: string; poHeaderId: string }>;
      let client: { clientId: string; clientSecret: string };
      let hook: string;
      let tokenUrl: string;

      const post = (url: string, body: string, headers: Record<string, string> = {}) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const token = async (
        id = client.clientId,
        secret = client.clientSecret,
        grant = 'client_credentials',
      ) => {
        const res = await fetch(tokenUrl, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: `grant_type=${grant}`,
        });
        return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
      };

      beforeAll(async () => {
        kit = await startTrackingKit(engine, { seed: 9 });
        kit.setSettings({ trackAlert: { enabled: true, version: 'v2' } });
        hook = `${kit.baseUrl}/webhooks/ups/${TENANT}`;
        tokenUrl = `${kit.baseUrl}/oauth/ups/${TENANT}/token`;
        client = await credentialsOf(kit.deps).v2Client(TENANT);
        // What the operator enters in the UPS developer portal ("Manage Webhook Credentials").
        await kit.scenario('POST', '/webhooks/v2', { url: hook, tokenUrl, ...client });
        labels = await kit.createLabels(20);
      }, 120_000);
      afterAll(async () => kit?.close());

      it('our token endpoint issues tokens to our client only', async () => {
        const ok = await token();
        expect(ok.status).toBe(200);
        expect(ok.body.access_token).toMatch(/^ey/);
        expect((await token(client.clientId, 'wrong')).status).toBe(401);
        expect((await token('someone', client.clientSecret)).status).toBe(401);
        expect((await token(client.clientId, client.clientSecret, 'password')).body.error).toBe(
          'unsupported_grant_type',
        );
      });

      it('stores every pushed event exactly once despite duplicates and reverse order', async () => {
        expect(await subscribeNewLabels(kit.deps, TENANT)).toMatchObject({ subscribed: 20, calls: 1 });
        await kit.scenario('PUT', '/webhooks/behaviour', {
          delivery: 'manual',
          duplicateProbability: 0.5,
          outOfOrder: true,
        });
        for (const [i, l] of labels.entries()) {
          if (i % 4 === 0)
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'exception' });
          await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'next' });
          if (i % 4 !== 3)
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'deliver' });
        }
        const { deliveries } = await kit.scenario<{ deliveries: Delivery[] }>('POST', '/webhooks/push');
        expect(deliveries.filter((d) => d.duplicate).length).toBeGreaterThan(5);
        expect(deliveries.every((d) => d.status === 'delivered' && d.httpStatus === 200)).toBe(true);
        for (const [i, l] of labels.entries()) {
          const pushed = deliveries
            .filter((d) => d.trackingNumber === l.trackingNumber)
            .map(
              (d) =>
                `${activityKey({ localDate: String(d.payload.localActivityDate), localTime: String(d.payload.localActivityTime), type: d.payload.activityStatus.type })}|${d.payload.activityStatus.code}`,
            );
          // With the code: two scans of one type in the same second are two events.
          const stored = (await kit.storedEvents(l.trackingNumber)).map(
            (e) => `${activityKey(e)}|${e.upsStatusCode}`,
          );
          expect(stored.sort(), l.trackingNumber).toEqual([...new Set(pushed)].sort());
          const shipment = await kit.storage.repos.shipments.get(TENANT, l.shipmentId);
          // Delivered first (reverse order), older scans after: it stays delivered.
          expect(shipment?.trackingStatus, l.trackingNumber).toBe(
            i % 4 === 3 ? (i % 4 === 0 ? 'exception' : 'in_transit') : 'delivered',
          );
        }
      }, 120_000);

      it('refuses ≥ 200 malformed or unauthenticated requests without storing anything', async () => {
        const tn = labels[3]!.trackingNumber; // still in transit
        const event = (hhmmss: string) =>
          JSON.stringify({
            trackingNumber: tn,
            localActivityDate: '20301231',
            localActivityTime: hhmmss,
            activityLocation: { city: 'ATLANTA', stateProvince: 'GA', postalCode: '', country: 'US' },
            activityStatus: {
              type: 'I',
              code: 'AR',
              description: 'Arrived at Facility',
              descriptionCode: '005',
            },
            scheduledDeliveryDate: '',
            actualDeliveryDate: '',
            actualDeliveryTime: '',
            gmtActivityDate: '20301231',
            gmtActivityTime: hhmmss,
            gmtOffset: '-05.00',
          });
        const good = (await token()).body.access_token!;
        const v2 = { authorization: `Bearer ${good}`, 'x-api-key': client.clientId };
        const forged = await new SignJWT({ tid: TENANT })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(client.clientId)
          .setAudience('ups-track-alert-webhook')
          .setExpirationTime('1h')
          .sign(new Uint8Array(32));
        const tables = ['tracking_events', 'write_backs', 'webhook_credentials', 'audit_log'] as const;
        const before = await Promise.all(tables.map((t) => kit.countRows(t)));

        const statuses: number[] = [];
        const send = async (n: number, make: (i: number) => Promise<Response>) => {
          for (let i = 0; i < n; i += 1) statuses.push((await make(i)).status);
        };
        const t = (i: number) => String(100000 + i);
        await send(50, (i) => post(hook, event(t(i))));
        await send(30, (i) => post(hook, event(t(i)), { credential: `guess-${i}` }));
        await send(30, (i) =>
          post(hook, event(t(i)), { authorization: `Bearer junk.${i}.x`, 'x-api-key': client.clientId }),
        );
        await send(20, (i) => post(hook, event(t(i)), { ...v2, 'x-api-key': `other-${i}` }));
        await send(20, (i) =>
          post(hook, event(t(i)), { authorization: `Bearer ${forged}`, 'x-api-key': client.clientId }),
        );
        await send(10, (i) => post(`${kit.baseUrl}/webhooks/ups/other-tenant`, event(t(i)), v2));
        const unauthenticated = statuses.length;
        await send(10, (i) => post(hook, `{"trackingNumber": "${tn}", oops ${i}`, v2));
        await send(10, () => post(hook, '[]', v2));
        await send(10, (i) =>
          post(
            hook,
            JSON.stringify({ activityStatus: { type: 'I' }, gmtActivityDate: '20301231', n: i }),
            v2,
          ),
        );
        await send(10, (i) => post(hook, event(t(i)).replace(tn, `1Z${i}NOTANUMBER`), v2));
        await send(10, (i) =>
          post(hook, JSON.stringify({ trackingNumber: tn, gmtActivityDate: '20301231', n: i }), v2),
        );
        await send(10, (i) => post(hook, event(t(i)).replaceAll('20301231', ''), v2));
        await send(5, (i) =>
          post(hook, JSON.stringify({ trackingNumber: tn, pad: 'x'.repeat(70_000 + i) }), v2),
        );

        expect(statuses.length).toBeGreaterThanOrEqual(200);
        expect(statuses.slice(0, unauthenticated).every((s) => s === 401)).toBe(true);
        expect(statuses.slice(unauthenticated).every((s) => s === 400 || s === 413)).toBe(true);
        expect(statuses.slice(-5)).toEqual([413, 413, 413, 413, 413]);
        expect(await Promise.all(tables.map((x) => kit.countRows(x)))).toEqual(before);

        // The same event, authenticated, is stored: it was refused for who sent it, not for what it said.
        expect((await post(hook, event(t(0)), v2)).status).toBe(200);
        expect(await kit.countRows('tracking_events')).toBe(before[0]! + 1);
      }, 120_000);

      it('is lenient with padded numbers and empty strings; records unknown numbers and ignores them', async () => {
        const tn = labels[7]!.trackingNumber;
        const v2 = {
          authorization: `Bearer ${(await token()).body.access_token!}`,
          'x-api-key': client.clientId,
        };
        const body = (trackingNumber: string) =>
          JSON.stringify({
            trackingNumber,
            localActivityDate: '20301230',
            localActivityTime: '',
            activityLocation: '',
            activityStatus: { type: 'I', code: 'DP', description: 'Departed ', descriptionCode: 5 },
            scheduledDeliveryDate: '',
            gmtActivityDate: '20301230',
            gmtActivityTime: '120000',
            deliveryPhoto: '',
          });
        expect((await post(hook, body(` ${tn.toLowerCase()}  `), v2)).status).toBe(200);
        expect((await kit.storedEvents(tn)).some((e) => e.localDate === '20301230')).toBe(true);
        const unknown = '1ZZZZZZZ0399999990';
        expect((await post(hook, body(unknown), v2)).status).toBe(200);
        const stored = await kit.storedEvents(unknown);
        expect(stored).toHaveLength(1);
        expect(stored[0]!.shipmentId).toBeNull();
      });

      it('serves the PO timeline newest first and a signed, expiring, read-only link', async () => {
        const l = labels[0]!;
        const res = await fetch(`${kit.baseUrl}/api/tenants/${TENANT}/pos/${l.poHeaderId}/timeline`);
        const body = (await res.json()) as {
          shipments: Array<{
            trackingNumber: string;
            status: string;
            expectedDelivery: string | null;
            deliveredAt: string | null;
            events: Array<{ at: string; location?: unknown }>;
          }>;
        };
        expect(body.shipments).toHaveLength(1);
        const s = body.shipments[0]!;
        expect(s).toMatchObject({ trackingNumber: l.trackingNumber, status: 'delivered' });
        expect(s.deliveredAt).not.toBeNull();
        const inTransit = (await (
          await fetch(`${kit.baseUrl}/api/tenants/${TENANT}/pos/${labels[3]!.poHeaderId}/timeline`)
        ).json()) as typeof body;
        expect(inTransit.shipments[0]).toMatchObject({ status: 'in_transit', deliveredAt: null });
        expect(inTransit.shipments[0]!.expectedDelivery).toMatch(/^\d{8}$/);
        const times = s.events.map((e) => e.at);
        expect(times).toEqual([...times].sort().reverse());
        expect(s.events.some((e) => e.location)).toBe(true);

        const link = (await (
          await fetch(`${kit.baseUrl}/api/tenants/${TENANT}/shipments/${l.shipmentId}/link`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ttlSeconds: 3600 }),
          })
        ).json()) as { url: string; token: string };
        const shown = await fetch(`${kit.baseUrl}${link.url}`);
        expect(shown.status).toBe(200);
        const view = (await shown.json()) as Record<string, unknown>;
        expect(view).toMatchObject({ trackingNumber: l.trackingNumber, status: 'delivered' });
        expect(JSON.stringify(view)).not.toContain(l.shipmentId);
        expect((await fetch(`${kit.baseUrl}/t/${link.token}`)).status).toBe(200);

        const [h, p, sig] = link.token.split('.') as [string, string, string];
        const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
        expect((await fetch(`${kit.baseUrl}/t?token=${flipped}`)).status).toBe(401);
        const otherShipment = Buffer.from(
          JSON.stringify({
            ...JSON.parse(Buffer.from(p, 'base64url').toString()),
            sid: labels[1]!.shipmentId,
          }),
        ).toString('base64url');
        expect((await fetch(`${kit.baseUrl}/t?token=${h}.${otherShipment}.${sig}`)).status).toBe(401);
        const expired = await signShipmentLink(kit.deps, TENANT, l.shipmentId, 60, Date.now() - 3_600_000);
        expect((await fetch(`${kit.baseUrl}/t?token=${expired.token}`)).status).toBe(401);
        expect((await fetch(`${kit.baseUrl}/t?token=`)).status).toBe(401);
      });
    },
  );
}
