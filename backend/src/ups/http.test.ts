import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalCall } from '../audit/audit-entry.js';
import { UpsError, UpsInDoubtError } from './errors.js';
import { backoffDelay, parseRetryAfter } from './http.js';
import type { UpsRetryInfo } from './http.js';
import { TokenManagerRegistry } from './token-manager.js';
import { createUpsClient } from './ups-client.js';
import type { UpsClientOptions } from './ups-client.js';
import { shipInput, supplierSite } from './testing/fixtures.js';
import { startScriptedUps } from './testing/scripted-ups-server.js';
import type { ScriptedUps } from './testing/scripted-ups-server.js';

const xavOk = { XAVResponse: { Response: { ResponseStatus: { Code: '1' } }, NoCandidatesIndicator: '' } };
const shipOk = {
  ShipmentResponse: {
    Response: { ResponseStatus: { Code: '1' } },
    ShipmentResults: {
      ShipmentIdentificationNumber: '1Z2220060290602143',
      PackageResults: { TrackingNumber: '1Z2220060290602143' },
    },
  },
};
const err = (code: string, message: string) => ({ response: { errors: [{ code, message }] } });

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('UPS HTTP: headers, audit, retries, in-doubt ship', () => {
  let ups: ScriptedUps;
  let calls: ExternalCall[];
  let retries: UpsRetryInfo[];
  const client = (extra: Partial<UpsClientOptions> = {}) =>
    createUpsClient({
      baseUrl: `${ups.baseUrl}/api`,
      clientId: 'c',
      clientSecret: 'super-secret',
      transactionSrc: 'fusion-ups-test',
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
      timeoutMs: 2_000,
      tokenRegistry: new TokenManagerRegistry(),
      onCall: (c) => calls.push(c),
      onRetry: (r) => retries.push(r),
      ...extra,
    });

  beforeEach(async () => {
    ups = await startScriptedUps();
    calls = [];
    retries = [];
  });
  afterEach(() => ups.close());

  it('sends a fresh 32-character transId and transactionSrc on every call and audits without secrets', async () => {
    ups.on('POST', '/api/addressvalidation/', () => ({
      body: xavOk,
      headers: { bkndtransid: 'iewssoat2416CTHJYk4f8N' },
    }));
    const c = client();
    await c.validateAddress(supplierSite);
    await c.validateAddress(supplierSite);
    const ids = ups.requests.map((r) => r.headers.transid);
    expect(ids.every((id) => typeof id === 'string' && /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(2);
    expect(ups.requests.every((r) => r.headers.transactionsrc === 'fusion-ups-test')).toBe(true);
    const business = calls.filter((x) => x.path.startsWith('/api/'));
    expect(business).toHaveLength(2);
    expect(business[0]).toMatchObject({
      system: 'ups',
      method: 'POST',
      path: '/api/addressvalidation/v2/3',
      status: 200,
      externalIds: { transId: ids[0], bkndtransid: 'iewssoat2416CTHJYk4f8N' },
    });
    expect(business[0]!.requestBody).toEqual(JSON.parse(ups.requests[0]!.body));
    const all = JSON.stringify(calls);
    expect(all).not.toContain('token-1');
    expect(all).not.toContain('super-secret');
  });

  it('retries 5xx with backoff, reports each retry, then succeeds', async () => {
    ups.on('POST', '/api/addressvalidation/', (_r, n) =>
      n < 3 ? { status: 503, body: err('VSS100', 'Service unavailable') } : { body: xavOk },
    );
    const r = await client().validateAddress(supplierSite);
    expect(r.result).toBe('no_candidates');
    expect(ups.requests).toHaveLength(3);
    expect(retries.map((x) => [x.attempt, x.httpStatus, x.code])).toEqual([
      [1, 503, 'VSS100'],
      [2, 503, 'VSS100'],
    ]);
    expect(retries.every((x) => x.delayMs >= 5 && x.delayMs <= 40)).toBe(true);
  });

  it('gives up after maxAttempts with a transient error', async () => {
    ups.on('POST', '/api/addressvalidation/', () => ({
      status: 500,
      body: err('20001', 'General process failure'),
    }));
    const e = await client()
      .validateAddress(supplierSite)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'transient', code: '20001', httpStatus: 500 });
    expect(ups.requests).toHaveLength(4);
  });

  it('429 without Retry-After backs off; with Retry-After waits what UPS asked', async () => {
    ups.on('POST', '/api/addressvalidation/', (_r, n) =>
      n === 1
        ? { status: 429, body: err('10429', 'Too Many Requests') }
        : n === 2
          ? { status: 429, headers: { 'retry-after': '0.2' }, body: err('10429', 'Too Many Requests') }
          : { body: xavOk },
    );
    const started = Date.now();
    await client().validateAddress(supplierSite);
    expect(ups.requests).toHaveLength(3);
    expect(retries.map((r) => r.delayMs)[1]).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('a Retry-After longer than we wait in-process goes back to the caller as transient', async () => {
    ups.on('POST', '/api/addressvalidation/', () => ({
      status: 429,
      headers: { 'retry-after': '3600' },
      body: err('10429', 'Too Many Requests'),
    }));
    const e = await client()
      .validateAddress(supplierSite)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'transient', retryAfterMs: 3_600_000 });
    expect(ups.requests).toHaveLength(1);
  });

  it('400 business errors are hard and not retried; UPS text kept', async () => {
    ups.on('POST', '/api/rating/', () => ({
      status: 400,
      body: err('111600', 'BillShipper payment method is not valid for this shipment. '),
    }));
    const e = await client()
      .rate({ ...shipInput, serviceCode: '03' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpsError);
    expect(e).toMatchObject({
      kind: 'hard',
      code: '111600',
      upsMessage: 'BillShipper payment method is not valid for this shipment.',
    });
    expect(ups.requests).toHaveLength(1);
    expect(retries).toHaveLength(0);
  });

  it('HTTP 200 with an empty body and the error only in headers is a hard error (CIE cassette)', async () => {
    ups.on('POST', '/api/shipments/', () => ({
      status: 200,
      headers: {
        apierrorcode: '1',
        apierrormsg: 'The request is not valid. Review for errors before re-submitting.',
        errorcode: '1',
        errordescription: 'The request is not valid. Review for errors before re-submitting.',
      },
    }));
    const e = await client()
      .ship(shipInput)
      .catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(UpsInDoubtError);
    expect(e).toMatchObject({
      kind: 'hard',
      code: '1',
      httpStatus: 200,
      upsMessage: 'The request is not valid. Review for errors before re-submitting.',
    });
    expect(ups.requests).toHaveLength(1);
  });

  it('malformed JSON is transient (retried) for reads', async () => {
    ups.on('POST', '/api/addressvalidation/', (_r, n) =>
      n === 1 ? { body: '{"XAVResponse": {' } : { body: xavOk },
    );
    await client().validateAddress(supplierSite);
    expect(ups.requests).toHaveLength(2);
    expect(retries[0]!.error).toMatch(/unreadable JSON/);
  });

  describe('Create Shipment is never retried once it may have reached UPS', () => {
    it('5xx → UpsInDoubtError after one request', async () => {
      ups.on('POST', '/api/shipments/', () => ({ status: 503, body: err('VSS100', 'unavailable') }));
      const e = await client()
        .ship(shipInput)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UpsInDoubtError);
      expect(e).toMatchObject({ kind: 'in-doubt', httpStatus: 503 });
      expect(ups.requests).toHaveLength(1);
    });

    it('timeout → UpsInDoubtError after one request', async () => {
      ups.on('POST', '/api/shipments/', () => ({ delayMs: 500, body: shipOk }));
      const e = await client({ timeoutMs: 100 })
        .ship(shipInput)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UpsInDoubtError);
      expect((e as Error).message).toMatch(/timed out/);
      expect(ups.requests).toHaveLength(1);
    });

    it('connection reset after sending → UpsInDoubtError', async () => {
      ups.on('POST', '/api/shipments/', () => ({ destroy: true }));
      const e = await client()
        .ship(shipInput)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UpsInDoubtError);
      expect(ups.requests).toHaveLength(1);
    });

    it('malformed 200 body → UpsInDoubtError', async () => {
      ups.on('POST', '/api/shipments/', () => ({ body: '<html>gateway</html>' }));
      await expect(client().ship(shipInput)).rejects.toBeInstanceOf(UpsInDoubtError);
      expect(ups.requests).toHaveLength(1);
    });

    it('connection refused before sending → retried, then ships once', async () => {
      const dead = await closedPort();
      let refused = 0;
      const fetchRefusingFirstShip: typeof fetch = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname.endsWith('/ship') && refused === 0) {
          refused += 1;
          url.port = String(dead);
        }
        return fetch(url, init);
      };
      ups.on('POST', '/api/shipments/', () => ({ body: shipOk }));
      const r = await client({ fetch: fetchRefusingFirstShip }).ship(shipInput);
      expect(r.shipmentId).toBe('1Z2220060290602143');
      expect(refused).toBe(1);
      expect(ups.requests).toHaveLength(1);
      expect(retries).toHaveLength(1);
      expect(retries[0]!.error).toMatch(/ECONNREFUSED/);
    });

    it('429 (refused at the gateway) and a rejected token are safe to retry', async () => {
      ups.on('POST', '/api/shipments/', (_r, n) =>
        n === 1 ? { status: 429, body: err('10429', 'Too Many Requests') } : { body: shipOk },
      );
      const c = client();
      await c.validateAddress(supplierSite).catch(() => undefined);
      ups.validTokens.clear();
      const r = await c.ship(shipInput);
      expect(r.trackingNumbers).toEqual(['1Z2220060290602143']);
      // first ship: 401 (old token) → refresh → 429 → backoff → ship
      expect(
        ups.requests.filter((q) => q.path.includes('/ship')).map((q) => q.headers.authorization),
      ).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-2']);
    });

    it('a 400 on ship is hard, not in doubt', async () => {
      ups.on('POST', '/api/shipments/', () => ({
        status: 400,
        body: err('120801', 'Address Validation Error on Shipper address'),
      }));
      const e = await client()
        .ship(shipInput)
        .catch((x: unknown) => x);
      expect(e).not.toBeInstanceOf(UpsInDoubtError);
      expect(e).toMatchObject({ kind: 'hard', code: '120801' });
    });
  });
});

describe('backoff and Retry-After', () => {
  it('exponential with full jitter, capped', () => {
    const cfg = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, cfg, () => 1)).toBe(100);
    expect(backoffDelay(3, cfg, () => 1)).toBe(400);
    expect(backoffDelay(3, cfg, () => 0)).toBe(100);
    expect(backoffDelay(10, cfg, () => 1)).toBe(1000);
  });
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('Sat, 28 Nov 2026 13:00:10 GMT', Date.parse('2026-11-28T13:00:00Z'))).toBe(10_000);
  });
});
