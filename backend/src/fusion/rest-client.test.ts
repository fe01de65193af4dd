import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalCall } from '../audit/audit-entry.js';
import { createAuthProvider, JWT_BEARER_GRANT, type FusionAuthConfig } from './auth.js';
import { FusionError } from './errors.js';
import { FusionRestClient, type RetryEvent } from './rest-client.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1:0 whose behaviour each test sets. */
let server: Server;
let base: string;
let handler: Handler;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen.length = 0;
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-oracle-dms-ecid': 'ecid-123', ...headers });
  res.end(JSON.stringify(body));
};

const FAST_RETRY = { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 50 };

function client(
  auth: FusionAuthConfig,
  extra: { timeoutMs?: number; calls?: ExternalCall[]; retries?: RetryEvent[] } = {},
) {
  const provider = createAuthProvider(auth, {
    fetch,
    now: Date.now,
    timeoutMs: 2000,
    onCall: (c) => extra.calls?.push(c),
  });
  return new FusionRestClient({
    baseUrl: base,
    auth: provider,
    timeoutMs: extra.timeoutMs ?? 2000,
    retry: FAST_RETRY,
    onCall: (c) => extra.calls?.push(c),
    onRetry: (e) => extra.retries?.push(e),
  });
}
const BASIC: FusionAuthConfig = { kind: 'basic', username: 'integration.user', password: 's3cret!' };
const OAUTH = (): FusionAuthConfig => ({
  kind: 'oauth',
  tokenUrl: `${base}/oauth2/v1/token`,
  clientId: 'client-1',
  clientSecret: 'client-secret',
  scope: 'urn:opc:resource:fa:instanceid=42urn:opc:resource:consumer::all',
});

describe('requests', () => {
  it('sends the pinned framework version, JSON and Basic auth; reports the call without secrets', async () => {
    handler = (_req, _b, res) => json(res, 200, { items: [], count: 0, hasMore: false, limit: 1, offset: 0 });
    const calls: ExternalCall[] = [];
    const rest = client(BASIC, { calls });
    const r = await rest.request({
      method: 'GET',
      path: 'purchaseOrders',
      query: { limit: 1 },
      operation: 'list',
    });
    expect(r.body).toMatchObject({ items: [] });
    expect(seen[0]!.url).toBe('/fscmRestApi/resources/11.13.18.05/purchaseOrders?limit=1');
    expect(seen[0]!.headers['rest-framework-version']).toBe('4');
    expect(seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('integration.user:s3cret!').toString('base64')}`,
    );
    expect(calls).toEqual([
      {
        system: 'fusion',
        method: 'GET',
        path: '/fscmRestApi/resources/11.13.18.05/purchaseOrders?limit=1',
        status: 200,
        durationMs: expect.any(Number),
        externalIds: { 'x-oracle-dms-ecid': 'ecid-123' },
        error: null,
      },
    ]);
    expect(JSON.stringify(calls)).not.toMatch(/s3cret|Basic|authorization/i);
  });

  it('hrefs from links keep their path but always go to the configured origin', () => {
    const rest = client(BASIC);
    expect(
      rest.url('https://evil.example.com/fscmRestApi/resources/11.13.18.05/purchaseOrders/1/child/DFF'),
    ).toBe(`${base}/fscmRestApi/resources/11.13.18.05/purchaseOrders/1/child/DFF`);
    expect(rest.url('/hcmRestApi/resources/11.13.18.05/locations', { limit: 1 })).toBe(
      `${base}/hcmRestApi/resources/11.13.18.05/locations?limit=1`,
    );
  });

  it('refuses framework versions that would change the meaning of q', () => {
    const auth = createAuthProvider(BASIC, { fetch, now: Date.now, timeoutMs: 1 });
    expect(() => new FusionRestClient({ baseUrl: base, auth, restFrameworkVersion: 1 })).toThrow(/2–9/);
  });
});

describe('errors per framework version', () => {
  it('v4 JSON error body → hard with Fusion message and code', async () => {
    handler = (_req, _b, res) =>
      json(res, 400, {
        title: 'Bad Request',
        status: '400',
        'o:errorDetails': [{ detail: 'Attribute Foo is not valid.', 'o:errorCode': 'X-1' }],
      });
    const e = await client(BASIC)
      .request({ method: 'GET', path: 'purchaseOrders', operation: 'list' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FusionError);
    expect(e).toMatchObject({
      kind: 'hard',
      httpStatus: 400,
      fusionMessage: 'Attribute Foo is not valid.',
      errorCode: 'X-1',
      requestId: 'ecid-123',
    });
    expect(seen).toHaveLength(1); // hard: no retry
  });

  it('pre-v4 plain-text body → its text; pending change order → conflict', async () => {
    handler = (_req, _b, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(
        "You can't create a change order for purchase order 1 because JDOE has a pending change order on it.",
      );
    };
    const e = await client(BASIC)
      .request({ method: 'PATCH', path: 'draftPurchaseOrders/1', body: {}, operation: 'open change order' })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({
      kind: 'conflict',
      fusionMessage: expect.stringContaining('pending change order'),
    });
  });

  it('404 → not-found, 403 → no-access, 412 → conflict', async () => {
    for (const [status, kind] of [
      [404, 'not-found'],
      [403, 'no-access'],
      [412, 'conflict'],
    ] as const) {
      handler = (_req, _b, res) => json(res, status, { title: 'x' });
      await expect(client(BASIC).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject(
        { kind },
      );
    }
  });
});

describe('retry policy', () => {
  it('retries 5xx with backoff, reporting each attempt, then succeeds', async () => {
    let n = 0;
    handler = (_req, _b, res) =>
      ++n < 3 ? json(res, 503, { title: 'Service Unavailable' }) : json(res, 200, { ok: true });
    const retries: RetryEvent[] = [];
    const calls: ExternalCall[] = [];
    const r = await client(BASIC, { retries, calls }).request({
      method: 'GET',
      path: 'x',
      operation: 'read x',
    });
    expect(r.body).toEqual({ ok: true });
    expect(retries.map((e) => e.attempt)).toEqual([1, 2]);
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('gives up after maxRetries with a transient error', async () => {
    handler = (_req, _b, res) => json(res, 500, { title: 'Internal Server Error' });
    await expect(client(BASIC).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject({
      kind: 'transient',
      httpStatus: 500,
    });
    expect(seen).toHaveLength(4);
  });

  it('429 without Retry-After is retried; with a Retry-After beyond the cap it is returned to the caller', async () => {
    let n = 0;
    handler = (_req, _b, res) => (++n === 1 ? json(res, 429, {}) : json(res, 200, {}));
    await client(BASIC).request({ method: 'GET', path: 'x', operation: 'x' });
    expect(seen).toHaveLength(2);
    seen.length = 0;
    handler = (_req, _b, res) => json(res, 429, {}, { 'retry-after': '120' });
    await expect(client(BASIC).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject({
      kind: 'transient',
      retryAfterMs: 120_000,
    });
    expect(seen).toHaveLength(1);
  });

  it('a create (POST) is not retried after a 500 that may have been processed, but is after a 503', async () => {
    handler = (_req, _b, res) => json(res, 500, { title: 'x' });
    await expect(
      client(BASIC).request({
        method: 'POST',
        path: 'receivingReceiptRequests',
        body: {},
        operation: 'create ASN',
      }),
    ).rejects.toMatchObject({ kind: 'transient' });
    expect(seen).toHaveLength(1);
    seen.length = 0;
    let n = 0;
    handler = (_req, _b, res) => (++n === 1 ? json(res, 503, {}) : json(res, 201, { HeaderInterfaceId: 1 }));
    const r = await client(BASIC).request({
      method: 'POST',
      path: 'receivingReceiptRequests',
      body: {},
      operation: 'create ASN',
    });
    expect(r.status).toBe(201);
    expect(seen).toHaveLength(2);
  });

  it('a timeout is transient, and a create (POST) is not repeated after it', async () => {
    handler = () => undefined; // never answers
    const rest = client(BASIC, { timeoutMs: 50 });
    await expect(
      rest.request({ method: 'POST', path: 'x', body: {}, operation: 'create' }),
    ).rejects.toMatchObject({
      kind: 'transient',
      fusionMessage: 'no answer within 50 ms',
    });
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('a refused connection is retried even for a POST (it never reached Fusion)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const auth = createAuthProvider(BASIC, { fetch, now: Date.now, timeoutMs: 100 });
    const retries: RetryEvent[] = [];
    const rest = new FusionRestClient({
      baseUrl: `http://127.0.0.1:${port}`,
      auth,
      retry: FAST_RETRY,
      onRetry: (e) => retries.push(e),
    });
    await expect(
      rest.request({ method: 'POST', path: 'x', body: {}, operation: 'create' }),
    ).rejects.toMatchObject({
      kind: 'transient',
    });
    expect(retries).toHaveLength(3);
  });
});

describe('OAuth tokens', () => {
  let tokenRequests: string[] = [];
  let issued = 0;
  const tokenServer =
    (expiresIn = 3600): Handler =>
    (req, body, res) => {
      if (req.url === '/oauth2/v1/token') {
        tokenRequests.push(body);
        setTimeout(
          () =>
            json(res, 200, { access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: expiresIn }),
          20,
        );
        return;
      }
      json(res, 200, { auth: req.headers.authorization });
    };
  afterEach(() => {
    tokenRequests = [];
    issued = 0;
  });

  it('client credentials: one token for concurrent callers (single flight), cached afterwards', async () => {
    handler = tokenServer();
    const rest = client(OAUTH());
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        rest.request<{ auth: string }>({ method: 'GET', path: 'x', operation: 'x' }),
      ),
    );
    await rest.request({ method: 'GET', path: 'x', operation: 'x' });
    expect(tokenRequests).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.auth))).toEqual(new Set(['Bearer tok-1']));
    const form = new URLSearchParams(tokenRequests[0]);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'urn:opc:resource:fa:instanceid=42urn:opc:resource:consumer::all',
    });
    const tokenCall = seen.find((s) => s.url === '/oauth2/v1/token')!;
    expect(tokenCall.headers.authorization).toBe(
      `Basic ${Buffer.from('client-1:client-secret').toString('base64')}`,
    );
  });

  it('refreshes before expiry', async () => {
    handler = tokenServer(1); // 1 s lifetime → refresh margin 100 ms
    const rest = client(OAUTH());
    await rest.request({ method: 'GET', path: 'x', operation: 'x' });
    await new Promise((r) => setTimeout(r, 950));
    const r = await rest.request<{ auth: string }>({ method: 'GET', path: 'x', operation: 'x' });
    expect(r.body.auth).toBe('Bearer tok-2');
  });

  it('a 401 drops the token, fetches a new one and repeats the call once', async () => {
    handler = (req, body, res) => {
      if (req.url === '/oauth2/v1/token') return tokenServer()(req, body, res);
      if (req.headers.authorization === 'Bearer tok-1') return json(res, 401, {});
      json(res, 200, { auth: req.headers.authorization });
    };
    const calls: ExternalCall[] = [];
    const r = await client(OAUTH(), { calls }).request<{ auth: string }>({
      method: 'GET',
      path: 'x',
      operation: 'x',
    });
    expect(r.body.auth).toBe('Bearer tok-2');
    expect(tokenRequests).toHaveLength(2);
    expect(JSON.stringify(calls)).not.toMatch(/tok-|client-secret/);
  });

  it('a second 401 is an auth error, not a loop', async () => {
    handler = (req, body, res) =>
      req.url === '/oauth2/v1/token' ? tokenServer()(req, body, res) : json(res, 401, {});
    await expect(client(OAUTH()).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject(
      {
        kind: 'auth',
        httpStatus: 401,
      },
    );
    expect(tokenRequests).toHaveLength(2);
  });

  it('Basic credentials are not retried after a 401', async () => {
    handler = (_req, _b, res) => json(res, 401, {});
    await expect(client(BASIC).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject({
      kind: 'auth',
    });
    expect(seen).toHaveLength(1);
  });

  it('a refused token request is an auth error with the identity domain message', async () => {
    handler = (_req, _b, res) =>
      json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    await expect(client(OAUTH()).request({ method: 'GET', path: 'x', operation: 'x' })).rejects.toMatchObject(
      {
        kind: 'auth',
        fusionMessage: 'invalid_client: Client authentication failed.',
      },
    );
  });

  it('JWT user assertion: signs an assertion for the user and uses the jwt-bearer grant', async () => {
    handler = tokenServer();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const rest = client({
      kind: 'jwt',
      tokenUrl: `${base}/oauth2/v1/token`,
      clientId: 'client-1',
      clientSecret: 'client-secret',
      scope: 'urn:opc:resource:fa:instanceid=42',
      username: 'integration.user',
      privateKeyPem: pem,
      keyId: 'connector-cert',
    });
    const r = await rest.request<{ auth: string }>({ method: 'GET', path: 'x', operation: 'x' });
    expect(r.body.auth).toBe('Bearer tok-1');
    const form = new URLSearchParams(tokenRequests[0]);
    expect(form.get('grant_type')).toBe(JWT_BEARER_GRANT);
    const assertion = form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', kid: 'connector-cert' });
    expect(decodeJwt(assertion)).toMatchObject({
      sub: 'integration.user',
      iss: 'client-1',
      aud: 'https://identity.oraclecloud.com/',
    });
  });
});
