import { describe, expect, it } from 'vitest';
import { REDACTED, isSensitiveKey, redact, redactString } from './redact.js';

// Deeply nested test data is read back without a schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const SECRET = 'S3cr3t-Value-9f8e7d';

describe('redact by key', () => {
  const keys = [
    'authorization',
    'Authorization',
    'proxy-authorization',
    'Proxy-Authorization',
    'cookie',
    'set-cookie',
    'client_secret',
    'clientSecret',
    'access_token',
    'refresh_token',
    'id_token',
    'password',
    'passphrase',
    'credential',
    'x-api-key',
    'apiKey',
    'walletPassword',
    'webhookSecret',
    'sessionToken',
    'ORACLE_PASSWORD',
    'webhookCredential',
    'fusionPrivateKey',
    'upsApiKey',
  ];
  it.each(keys)('masks the value under %s', (key) => {
    const input = { [key]: SECRET, keep: 'visible' };
    const out = redact(input) as Record<string, unknown>;
    expect(out[key]).toBe(REDACTED);
    expect(out.keep).toBe('visible');
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it('masks whole objects and arrays under a sensitive key', () => {
    const out = redact({ credentials: { user: 'u', pass: SECRET }, tokens: [SECRET] });
    expect(out).toEqual({ credentials: REDACTED, tokens: REDACTED });
  });

  it('keeps harmless names that merely contain a sensitive word', () => {
    for (const key of ['token_type', 'tokenUrl', 'credentialType']) expect(isSensitiveKey(key)).toBe(false);
    const out = redact({ token_type: 'Bearer', tokenUrl: 'https://idcs.example.com/oauth2/v1/token' });
    expect(out).toEqual({ token_type: 'Bearer', tokenUrl: 'https://idcs.example.com/oauth2/v1/token' });
  });

  it('reaches into nested arrays and headers objects', () => {
    const input = {
      calls: [
        { request: { headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' } } },
        [{ deeper: [{ client_secret: SECRET }] }],
      ],
    };
    const out = redact(input) as Any;
    expect(out.calls[0].request.headers).toEqual({
      Authorization: REDACTED,
      'Content-Type': 'application/json',
    });
    expect(out.calls[1][0].deeper[0].client_secret).toBe(REDACTED);
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it('handles fetch Headers, Maps, header tuples and raw header lists', () => {
    const headers = new Headers({
      authorization: `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`,
      accept: '*/*',
    });
    expect(redact(headers)).toEqual({ authorization: REDACTED, accept: '*/*' });
    expect(redact(new Map([['credential', SECRET]]))).toEqual({ credential: REDACTED });
    expect(
      redact([
        ['x-api-key', SECRET],
        ['accept', 'json'],
      ]),
    ).toEqual([
      ['x-api-key', REDACTED],
      ['accept', 'json'],
    ]);
    expect(redact(['Host', 'x', 'Cookie', `sid=${SECRET}`])).toEqual(['Host', 'x', 'Cookie', REDACTED]);
  });

  it('does not mutate its input and survives cycles', () => {
    const input: Record<string, unknown> = { password: SECRET, nested: { a: 1 } };
    input.self = input;
    (input.nested as Record<string, unknown>).parent = input;
    const out = redact(input) as Any;
    expect(input.password).toBe(SECRET);
    expect(out.password).toBe(REDACTED);
    expect(out.self).toBe('[Circular]');
    expect(out.nested.parent).toBe('[Circular]');
    expect(out).not.toBe(input);
  });

  it('turns Errors into plain objects with a redacted message', () => {
    const err = Object.assign(new Error(`login failed for https://bob:${SECRET}@fusion.example.com`), {
      code: 'E1',
    });
    const out = redact({ err }) as Any;
    expect(out.err.name).toBe('Error');
    expect(out.err.code).toBe('E1');
    expect(out.err.message).toBe(`login failed for https://bob:${REDACTED}@fusion.example.com`);
    expect(out.err.stack).not.toContain(SECRET);
  });

  it('keeps primitives, dates and drops binary', () => {
    const d = new Date('2026-01-01T00:00:00Z');
    expect(redact({ n: 1, b: true, x: null, u: undefined, d })).toEqual({
      n: 1,
      b: true,
      x: null,
      u: undefined,
      d,
    });
    expect(redact(Buffer.from(SECRET))).toBe(`[binary ${SECRET.length} bytes]`);
  });
});

describe('redact by value pattern', () => {
  it('masks Bearer tokens', () => {
    expect(redactString(`Authorization: Bearer ${SECRET}`)).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  it('masks Basic credentials but not prose', () => {
    const basic = Buffer.from(`client:${SECRET}`).toString('base64');
    expect(redactString(`Basic ${basic}`)).toBe(`Basic ${REDACTED}`);
    expect(redactString('Basic authentication failed')).toBe('Basic authentication failed');
  });

  it('masks JWT-looking strings anywhere', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXBhcnQ';
    const out = redactString(`token relay gave ${jwt} for bob`);
    expect(out).toBe(`token relay gave ${REDACTED} for bob`);
    expect(redact({ note: jwt })).toEqual({ note: REDACTED });
  });

  it('masks URL userinfo passwords and keeps the user and host', () => {
    expect(redactString(`postgres://app:${SECRET}@db.internal:5432/connector`)).toBe(
      `postgres://app:${REDACTED}@db.internal:5432/connector`,
    );
    expect(redact(new URL(`https://u:${SECRET}@h.example/p`))).toBe(`https://u:${REDACTED}@h.example/p`);
  });

  it('masks secrets in query strings and form bodies', () => {
    expect(
      redactString(`/oauth2/v1/token?grant_type=client_credentials&client_secret=${SECRET}&scope=x`),
    ).toBe(`/oauth2/v1/token?grant_type=client_credentials&client_secret=${REDACTED}&scope=x`);
    expect(redactString(`client_secret=${SECRET}&grant_type=client_credentials`)).toBe(
      `client_secret=${REDACTED}&grant_type=client_credentials`,
    );
    expect(redactString(`refresh_token=${SECRET}`)).toBe(`refresh_token=${REDACTED}`);
    expect(redactString(`password=${SECRET}&user=bob`)).toBe(`password=${REDACTED}&user=bob`);
  });

  it('masks secrets inside raw JSON text', () => {
    const raw = `{"access_token":"${SECRET}","token_type":"Bearer","expires_in":"14399"}`;
    expect(redactString(raw)).toBe(
      `{"access_token":"${REDACTED}","token_type":"Bearer","expires_in":"14399"}`,
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'PO 1234 shipped with 1Z999AA10123456784 to 55 Main St; status=OPEN';
    expect(redactString(text)).toBe(text);
  });
});
