import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './index.js';
import { API, basic, startClient, type FusionTestClient } from './test-client.js';

const clientBasic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('Fusion sandbox authentication', () => {
  let c: FusionTestClient;
  beforeAll(async () => {
    c = await startClient();
  });
  afterAll(() => c.close());

  async function token(
    form: Record<string, string>,
    auth = clientBasic(DEMO_CREDENTIALS.oauth.clientId, DEMO_CREDENTIALS.oauth.clientSecret),
  ) {
    const res = await fetch(`${c.baseUrl}/oauth2/v1/token`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('accepts Basic credentials of a Fusion user', async () => {
    const r = await c.get(`${API}/purchaseOrders?limit=1`);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1);
  });

  it('answers 401 with a Basic challenge for missing or wrong credentials', async () => {
    const missing = await c.get(`${API}/purchaseOrders`, { auth: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await c.get(`${API}/purchaseOrders`, { auth: basic('sandbox.buyer', 'nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('nope');
    const unknown = await c.get(`${API}/purchaseOrders`, { auth: basic('nobody') });
    expect(unknown.status).toBe(401);
  });

  it('issues 3,600 s bearer tokens for client credentials and accepts them', async () => {
    const t = await token({ grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof t.body.access_token).toBe('string');
    const r = await c.get(`${API}/purchaseOrders?limit=2`, { auth: `Bearer ${String(t.body.access_token)}` });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
  });

  it('accepts client id and secret in the form and the consumer::all scope suffix', async () => {
    const t = await token(
      {
        grant_type: 'client_credentials',
        scope: `${DEMO_CREDENTIALS.oauth.scope}urn:opc:resource:consumer::all`,
        client_id: DEMO_CREDENTIALS.oauth.clientId,
        client_secret: DEMO_CREDENTIALS.oauth.clientSecret,
      },
      '',
    );
    expect(t.status).toBe(200);
  });

  it('refuses a bad client, a bad scope and an unknown grant type with OAuth errors', async () => {
    expect(
      await token(
        { grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope },
        clientBasic('sandbox-fusion-client', 'wrong'),
      ),
    ).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(
      await token({ grant_type: 'client_credentials', scope: 'urn:opc:resource:fa:instanceid=other' }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await token({ grant_type: 'client_credentials' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await token({ grant_type: 'password', scope: DEMO_CREDENTIALS.oauth.scope })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
  });

  it('expires tokens on the sandbox clock', async () => {
    // Frozen, so real time passing during the test cannot move the boundary.
    c.sandbox.clock.freeze();
    const t = await token({ grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope });
    const auth = `Bearer ${String(t.body.access_token)}`;
    c.sandbox.clock.advance(3599_000);
    expect((await c.get(`${API}/purchaseOrders?limit=1`, { auth })).status).toBe(200);
    c.sandbox.clock.advance(1_000);
    const expired = await c.get(`${API}/purchaseOrders?limit=1`, { auth });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('Bearer');
    expect(expired.text).toContain('expired');
    c.sandbox.clock.unfreeze();
  });

  it('revokes tokens through the scenario API and through a fault', async () => {
    const t1 = await token({ grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope });
    await c.scenario('POST', '/tokens/revoke', {});
    expect(
      (await c.get(`${API}/purchaseOrders?limit=1`, { auth: `Bearer ${String(t1.body.access_token)}` }))
        .status,
    ).toBe(401);

    const t2 = await token({ grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope });
    const auth = `Bearer ${String(t2.body.access_token)}`;
    await c.scenario('POST', '/faults', {
      endpoint: 'purchaseOrders',
      kind: 'revoke-tokens',
      skip: 1,
      times: 1,
    });
    expect((await c.get(`${API}/purchaseOrders?limit=1`, { auth })).status).toBe(200);
    expect((await c.get(`${API}/purchaseOrders?limit=1`, { auth })).status).toBe(401);
    await c.scenario('DELETE', '/faults');
    const t3 = await token({ grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope });
    expect(
      (await c.get(`${API}/purchaseOrders?limit=1`, { auth: `Bearer ${String(t3.body.access_token)}` }))
        .status,
    ).toBe(200);
  });

  it('gives a user without data access 200 and an empty list, and 404 on items', async () => {
    const anyPo = (await c.get(`${API}/purchaseOrders?limit=1`)).body.items[0].POHeaderId as number;
    const r = await c.get(`${API}/purchaseOrders?totalResults=true`, { auth: basic('sandbox.noaccess') });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ items: [], count: 0, hasMore: false, totalResults: 0 });
    expect((await c.get(`${API}/purchaseOrders/${anyPo}`, { auth: basic('sandbox.noaccess') })).status).toBe(
      404,
    );
    const t = await token(
      { grant_type: 'client_credentials', scope: DEMO_CREDENTIALS.oauth.scope },
      clientBasic(DEMO_CREDENTIALS.noAccessOauth.clientId, DEMO_CREDENTIALS.noAccessOauth.clientSecret),
    );
    const viaToken = await c.get(`${API}/purchaseOrders`, { auth: `Bearer ${String(t.body.access_token)}` });
    expect(viaToken.body.items).toEqual([]);
  });

  it('limits a business-unit user to that unit', async () => {
    const all = await c.get(`${API}/purchaseOrders?limit=500&fields=ProcurementBU`);
    const us2 = await c.get(`${API}/purchaseOrders?limit=500&fields=ProcurementBU`, {
      auth: basic('sandbox.us2buyer'),
    });
    const expected = all.body.items.filter(
      (i: { ProcurementBU: string }) => i.ProcurementBU === 'US2 Business Unit',
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(us2.body.count).toBe(expected);
    expect(new Set(us2.body.items.map((i: { ProcurementBU: string }) => i.ProcurementBU))).toEqual(
      new Set(['US2 Business Unit']),
    );
  });

  it('exchanges a signed JWT user assertion for a token acting as that user', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await c.scenario('POST', '/oauth/trusted-keys', {
      clientId: DEMO_CREDENTIALS.oauth.clientId,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
    });
    const jwt = (claims: Record<string, unknown>, key = privateKey) => {
      const h = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${h}.${p}.${sign('RSA-SHA256', Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
    };
    const exp = Math.floor(c.sandbox.clock.nowMs() / 1000) + 300;
    const good = jwt({
      sub: 'sandbox.noaccess',
      iss: DEMO_CREDENTIALS.oauth.clientId,
      aud: 'https://identity.oraclecloud.com/',
      exp,
    });
    const t = await token({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: good,
      scope: DEMO_CREDENTIALS.oauth.scope,
    });
    expect(t.status).toBe(200);
    // The token acts as the asserted user, who has no data access.
    const r = await c.get(`${API}/purchaseOrders`, { auth: `Bearer ${String(t.body.access_token)}` });
    expect(r.body.items).toEqual([]);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = jwt(
      {
        sub: 'sandbox.buyer',
        iss: DEMO_CREDENTIALS.oauth.clientId,
        aud: 'https://identity.oraclecloud.com/',
        exp,
      },
      other,
    );
    expect(
      await token({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: forged,
        scope: DEMO_CREDENTIALS.oauth.scope,
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const stale = jwt({
      sub: 'sandbox.buyer',
      iss: DEMO_CREDENTIALS.oauth.clientId,
      aud: 'https://identity.oraclecloud.com/',
      exp: exp - 600,
    });
    expect(
      (
        await token({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: stale,
          scope: DEMO_CREDENTIALS.oauth.scope,
        })
      ).body.error_description,
    ).toContain('expired');

    // The client may authenticate with a signed client assertion instead of its secret.
    const clientJwt = (key = privateKey) =>
      jwt(
        {
          sub: DEMO_CREDENTIALS.oauth.clientId,
          iss: DEMO_CREDENTIALS.oauth.clientId,
          aud: 'https://identity.oraclecloud.com/',
          exp,
        },
        key,
      );
    const withAssertion = (assertion: string) =>
      token(
        {
          grant_type: 'client_credentials',
          scope: DEMO_CREDENTIALS.oauth.scope,
          client_id: DEMO_CREDENTIALS.oauth.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
        '',
      );
    expect((await withAssertion(clientJwt())).status).toBe(200);
    expect(await withAssertion(clientJwt(other))).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
  });
});

describe('Fusion token relay', () => {
  let c: FusionTestClient;
  beforeAll(async () => {
    c = await startClient({ poCount: 3 });
  });
  afterAll(() => c.close());

  it('issues a 4-hour RS256 JWT for the signed-in user that works as a bearer token and verifies against the JWKS', async () => {
    const r = await c.get('/fscmRestApi/tokenrelay');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ principal: 'sandbox.buyer', expires_in: 14_400_000, token_type: 'JWT' });
    const jwt = r.body.access_token as string;
    expect((await c.get(`${API}/purchaseOrders?limit=1`, { auth: `Bearer ${jwt}` })).status).toBe(200);

    const [h, p, sig] = jwt.split('.') as [string, string, string];
    const jwks = await c.scenario('GET', '/jwks');
    const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({
      iss: 'www.oracle.com',
      prn: 'sandbox.buyer',
    });

    expect((await c.get('/fscmRestApi/tokenrelay', { auth: null })).status).toBe(401);
    c.sandbox.clock.advance(4 * 3600_000);
    expect((await c.get(`${API}/purchaseOrders?limit=1`, { auth: `Bearer ${jwt}` })).status).toBe(401);
  });
});
