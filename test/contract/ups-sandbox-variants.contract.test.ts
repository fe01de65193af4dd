/**
 * Contract tests of the UPS sandbox's less travelled paths: 401 on every business operation, label recovery
 * by reference, voiding one package of several, enhanced Track Alert v2 with event preferences, the CIE test
 * numbers, Quantum View replay by DateTimeRange and FileName, and duplicate / out-of-order webhook delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpsSandbox } from '../../sandbox/src/ups/index.js';
import { make1Z } from '../../sandbox/src/ups/tracking-numbers.js';
import { loadUpsContracts } from '../support/ups-contract.js';
import { UpsSandboxClient } from './ups-sandbox-client.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import {
  labelRecoveryRequest,
  quantumViewRequest,
  rateRequest,
  shipRequest,
  trackAlertV1Request,
  trackAlertV2Request,
  xavRequest,
} from './ups-request-fixtures.js';

let sandbox: Awaited<ReturnType<typeof startUpsSandbox>>;
let ups: UpsSandboxClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sandbox = await startUpsSandbox({ port: 0, seed: 23 });
  receiver = await startWebhookReceiver();
  const { clientId, clientSecret } = sandbox.sandbox.credentials;
  ups = new UpsSandboxClient(sandbox.baseUrl, await loadUpsContracts(), clientId, clientSecret);
  await ups.token();
  await ups.scenario('POST', '/webhooks/v2', {
    url: `${receiver.webhookUrl}/v2`,
    tokenUrl: receiver.tokenUrl,
    clientId: receiver.clientId,
    clientSecret: receiver.clientSecret,
  });
});

afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

async function ship(o: Parameters<typeof shipRequest>[0] = {}): Promise<string[]> {
  const res = await ups.call('POST', '/api/shipments/v2409/ship', { body: shipRequest(o) });
  expect(res.status).toBe(200);
  return (res.json.ShipmentResponse.ShipmentResults.PackageResults as Array<{ TrackingNumber: string }>).map(
    (p) => p.TrackingNumber,
  );
}

const pushesFor = (path: string, trackingNumber: string) =>
  receiver.pushes.filter(
    (p) => p.path === path && (p.body as { trackingNumber?: string })?.trackingNumber === trackingNumber,
  );

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('401 on every business operation, in the declared error schema', () => {
  const id = make1Z('A1B2C3', '03', 42);
  const calls: Array<[string, string, unknown]> = [
    [
      'POST',
      '/api/addressvalidation/v2/1',
      xavRequest({ lines: ['350 Fifth Avenue'], city: 'New York', state: 'NY', postal: '10118' }),
    ],
    ['POST', '/api/rating/v2409/Shop', rateRequest('Shop')],
    ['POST', '/api/shipments/v2409/ship', shipRequest()],
    ['DELETE', `/api/shipments/v2409/void/cancel/${id}`, undefined],
    ['POST', '/api/labels/v1/recovery', labelRecoveryRequest(id)],
    ['GET', `/api/track/v1/details/${id}`, undefined],
    ['GET', '/api/track/v1/reference/details/PO-1001', undefined],
    [
      'POST',
      '/api/track/v1/subscription/standard/package',
      trackAlertV1Request([id], 'https://example.com/hook'),
    ],
    ['POST', '/api/track/v2/subscription/standard/package', trackAlertV2Request([id])],
    ['POST', '/api/quantumview/v3/events', quantumViewRequest()],
  ];
  it.each(calls)('%s %s', async (method, path, body) => {
    const res = await ups.call(method, path, { body, auth: 'Bearer revoked-or-unknown' });
    expect(res.status).toBe(401);
    expect(res.json.response.errors[0].code).toBe('250002');
    expect(ups.errorsOf(method, path, res)).toEqual([]);
  });
});

describe('403 Blocked Merchant (fault blocked-merchant) on every operation that declares it', () => {
  const id = make1Z('A1B2C3', '03', 43);
  const calls: Array<[string, string, string, unknown]> = [
    ['token', 'POST', '/security/v1/oauth/token', undefined],
    [
      'address-validation',
      'POST',
      '/api/addressvalidation/v2/1',
      xavRequest({ lines: ['350 Fifth Avenue'], city: 'New York', state: 'NY', postal: '10118' }),
    ],
    ['rating', 'POST', '/api/rating/v2409/Shop', rateRequest('Shop')],
    ['ship', 'POST', '/api/shipments/v2409/ship', shipRequest()],
    ['void', 'DELETE', `/api/shipments/v2409/void/cancel/${id}`, undefined],
    ['label-recovery', 'POST', '/api/labels/v1/recovery', labelRecoveryRequest(id)],
    ['track', 'GET', `/api/track/v1/details/${id}`, undefined],
    ['track-reference', 'GET', '/api/track/v1/reference/details/PO-1001', undefined],
    [
      'track-alert',
      'POST',
      '/api/track/v1/subscription/standard/package',
      trackAlertV1Request([id], 'https://example.com/hook'),
    ],
    ['quantum-view', 'POST', '/api/quantumview/v3/events', quantumViewRequest()],
  ];
  it.each(calls)('%s: %s %s', async (endpoint, method, path, body) => {
    await ups.scenario('POST', '/faults', { endpoint, kind: 'blocked-merchant' });
    const res =
      endpoint === 'token'
        ? await ups.call(method, path, { form: { grant_type: 'client_credentials' }, auth: ups.basic() })
        : await ups.call(method, path, { body });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ response: { errors: [{ code: '10403', message: 'Blocked Merchant' }] } });
    expect(ups.errorsOf(method, path, res)).toEqual([]);
  });

  it('Track Alert v2 declares no 403, so the sandbox is not asked to prove one there', () => {
    const blocked = { status: 403, headers: new Headers(), text: '', json: {} };
    blocked.text = JSON.stringify({ response: { errors: [{ code: '10403', message: 'Blocked Merchant' }] } });
    expect(ups.errorsOf('POST', '/api/track/v2/subscription/standard/package', blocked)).toEqual([
      'status 403 not declared',
    ]);
  });
});

describe('Shipping variants', () => {
  it('recovers labels by reference number and shipper number', async () => {
    const [first] = await ship({ reference: 'PO-RECOVER-9' });
    const body = labelRecoveryRequest('unused') as { LabelRecoveryRequest: Record<string, unknown> };
    delete body.LabelRecoveryRequest.TrackingNumber;
    body.LabelRecoveryRequest.ReferenceValues = {
      ReferenceNumber: { Value: 'PO-RECOVER-9' },
      ShipperNumber: 'A1B2C3',
    };
    const res = await ups.call('POST', '/api/labels/v1/recovery', { body });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', '/api/labels/v1/recovery', res)).toEqual([]);
    expect(res.json.LabelRecoveryResponse.ShipmentIdentificationNumber).toBe(first);
  });

  it('voids one package of a two-package shipment', async () => {
    const [first, second] = await ship({ weights: ['3', '4'] });
    const path = `/api/shipments/v2409/void/cancel/${first}?trackingnumber=${second}`;
    const res = await ups.call('DELETE', path);
    expect(res.status).toBe(200);
    expect(ups.errorsOf('DELETE', path, res)).toEqual([]);
    expect(res.json.VoidShipmentResponse.PackageLevelResults).toHaveLength(1);
  });
});

describe('Track Alert variants', () => {
  it('v2 enhanced with eventPreferences [D] pushes only the delivery, with deliveryPhoto', async () => {
    const [id] = await ship();
    const path = '/api/track/v2/subscription/enhanced/package';
    const res = await ups.call('POST', path, {
      body: { ...trackAlertV2Request([id!]), eventPreferences: ['D'] },
    });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', path, res)).toEqual([]);
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'deliver' });
    await waitUntil(() => pushesFor('/hook/v2', id!).length >= 1, 'the delivery push');
    const pushes = pushesFor('/hook/v2', id!);
    expect(pushes.map((p) => (p.body as { activityStatus: { type: string } }).activityStatus.type)).toEqual([
      'D',
    ]);
    expect(pushes[0]!.body).toHaveProperty('deliveryPhoto');
    expect(ups.contracts.validateWebhookEvent('v2', pushes[0]!.body).errors).toEqual([]);
  });

  it('v1 with a CIE test number plays the scripted events, each a valid TrackingEvent', async () => {
    const cie = '1ZCIETST0111111114';
    const path = '/api/track/v1/subscription/standard/package';
    const res = await ups.call('POST', path, {
      body: trackAlertV1Request([cie], `${receiver.webhookUrl}/cie`, 'cie-cred'),
    });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', path, res)).toEqual([]);
    await waitUntil(() => pushesFor('/hook/cie', cie).length >= 4, 'four scripted pushes');
    for (const push of pushesFor('/hook/cie', cie)) {
      expect(ups.contracts.validateWebhookEvent('v1', push.body).errors).toEqual([]);
    }
  });

  it('duplicate and out-of-order deliveries are still valid TrackingEvents', async () => {
    const [id] = await ship();
    const path = '/api/track/v1/subscription/standard/package';
    await ups.call('POST', path, {
      body: trackAlertV1Request([id!], `${receiver.webhookUrl}/dup`, 'dup-cred'),
    });
    await ups.scenario('PUT', '/webhooks/behaviour', {
      delivery: 'manual',
      duplicateProbability: 1,
      outOfOrder: true,
    });
    try {
      await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
      await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
      await ups.scenario('POST', '/webhooks/push');
      const pushes = pushesFor('/hook/dup', id!);
      expect(pushes).toHaveLength(4);
      for (const push of pushes)
        expect(ups.contracts.validateWebhookEvent('v1', push.body).errors).toEqual([]);
    } finally {
      await ups.scenario('PUT', '/webhooks/behaviour', {
        delivery: 'immediate',
        duplicateProbability: 0,
        outOfOrder: false,
      });
    }
  });
});

describe('Quantum View replay', () => {
  const QV = '/api/quantumview/v3/events';

  it('by DateTimeRange and by FileName, after the files were read', async () => {
    const [id] = await ship({ reference: 'PO-QV-REPLAY' });
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'deliver' });
    const unread = await ups.call('POST', QV, { body: quantumViewRequest() });
    expect(unread.status).toBe(200);
    expect(ups.errorsOf('POST', QV, unread)).toEqual([]);
    const files = unread.json.QuantumViewResponse.QuantumViewEvents.SubscriptionEvents[0]
      .SubscriptionFile as Array<{ FileName: string }>;

    const now = new Date(String((await ups.scenario('GET', '/clock')).now));
    const stamp = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);
    // No EndDateTime: UPS reads it as Begin + 7 days, which covers the file posted a moment ago.
    const begin = stamp(new Date(now.getTime() - 86_400_000));
    const byRange = await ups.call('POST', QV, {
      body: quantumViewRequest({ name: 'OutboundXML', begin }),
    });
    expect(byRange.status).toBe(200);
    expect(ups.errorsOf('POST', QV, byRange)).toEqual([]);

    const byName = await ups.call('POST', QV, {
      body: quantumViewRequest({ name: 'OutboundXML', fileName: files[0]!.FileName }),
    });
    expect(byName.status).toBe(200);
    expect(ups.errorsOf('POST', QV, byName)).toEqual([]);

    const tooOld = await ups.call('POST', QV, {
      body: quantumViewRequest({
        name: 'OutboundXML',
        begin: stamp(new Date(now.getTime() - 8 * 86_400_000)),
      }),
    });
    expect(tooOld.status).toBe(400);
    expect(ups.errorsOf('POST', QV, tooOld)).toEqual([]);
  });
});
