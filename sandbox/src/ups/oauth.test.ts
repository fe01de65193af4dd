import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { startKit, type Kit } from './test-kit.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit(); // default lifetime: UPS's 1 hour from 2026-04-01 (ups.md §1)
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());

const track = (token: string | undefined) =>
  kit.request('GET', '/api/track/v1/details/1Z999AA10123456784', undefined, {
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    transId: 'x1',
    transactionSrc: 'test',
  });

describe('OAuth client credentials', () => {
  it('issues a token whose fields are all strings, issued_at in ms on the sandbox clock', async () => {
    const r = await kit.fetchToken();
    expect(r.status).toBe(200);
    expect(Object.values(r.body).every((v) => typeof v === 'string')).toBe(true);
    expect(r.body).toMatchObject({
      token_type: 'Bearer',
      client_id: 'sandbox-ups-client',
      expires_in: '3599',
      status: 'approved',
    });
    expect(r.body.issued_at).toBe(String(kit.clock.nowMs()));
    expect(r.body.access_token.length).toBeGreaterThan(64);
    expect(contracts.validateResponse('POST', '/security/v1/oauth/token', r.status, r.body).errors).toEqual(
      [],
    );
  });

  it('refuses a bad secret with 401 10401 and a missing header with 10400', async () => {
    const bad = await kit.fetchToken('sandbox-ups-client', 'wrong');
    expect(bad.status).toBe(401);
    expect(bad.body.response.errors[0].code).toBe('10401');
    expect(contracts.validateResponse('POST', '/security/v1/oauth/token', bad.status, bad.body).valid).toBe(
      true,
    );
    const none = await kit.request('POST', '/security/v1/oauth/token', 'grant_type=client_credentials', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(none.status).toBe(401);
    expect(none.body.response.errors[0].code).toBe('10400');
  });

  it('answers UJ0001 without a token, 250002 for an unknown or revoked one, 251004 once expired', async () => {
    expect((await track(undefined)).body.response.errors[0].code).toBe('UJ0001');
    expect((await track('not-a-token')).body.response.errors[0].code).toBe('250002');
    const token = (await kit.fetchToken()).body.access_token as string;
    expect((await track(token)).status).toBe(200);
    kit.clock.advance(3598 * 1000);
    expect((await track(token)).status).toBe(200);
    kit.clock.advance(2000);
    const expired = await track(token);
    expect(expired.status).toBe(401);
    expect(expired.body.response.errors[0]).toEqual({
      code: '251004',
      message: 'Bearer Token expired (oauth)',
    });
    const fresh = (await kit.fetchToken()).body.access_token as string;
    await kit.scenario('POST', '/tokens/revoke');
    const revoked = await track(fresh);
    expect(revoked.status).toBe(401);
    expect(revoked.body.response.errors[0].code).toBe('250002');
  });

  it('keeps the lifetime configurable: the old 4-hour tokens by option, any value by PUT /settings', async () => {
    const old = await startKit({ tokenTtlSeconds: 14399 });
    try {
      expect((await old.fetchToken()).body.expires_in).toBe('14399');
      await old.scenario('PUT', '/settings', { tokenTtlSeconds: 120 });
      expect((await old.fetchToken()).body.expires_in).toBe('120');
    } finally {
      await old.close();
    }
  });
});
