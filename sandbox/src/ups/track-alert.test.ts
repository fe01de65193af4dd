/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { shipRequest, startKit, type Kit } from './test-kit.js';
import { make1Z } from './tracking-numbers.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A subscriber: a webhook at /hook (answers `hookStatus`) and an OAuth token endpoint at /token. */
let receiver: Server;
let receiverUrl = '';
let received: Received[] = [];
let hookStatus = 200;
let hookDelayMs = 0;

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/token') {
        const ok =
          req.headers.authorization === `Basic ${Buffer.from('hook-client:hook-secret').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            ok
              ? { access_token: 'receiver-token', token_type: 'Bearer', expires_in: 3600 }
              : { error: 'invalid_client' },
          ),
        );
        return;
      }
      setTimeout(() => {
        res.writeHead(hookStatus);
        res.end();
      }, hookDelayMs);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(async () => {
  await kit.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  received = [];
  hookStatus = 200;
  hookDelayMs = 0;
  await kit.scenario('POST', '/reset');
  kit.resetToken();
});

const hooks = () => received.filter((r) => r.path === '/hook');
async function shipOne(reference = 'PO-6001') {
  const r = await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference }));
  return r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
}
const v1Body = (numbers: string[]) => ({
  locale: 'en_US',
  countryCode: 'US',
  trackingNumberList: numbers,
  destination: { url: `${receiverUrl}/hook`, credentialType: 'Bearer', credential: 'shared-secret-123' },
});
async function subscribeV1(numbers: string[]) {
  const path = '/api/track/v1/subscription/standard/package';
  const r = await kit.ups('POST', path, v1Body(numbers));
  expect(contracts.validateResponse('POST', path, r.status, r.body).errors).toEqual([]);
  return r;
}
const pushNow = () => kit.scenario('POST', '/webhooks/push');

describe('Track Alert subscriptions', () => {
  it('splits valid and invalid numbers, rejects more than 100 with VSS220 and none valid with VSS210', async () => {
    const n = await shipOne();
    const r = await subscribeV1([n, '1Z999AA10123456785', 'nonsense']);
    expect(r.body).toEqual({
      validTrackingNumbers: [n],
      invalidTrackingNumbers: ['1Z999AA10123456785', 'nonsense'],
    });
    const many = Array.from({ length: 101 }, (_, i) => make1Z('A1B2C3', '03', i + 1));
    const tooMany = await kit.ups('POST', '/api/track/v1/subscription/standard/package', v1Body(many));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.response.errors[0].code).toBe('VSS220');
    const okHundred = await subscribeV1(many.slice(0, 100));
    expect(okHundred.body.validTrackingNumbers).toHaveLength(100);
    const none = await kit.ups('POST', '/api/track/v1/subscription/standard/package', v1Body(['bad']));
    expect(none.body).toEqual({
      invalidTrackingNumbers: ['bad'],
      response: { errors: [{ code: 'VSS210', message: expect.any(String) }] },
    });
  });

  it('requires transId (VSS002), transactionSrc (VSS004), a destination in v1 (VSS500) and a valid type in v2 (VSS930)', async () => {
    const path = '/api/track/v1/subscription/standard/package';
    const n = make1Z('A1B2C3', '03', 7);
    expect((await kit.ups('POST', path, v1Body([n]), { transId: '' })).body.response.errors[0].code).toBe(
      'VSS003',
    );
    const noSrc = await kit.request('POST', path, v1Body([n]), {
      authorization: `Bearer ${(await kit.fetchToken()).body.access_token}`,
      transId: 'abc',
    });
    expect(noSrc.body.response.errors[0].code).toBe('VSS004');
    const { destination: _d, ...noDest } = v1Body([n]);
    expect((await kit.ups('POST', path, noDest)).body.response.errors[0].code).toBe('VSS500');
    expect(
      (
        await kit.ups('POST', '/api/track/v2/subscription/premium/package', {
          locale: 'en_US',
          trackingNumberList: [n],
        })
      ).body.response.errors[0].code,
    ).toBe('VSS930');
    expect(
      (await kit.ups('POST', '/api/track/v2/subscription/standard/package', { trackingNumberList: [n] })).body
        .response.errors[0].code,
    ).toBe('VSS300');
  });
});

describe('Track Alert webhooks', () => {
  it("v1: pushes each event with the credential header and UPS's user agent, empty strings where UPS sends them", async () => {
    const n = await shipOne();
    await subscribeV1([n]);
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'deliver' });
    await pushNow();
    const got = hooks();
    expect(got.map((h) => JSON.parse(h.body).activityStatus.code)).toEqual(['OR', 'OT', 'FS']);
    for (const h of got) {
      expect(h.headers.credential).toBe('shared-secret-123');
      expect(h.headers['user-agent']).toBe('UPSPubSubTrackingService');
      expect(contracts.validateWebhookEvent('v1', JSON.parse(h.body)).errors).toEqual([]);
    }
    const origin = JSON.parse(got[0]!.body);
    expect(origin).toMatchObject({
      trackingNumber: n,
      actualDeliveryDate: '',
      actualDeliveryTime: '',
      deliveryPhoto: '',
    });
    expect(origin.activityLocation.postalCode).toBe('');
    const delivered = JSON.parse(got[2]!.body);
    expect(delivered.actualDeliveryDate).toMatch(/^\d{8}$/);
    expect(delivered.activityLocation.postalCode).toBe('94065');
    expect(delivered.activityStatus.descriptionCode).toBe('011');
  });

  it("v2: fetches a token from the subscriber's token URL (client_secret_basic), then sends Bearer and x-api-key", async () => {
    await kit.scenario('POST', '/webhooks/v2', {
      url: `${receiverUrl}/hook`,
      tokenUrl: `${receiverUrl}/token`,
      clientId: 'hook-client',
      clientSecret: 'hook-secret',
    });
    const n = await shipOne();
    const path = '/api/track/v2/subscription/standard/package';
    const r = await kit.ups('POST', path, { locale: 'en_US', countryCode: 'US', trackingNumberList: [n] });
    expect(contracts.validateResponse('POST', path, r.status, r.body).errors).toEqual([]);
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    const token = received.filter((x) => x.path === '/token');
    expect(token).toHaveLength(1); // cached for the second push
    expect(token[0]!.body).toBe('grant_type=client_credentials');
    expect(hooks()).toHaveLength(2);
    for (const h of hooks()) {
      expect(h.headers.authorization).toBe('Bearer receiver-token');
      expect(h.headers['x-api-key']).toBe('hook-client');
      expect(h.headers['user-agent']).toBe('UPSPubSubTrackingService');
      expect(contracts.validateWebhookEvent('v2', JSON.parse(h.body)).errors).toEqual([]);
    }
  });

  it('does not redeliver an event the receiver failed', async () => {
    const n = await shipOne();
    await subscribeV1([n]);
    hookStatus = 500;
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    hookStatus = 200;
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    await pushNow();
    const codes = hooks().map((h) => JSON.parse(h.body).activityStatus.code);
    expect(codes).toEqual(['OR', 'DP']);
    const deliveries = (await kit.scenario('GET', '/webhooks/deliveries')).body.deliveries;
    expect(deliveries.map((d: any) => [d.status, d.httpStatus])).toEqual([
      ['failed', 500],
      ['delivered', 200],
    ]);
  });

  it('counts an acknowledgement slower than the ack timeout (default 1 s) as failed, and does not redeliver it', async () => {
    expect((await kit.scenario('PUT', '/webhooks/behaviour', {})).body.ackTimeoutMs).toBe(1000);
    const n = await shipOne();
    await subscribeV1([n]);
    hookDelayMs = 1300;
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    hookDelayMs = 300; // well within a configured 2 s
    await kit.scenario('PUT', '/webhooks/behaviour', { ackTimeoutMs: 2000 });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    await pushNow();
    const deliveries = (await kit.scenario('GET', '/webhooks/deliveries')).body.deliveries;
    expect(deliveries.map((d: any) => [d.payload.activityStatus.code, d.status])).toEqual([
      ['OR', 'failed'],
      ['DP', 'delivered'],
    ]);
    expect(deliveries[0].error).toBe('no acknowledgement within 1000 ms');
    expect(deliveries[0].httpStatus).toBeUndefined();
    expect((await kit.scenario('PUT', '/webhooks/behaviour', { ackTimeoutMs: 0 })).status).toBe(400);
  });

  it('stops after 14 days; a resubscription starts a new 14 days without history', async () => {
    const n = await shipOne();
    await subscribeV1([n]);
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    expect(hooks()).toHaveLength(1);
    kit.clock.advance(14 * 86_400_000 + 1000);
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    expect(hooks()).toHaveLength(1);
    const subs = (await kit.scenario('GET', '/subscriptions')).body.subscriptions;
    expect(subs[0]).toMatchObject({ trackingNumber: n, expired: true });
    kit.resetToken();
    await subscribeV1([n]);
    await pushNow();
    expect(hooks()).toHaveLength(1); // no history replayed
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await pushNow();
    expect(hooks().map((h) => JSON.parse(h.body).activityStatus.code)).toEqual(['OR', 'AR']);
  });

  it('can send duplicates and deliver a batch out of order', async () => {
    await kit.scenario('PUT', '/webhooks/behaviour', {
      delivery: 'manual',
      duplicateProbability: 1,
      outOfOrder: true,
    });
    const n = await shipOne();
    await subscribeV1([n]);
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    expect(hooks()).toHaveLength(0);
    await pushNow();
    expect(hooks().map((h) => JSON.parse(h.body).activityStatus.code)).toEqual(['DP', 'DP', 'OR', 'OR']);
  });

  it('v2 enhanced: eventPreferences filter the pushes, and the payload carries deliveryPhoto', async () => {
    await kit.scenario('POST', '/webhooks/v2', {
      url: `${receiverUrl}/hook`,
      tokenUrl: `${receiverUrl}/token`,
      clientId: 'hook-client',
      clientSecret: 'hook-secret',
    });
    const n = await shipOne();
    await kit.ups('POST', '/api/track/v2/subscription/enhanced/package', {
      locale: 'en_US',
      trackingNumberList: [n],
      eventPreferences: ['D'],
    });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'deliver' });
    await pushNow();
    const bodies = hooks().map((h) => JSON.parse(h.body));
    expect(bodies.map((b) => b.activityStatus.type)).toEqual(['D']);
    expect(bodies[0]).toMatchObject({ deliveryPhoto: '', receivedBy: 'FRONT DESK' });
  });

  it("plays UPS's CIE test number script on subscription", async () => {
    await subscribeV1(['1ZCIETST0111111114']);
    await pushNow();
    expect(hooks().map((h) => JSON.parse(h.body).activityStatus.type)).toEqual(['M', 'I', 'I', 'D']);
  });
});
