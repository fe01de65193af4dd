/**
 * Contract tests of the UPS sandbox in its default mode: every operation it implements, called over real HTTP
 * with requests that satisfy UPS's request schemas; every answer (successes and 400/401/429 errors) must
 * satisfy UPS's response schema for that status, with only the documented overlay. Webhook pushes are caught
 * by a local receiver and checked against the TrackingEvent schemas of Track Alert v1 and v2.
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

const SHIP = '/api/shipments/v2409/ship';
const TOKEN = '/security/v1/oauth/token';

beforeAll(async () => {
  const contracts = await loadUpsContracts();
  sandbox = await startUpsSandbox({ port: 0, seed: 7 });
  receiver = await startWebhookReceiver();
  const { clientId, clientSecret } = sandbox.sandbox.credentials;
  ups = new UpsSandboxClient(sandbox.baseUrl, contracts, clientId, clientSecret);
  await ups.token();
});

afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

async function shipOne(o: Parameters<typeof shipRequest>[0] = {}): Promise<string> {
  const res = await ups.call('POST', SHIP, { body: shipRequest(o) });
  expect(ups.errorsOf('POST', SHIP, res)).toEqual([]);
  expect(res.status).toBe(200);
  return String(res.json.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber);
}

describe('OAuth client credentials', () => {
  it('issues an all-string token that matches tokenSuccessResponse', async () => {
    const res = await ups.call('POST', TOKEN, {
      form: { grant_type: 'client_credentials' },
      auth: ups.basic(),
      headers: { 'x-merchant-id': 'A1B2C3' },
    });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', TOKEN, res)).toEqual([]);
    expect(res.json.expires_in).toMatch(/^\d+$/);
  });

  it('answers a bad client with 401 and a quota burst with 429, both as tokenErrorResponse', async () => {
    const bad = await ups.call('POST', TOKEN, {
      form: { grant_type: 'client_credentials' },
      auth: ups.basic('nobody', 'nothing'),
    });
    expect(bad.status).toBe(401);
    expect(bad.json.response.errors[0].code).toBe('10401');
    expect(ups.errorsOf('POST', TOKEN, bad)).toEqual([]);

    await ups.scenario('POST', '/faults', { endpoint: 'token', kind: 'rate-limit', times: 1 });
    const limited = await ups.call('POST', TOKEN, {
      form: { grant_type: 'client_credentials' },
      auth: ups.basic(),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(ups.errorsOf('POST', TOKEN, limited)).toEqual([]);
  });
});

describe('Address Validation', () => {
  const cases = {
    valid: { lines: ['55 Glenlake Parkway NE'], city: 'Atlanta', state: 'GA', postal: '30328' },
    ambiguous: { lines: ['101 Main Street'], city: '', state: 'NY', postal: '' },
    none: { lines: ['1 Nowhere Lane'], city: 'Atlanta', state: 'GA', postal: '30328' },
  };
  const indicator = {
    valid: 'ValidAddressIndicator',
    ambiguous: 'AmbiguousAddressIndicator',
    none: 'NoCandidatesIndicator',
  };

  for (const option of ['1', '2', '3'] as const) {
    for (const kind of ['valid', 'ambiguous', 'none'] as const) {
      it(`requestoption ${option}, ${kind} address`, async () => {
        const address = { ...cases[kind], city: cases[kind].city || 'X' };
        const body = xavRequest(
          kind === 'ambiguous'
            ? { lines: address.lines, city: 'New York', state: 'NY', postal: '10001' }
            : address,
        );
        if (kind === 'ambiguous') {
          // No city and no ZIP: the street exists in several NY towns.
          const akf = body.XAVRequest.AddressKeyFormat as Record<string, unknown>;
          delete akf.PoliticalDivision2;
          delete akf.PostcodePrimaryLow;
        }
        const path = `/api/addressvalidation/v2/${option}`;
        const res = await ups.call('POST', path, { body });
        expect(res.status).toBe(200);
        expect(ups.errorsOf('POST', path, res)).toEqual([]);
        expect(res.json.XAVResponse[indicator[kind]]).toBe('');
      });
    }
  }
});

describe('Rating', () => {
  it.each(['Rate', 'Shop', 'Ratetimeintransit', 'Shoptimeintransit'])('%s', async (option) => {
    const path = `/api/rating/v2409/${option}`;
    const res = await ups.call('POST', path, { body: rateRequest(option) });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', path, res)).toEqual([]);
    const rated = res.json.RateResponse.RatedShipment as unknown[];
    if (option.startsWith('Shop')) expect(rated.length).toBeGreaterThan(1);
    else expect(rated).toHaveLength(1);
    if (option.endsWith('timeintransit'))
      expect(res.json.RateResponse.RatedShipment[0].TimeInTransit).toBeDefined();
  });

  it('answers 400 for a package over 150 lb with the common error envelope', async () => {
    const res = await ups.call('POST', '/api/rating/v2409/Rate', {
      body: rateRequest('Rate', { weights: ['151'] }),
    });
    expect(res.status).toBe(400);
    expect(ups.errorsOf('POST', '/api/rating/v2409/Rate', res)).toEqual([]);
  });
});

describe('Shipping', () => {
  it.each(['GIF', 'ZPL'] as const)('ships with a %s label per package', async (labelFormat) => {
    const res = await ups.call('POST', SHIP, { body: shipRequest({ labelFormat, weights: ['5', '12.5'] }) });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', SHIP, res)).toEqual([]);
    const results = res.json.ShipmentResponse.ShipmentResults;
    expect(results.PackageResults).toHaveLength(2);
    expect(results.ShipmentIdentificationNumber).toBe(results.PackageResults[0].TrackingNumber);
    expect(results.PackageResults[1].ShippingLabel.ImageFormat.Code).toBe(labelFormat);
  });

  it('answers realistic ship errors with the declared 400 schema', async () => {
    const over = await ups.call('POST', SHIP, { body: shipRequest({ weights: ['151'] }) });
    const mismatch = await ups.call('POST', SHIP, { body: shipRequest({ shipperNumber: 'Z9Z9Z9' }) });
    for (const res of [over, mismatch]) {
      expect(res.status).toBe(400);
      expect(ups.errorsOf('POST', SHIP, res)).toEqual([]);
    }
  });

  it('voids, voids again, and refuses outside the void window', async () => {
    const id = await shipOne();
    const path = `/api/shipments/v2409/void/cancel/${id}`;
    const first = await ups.call('DELETE', path);
    const again = await ups.call('DELETE', path);
    for (const res of [first, again]) {
      expect(res.status).toBe(200);
      expect(ups.errorsOf('DELETE', path, res)).toEqual([]);
    }
    await ups.scenario('PUT', '/settings', { voidWindowSeconds: 0 });
    try {
      const late = await shipOne();
      await ups.scenario('POST', '/clock/advance', { seconds: 5 });
      const latePath = `/api/shipments/v2409/void/cancel/${late}`;
      const res = await ups.call('DELETE', latePath);
      expect(res.status).toBe(400);
      expect(res.json.response.errors[0].code).toBe('190102');
      expect(ups.errorsOf('DELETE', latePath, res)).toEqual([]);
    } finally {
      await ups.scenario('PUT', '/settings', { voidWindowSeconds: 86_400 });
    }
  });

  it('recovers the same label', async () => {
    const id = await shipOne({ labelFormat: 'ZPL' });
    const res = await ups.call('POST', '/api/labels/v1/recovery', { body: labelRecoveryRequest(id, 'ZPL') });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', '/api/labels/v1/recovery', res)).toEqual([]);
  });
});

describe('Tracking', () => {
  it('details of a shipped package', async () => {
    const id = await shipOne({ reference: 'PO-TRACK-1' });
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
    const path = `/api/track/v1/details/${id}?locale=en_US&returnSignature=false`;
    const res = await ups.call('GET', path);
    expect(res.status).toBe(200);
    expect(ups.errorsOf('GET', path, res)).toEqual([]);
    expect(res.json.trackResponse.shipment[0].package[0].activity.length).toBeGreaterThanOrEqual(2);
  });

  it('unknown number: HTTP 200 with warning TW0001; malformed number: 400 TV1002', async () => {
    const unknown = make1Z('A1B2C3', '03', 9_999_999);
    const path = `/api/track/v1/details/${unknown}`;
    const res = await ups.call('GET', path);
    expect(res.status).toBe(200);
    expect(res.json.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
    expect(ups.errorsOf('GET', path, res)).toEqual([]);

    const bad = await ups.call('GET', '/api/track/v1/details/1Z-BAD');
    expect(bad.status).toBe(400);
    expect(bad.json.response.errors[0].code).toBe('TV1002');
    expect(ups.errorsOf('GET', '/api/track/v1/details/1Z-BAD', bad)).toEqual([]);
  });

  it('by reference number', async () => {
    const id = await shipOne({ reference: 'PO-REF-77' });
    const path = '/api/track/v1/reference/details/PO-REF-77?shipperNum=A1B2C3';
    const res = await ups.call('GET', path);
    expect(res.status).toBe(200);
    expect(ups.errorsOf('GET', path, res)).toEqual([]);
    expect(res.json.trackResponse.shipment[0].package[0].trackingNumber).toBe(id);
  });
});

describe('authorisation and rate limits on business calls', () => {
  it('401 UJ0001 without a token, 250002 for an unknown one, 251004 once expired; 429 under a burst', async () => {
    const path = '/api/rating/v2409/Rate';
    const missing = await ups.call('POST', path, { body: rateRequest('Rate'), auth: 'none' });
    const unknown = await ups.call('POST', path, { body: rateRequest('Rate'), auth: 'Bearer not-a-token' });
    expect([missing.json.response.errors[0].code, unknown.json.response.errors[0].code]).toEqual([
      'UJ0001',
      '250002',
    ]);
    for (const res of [missing, unknown]) {
      expect(res.status).toBe(401);
      expect(ups.errorsOf('POST', path, res)).toEqual([]);
    }
    const trackPath = `/api/track/v1/details/${make1Z('A1B2C3', '03', 1)}`;
    const trackMissing = await ups.call('GET', trackPath, { auth: 'none' });
    expect(trackMissing.status).toBe(401);
    expect(ups.errorsOf('GET', trackPath, trackMissing)).toEqual([]);

    await ups.scenario('POST', '/faults', { endpoint: 'ship', kind: 'rate-limit', times: 1 });
    const limited = await ups.call('POST', SHIP, { body: shipRequest() });
    expect(limited.status).toBe(429);
    expect(ups.errorsOf('POST', SHIP, limited)).toEqual([]);

    await ups.scenario('PUT', '/settings', { tokenTtlSeconds: 60 });
    await ups.token();
    await ups.scenario('POST', '/clock/advance', { seconds: 61 });
    const expired = await ups.call('POST', path, { body: rateRequest('Rate') });
    expect(expired.status).toBe(401);
    expect(expired.json.response.errors[0].code).toBe('251004');
    expect(ups.errorsOf('POST', path, expired)).toEqual([]);
    await ups.scenario('PUT', '/settings', { tokenTtlSeconds: 3599 });
    await ups.token();
  });
});

describe('Track Alert', () => {
  const V1 = '/api/track/v1/subscription/standard/package';
  const V2 = '/api/track/v2/subscription/standard/package';

  it('v1: subscribes with a destination and pushes events with the credential header', async () => {
    const id = await shipOne();
    const before = receiver.pushes.length;
    const res = await ups.call('POST', V1, {
      body: trackAlertV1Request([id, '1ZNOTVALID0000000X'], `${receiver.webhookUrl}/v1`, 'cred-v1'),
    });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', V1, res)).toEqual([]);
    expect(res.json.validTrackingNumbers).toEqual([id]);

    await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'deliver' });
    const pushes = (await receiver.waitForPushes(before + 3))
      .slice(before)
      .filter((p) => p.path === '/hook/v1');
    expect(pushes.length).toBeGreaterThanOrEqual(3);
    for (const push of pushes) {
      expect(push.headers.credential).toBe('cred-v1');
      expect(push.headers['user-agent']).toBe('UPSPubSubTrackingService');
      expect(ups.contracts.validateWebhookEvent('v1', push.body).errors).toEqual([]);
    }
  });

  it('v2: UPS fetches a token from our token URL and pushes with Bearer + x-api-key', async () => {
    await ups.scenario('POST', '/webhooks/v2', {
      url: `${receiver.webhookUrl}/v2`,
      tokenUrl: receiver.tokenUrl,
      clientId: receiver.clientId,
      clientSecret: receiver.clientSecret,
    });
    const id = await shipOne();
    const res = await ups.call('POST', V2, { body: trackAlertV2Request([id]) });
    expect(res.status).toBe(200);
    expect(ups.errorsOf('POST', V2, res)).toEqual([]);

    const before = receiver.pushes.length;
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'exception' });
    await ups.scenario('POST', `/packages/${id}/move`, { action: 'deliver' });
    const pushes = (await receiver.waitForPushes(before + 4))
      .slice(before)
      .filter((p) => p.path === '/hook/v2');
    expect(pushes.map((p) => (p.body as { activityStatus: { type: string } }).activityStatus.type)).toEqual([
      'X',
      'U',
      'I',
      'D',
    ]);
    for (const push of pushes) {
      expect(receiver.issuedTokens).toContain(String(push.headers.authorization).replace(/^Bearer /, ''));
      expect(push.headers['x-api-key']).toBe(receiver.clientId);
      expect(ups.contracts.validateWebhookEvent('v2', push.body).errors).toEqual([]);
    }
  });

  it('v1: a list without a valid number is refused (VSS210) with the declared 400 schema', async () => {
    const res = await ups.call('POST', V1, {
      body: trackAlertV1Request(['1ZNOTVALID0000000X'], receiver.webhookUrl),
    });
    expect(res.status).toBe(400);
    expect(res.json.response.errors[0].code).toBe('VSS210');
    expect(ups.errorsOf('POST', V1, res)).toEqual([]);
  });

  // TrackAlert.yaml's v2 400 schema PackageSubscriptionErrorResponse *requires* invalidTrackingNumbers
  // (its own example carries it even for VSS300).
  it('v2: more than 100 numbers are refused (VSS220) with the declared 400 schema', async () => {
    const many = Array.from({ length: 101 }, (_, i) => make1Z('A1B2C3', '03', 500_000 + i));
    // 101 numbers break the request schema's maxItems on purpose.
    const res = await ups.call('POST', V2, { body: trackAlertV2Request(many), unchecked: true });
    expect(res.status).toBe(400);
    expect(res.json.response.errors[0].code).toBe('VSS220');
    expect(ups.errorsOf('POST', V2, res)).toEqual([]);
  });
});

describe('Quantum View', () => {
  const QV = '/api/quantumview/v3/events';

  it('pages unread files with a Bookmark, then answers "no files"', async () => {
    // Drain whatever earlier tests produced, so this test sees only its own files.
    for (let i = 0; i < 50; i += 1) {
      const res = await ups.call('POST', QV, { body: quantumViewRequest() });
      if (res.status !== 200) break;
    }
    for (let i = 0; i < 3; i += 1) {
      const id = await shipOne({ reference: `PO-QV-${i}` });
      await ups.scenario('POST', `/packages/${id}/move`, { action: 'next' });
      await ups.scenario('GET', '/quantum-view/files');
    }
    await ups.scenario('PUT', '/settings', { qvPageLimitBytes: 1 });
    try {
      let bookmark: string | undefined;
      let pages = 0;
      do {
        const res = await ups.call('POST', QV, {
          body: quantumViewRequest({ name: 'OutboundXML', ...(bookmark ? { bookmark } : {}) }),
        });
        expect(res.status).toBe(200);
        expect(ups.errorsOf('POST', QV, res)).toEqual([]);
        bookmark = res.json.QuantumViewResponse.Bookmark as string | undefined;
        pages += 1;
      } while (bookmark && pages < 10);
      expect(pages).toBe(3);
    } finally {
      await ups.scenario('PUT', '/settings', { qvPageLimitBytes: 150 * 1024 });
    }
    const empty = await ups.call('POST', QV, { body: quantumViewRequest({ name: 'OutboundXML' }) });
    expect(empty.status).toBe(400);
    expect(ups.errorsOf('POST', QV, empty)).toEqual([]);
  });
});
