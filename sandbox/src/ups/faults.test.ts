import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shipRequest, startKit, type Kit } from './test-kit.js';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit({ seed: 42 });
});
afterAll(() => kit.close());
beforeEach(async () => {
  await kit.scenario('POST', '/reset');
  kit.resetToken();
});

const TRACK = '/api/track/v1/details/1Z999AA10123456784';
const fault = (body: Record<string, unknown>) => kit.scenario('POST', '/faults', body);

describe('fault injection', () => {
  it('latency delays the answer', async () => {
    await fault({ endpoint: 'track', kind: 'latency', latencyMs: 300 });
    const t = Date.now();
    expect((await kit.ups('GET', TRACK)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('hang never answers', async () => {
    await kit.fetchToken();
    await fault({ endpoint: 'rating', kind: 'hang' });
    const token = (await kit.fetchToken()).body.access_token as string;
    await expect(
      fetch(`${kit.baseUrl}/api/rating/v2409/Rate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
  });

  it('429 without Retry-After fires once by default; 5xx fires N times', async () => {
    await fault({ endpoint: 'track', kind: 'rate-limit' });
    const limited = await kit.ups('GET', TRACK);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.body.response.errors[0].code).toBe('10429');
    expect((await kit.ups('GET', TRACK)).status).toBe(200);
    await fault({ endpoint: 'track', kind: 'server-error', status: 502, times: 2 });
    expect([
      (await kit.ups('GET', TRACK)).status,
      (await kit.ups('GET', TRACK)).status,
      (await kit.ups('GET', TRACK)).status,
    ]).toEqual([502, 502, 200]);
  });

  it('token endpoint 429 carries the quota message', async () => {
    await fault({ endpoint: 'token', kind: 'rate-limit' });
    const r = await kit.fetchToken();
    expect(r.status).toBe(429);
    expect(r.body.response.errors[0].message).toBe('Quota Limit Exceeded');
  });

  it('malformed JSON is a 200 whose body does not parse', async () => {
    await fault({ endpoint: 'track', kind: 'malformed-json' });
    const r = await kit.ups('GET', TRACK);
    expect(r.status).toBe(200);
    expect(r.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(r.text) as unknown).toThrow();
  });

  it("revoke-token invalidates the caller's token mid-run", async () => {
    expect((await kit.ups('GET', TRACK)).status).toBe(200);
    await fault({ endpoint: 'track', kind: 'revoke-token' });
    const r = await kit.ups('GET', TRACK);
    expect(r.status).toBe(401);
    expect(r.body.response.errors[0].code).toBe('250002');
    expect((await kit.ups('GET', TRACK)).status).toBe(401);
    kit.resetToken();
    expect((await kit.ups('GET', TRACK)).status).toBe(200);
  });

  it('accept-then-fail creates the label, then loses the answer (connection destroyed or 500)', async () => {
    await fault({ endpoint: 'ship', kind: 'accept-then-fail' });
    await kit.ups('GET', TRACK); // token first, so only the ship call fails
    await expect(
      kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-8001' })),
    ).rejects.toThrow();
    const ledger = (await kit.scenario('GET', '/ledger?reference=PO-8001')).body;
    expect(ledger.liveLabels).toBe(1);
    const found = await kit.ups('GET', '/api/track/v1/reference/details/PO-8001');
    expect(found.body.trackResponse.shipment[0].package[0].trackingNumber).toBe(
      ledger.shipments[0].shipmentIdentificationNumber,
    );
    await fault({ endpoint: 'ship', kind: 'accept-then-fail', failWith: '5xx' });
    const r = await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-8001' }));
    expect(r.status).toBe(500);
    expect((await kit.scenario('GET', '/ledger?reference=PO-8001')).body.liveLabels).toBe(2);
  });

  it('a probability fault replays identically from the same seed', async () => {
    const pattern = async () => {
      await kit.scenario('POST', '/reset', { seed: 7 });
      kit.resetToken();
      await fault({ endpoint: 'track', kind: 'rate-limit', probability: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 16; i += 1) out.push((await kit.ups('GET', TRACK)).status);
      return out;
    };
    const a = await pattern();
    expect(a).toContain(429);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });

  it('reference-lag hides a new shipment from lookups by reference until the sandbox clock passes the lag', async () => {
    expect(
      (await fault({ endpoint: 'track-reference', kind: 'reference-lag', lagSeconds: 120 })).status,
    ).toBe(200);
    await fault({ endpoint: 'label-recovery', kind: 'reference-lag', lagSeconds: 120 });
    const shipped = await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-8101' }));
    const trackingNumber = shipped.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber;
    const byReference = () => kit.ups('GET', '/api/track/v1/reference/details/PO-8101');
    const recover = () =>
      kit.ups('POST', '/api/labels/v1/recovery', {
        LabelRecoveryRequest: {
          ReferenceValues: { ReferenceNumber: { Value: 'PO-8101' }, ShipperNumber: 'A1B2C3' },
        },
      });
    // Not found, as UPS answers it: 200 with TW0001 for tracking, 120541 for label recovery.
    expect((await byReference()).body.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
    expect((await recover()).body.response.errors[0].code).toBe('120541');
    // By tracking number the shipment is there at once, and the lag is not used up by calls.
    expect(
      (await kit.ups('GET', `/api/track/v1/details/${trackingNumber}`)).body.trackResponse.shipment[0]
        .package,
    ).toHaveLength(1);
    await kit.scenario('POST', '/clock/advance', { seconds: 119 });
    expect((await byReference()).body.trackResponse.shipment[0].package).toBeUndefined();
    await kit.scenario('POST', '/clock/advance', { seconds: 1 });
    expect((await byReference()).body.trackResponse.shipment[0].package[0].trackingNumber).toBe(
      trackingNumber,
    );
    expect((await recover()).body.LabelRecoveryResponse.ShipmentIdentificationNumber).toBe(trackingNumber);
  });

  it('reference-lag is refused on endpoints that do not look up by reference', async () => {
    const r = await fault({ endpoint: 'ship', kind: 'reference-lag', lagSeconds: 60 });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('reference-lag applies to endpoint');
  });

  it('refuses an unknown endpoint or kind', async () => {
    expect((await fault({ endpoint: 'nowhere', kind: 'hang' })).status).toBe(400);
  });
});
