import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalCall } from '../audit/audit-entry.js';
import { UpsError } from './errors.js';
import { UpsTokenManager, renewalMarginMs, TokenManagerRegistry } from './token-manager.js';
import { createUpsClient } from './ups-client.js';
import { startScriptedUps } from './testing/scripted-ups-server.js';
import type { ScriptedUps } from './testing/scripted-ups-server.js';

const trackBody = {
  trackResponse: {
    shipment: [{ warnings: [{ code: 'TW0001', message: 'Tracking Information Not Found' }] }],
  },
};

describe('UPS token manager', () => {
  let ups: ScriptedUps;
  beforeEach(async () => {
    ups = await startScriptedUps();
    ups.on('GET', '/api/track/v1/details/', () => ({ body: trackBody }));
  });
  afterEach(() => ups.close());

  it('sends Basic auth, a form grant_type and x-merchant-id; reports the call without the token', async () => {
    const calls: ExternalCall[] = [];
    const tm = new UpsTokenManager({
      baseUrl: ups.baseUrl,
      clientId: 'my-client',
      clientSecret: 's3cret',
      merchantId: 'A1B2C3',
      onCall: (c) => calls.push(c),
    });
    const token = await tm.getToken();
    expect(token).toBe('token-1');
    const req = ups.tokenRequests[0]!;
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('my-client:s3cret').toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['x-merchant-id']).toBe('A1B2C3');
    expect(req.body).toBe('grant_type=client_credentials');
    expect(calls).toHaveLength(1);
    const serialised = JSON.stringify(calls);
    expect(serialised).not.toContain('token-1');
    expect(serialised).not.toContain('s3cret');
    expect(calls[0]).toMatchObject({
      system: 'ups',
      method: 'POST',
      path: '/security/v1/oauth/token',
      status: 200,
    });
  });

  it('20 concurrent callers share one token request (single-flight), and later calls reuse it', async () => {
    const client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
    });
    await Promise.all(Array.from({ length: 20 }, () => client.track('1Z12345E0205271688')));
    await client.track('1Z12345E0205271688');
    expect(ups.tokenRequests).toHaveLength(1);
    expect(ups.requests).toHaveLength(21);
    expect(new Set(ups.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer token-1']));
  });

  it('renews before expires_in runs out, from expires_in (never a fixed lifetime)', async () => {
    let now = 1_000_000;
    ups.expiresIn = '3599';
    const tm = new UpsTokenManager({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      now: () => now,
    });
    await tm.getToken();
    const lifetime = 3599_000;
    // issued_at is the server's (real) clock, later than our fake "now": expiry counts from our request time.
    expect(tm.expiresAt).toBe(1_000_000 + lifetime);
    now += lifetime - renewalMarginMs(lifetime) - 1;
    expect(await tm.getToken()).toBe('token-1');
    now += 2;
    expect(await tm.getToken()).toBe('token-2');
    expect(ups.tokenRequests).toHaveLength(2);
  });

  it('a 401 250002 invalidates the token: one refresh, one retry of the call', async () => {
    const calls: ExternalCall[] = [];
    const client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
      onCall: (c) => calls.push(c),
    });
    await client.track('1Z12345E0205271688');
    ups.validTokens.clear(); // UPS expired it early
    const r = await client.track('1Z12345E0205271688');
    expect(r.found).toBe(false);
    expect(ups.tokenRequests).toHaveLength(2);
    expect(ups.requests.map((q) => q.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(calls.filter((c) => c.status === 401)).toHaveLength(1);
  });

  it('concurrent 401s on the same token cause one refresh, not one each', async () => {
    const client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
    });
    await client.track('1Z12345E0205271688');
    ups.validTokens.clear();
    await Promise.all(Array.from({ length: 10 }, () => client.track('1Z12345E0205271688')));
    expect(ups.tokenRequests).toHaveLength(2);
  });

  it('a token rejected twice ends as an auth error (no loop)', async () => {
    ups.on('GET', '/api/track/v1/details/', () => ({
      status: 401,
      body: { response: { errors: [{ code: '250002', message: 'Invalid Authentication Information' }] } },
    }));
    const client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
    });
    const err = await client.track('1Z12345E0205271688').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpsError);
    expect(err).toMatchObject({ kind: 'auth', code: '250002', httpStatus: 401 });
    expect(ups.tokenRequests).toHaveLength(2);
    expect(ups.requests).toHaveLength(2);
  });

  it('token endpoint 401 10401 is an auth error with UPS text; no retry storm', async () => {
    ups.tokenHandler = () => ({
      status: 401,
      body: { response: { errors: [{ code: '10401', message: 'ClientId is Invalid' }] } },
    });
    const client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
    });
    const err = await client.track('1Z12345E0205271688').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', code: '10401', upsMessage: 'ClientId is Invalid' });
    expect(ups.tokenRequests).toHaveLength(1);
  });

  it('the registry shares one manager per (host, client id, merchant id) and replaces it when the secret changes', () => {
    const reg = new TokenManagerRegistry();
    const a = reg.get({ baseUrl: 'h', clientId: 'c', clientSecret: 's', merchantId: 'M1' });
    expect(reg.get({ baseUrl: 'h', clientId: 'c', clientSecret: 's', merchantId: 'M1' })).toBe(a);
    expect(reg.get({ baseUrl: 'h', clientId: 'c', clientSecret: 's', merchantId: 'M2' })).not.toBe(a);
    expect(reg.get({ baseUrl: 'h', clientId: 'c', clientSecret: 'rotated', merchantId: 'M1' })).not.toBe(a);
  });
});
