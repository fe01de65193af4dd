import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../storage/index.js';
import { EnvKeyProvider, Vault } from '../vault/index.js';
import { matchesAny, safeEqual, WebhookCredentials } from './webhook-credentials.js';

describe('constant-time comparison', () => {
  it('compares strings of any length without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(matchesAny('b', ['a', 'b', 'c'])).toBe(true);
    expect(matchesAny('z', ['a', 'b'])).toBe(false);
    expect(matchesAny('', [])).toBe(false);
  });
});

describe('WebhookCredentials', () => {
  let storage: Storage;
  let creds: WebhookCredentials;
  beforeAll(async () => {
    storage = await openStorage({ engine: 'pglite' });
    await storage.migrate();
    await storage.repos.tenants.ensure({ id: 'a' });
    await storage.repos.tenants.ensure({ id: 'b' });
    creds = new WebhookCredentials({
      storage,
      vault: new Vault(new EnvKeyProvider([{ id: 'k1', key: randomBytes(32) }])),
    });
  });
  afterAll(async () => storage?.close());

  it('generates a v1 credential once, stores it sealed, and accepts only it', async () => {
    const c = await creds.v1Credential('a');
    expect(await creds.v1Credential('a')).toBe(c);
    const rows = await storage.repos.webhookCredentials.listActive('a', 'track-alert-v1');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealedSecret).not.toContain(c);
    expect(await creds.checkV1('a', c)).toBe(true);
    expect(await creds.checkV1('a', `${c}x`)).toBe(false);
    expect(await creds.checkV1('a', undefined)).toBe(false);
    expect(await creds.checkV1('b', c)).toBe(false);
  });

  it('adopts a configured v1 credential, sealed, and keeps accepting the earlier one', async () => {
    const generated = await creds.v1Credential('a');
    const configured = `configured-${randomBytes(8).toString('hex')}`;
    await creds.adoptV1Credential('a', configured);
    await creds.adoptV1Credential('a', configured);
    expect(await creds.v1Credential('a')).toBe(configured);
    const rows = await storage.repos.webhookCredentials.listActive('a', 'track-alert-v1');
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.sealedSecret).join()).not.toContain(configured);
    expect(await creds.checkV1('a', configured)).toBe(true);
    expect(await creds.checkV1('a', generated)).toBe(true);
  });

  it('rotates the v2 client: the new one signs in, the old one only until the overlap ends', async () => {
    const old = await creds.v2Client('b');
    const next = await creds.rotateV2Client('b');
    expect(next.clientId).not.toBe(old.clientId);
    expect(await creds.v2ClientId('b')).toBe(next.clientId);
    expect(await creds.checkV2Client('b', next.clientId, next.clientSecret)).toBe(true);
    expect(await creds.checkV2Client('b', old.clientId, old.clientSecret)).toBe(true);
    const last = await creds.rotateV2Client('b', -1000);
    expect(await creds.checkV2Client('b', last.clientId, last.clientSecret)).toBe(true);
    expect(await creds.checkV2Client('b', next.clientId, next.clientSecret)).toBe(false);
    expect(await creds.checkV2Client('b', old.clientId, old.clientSecret)).toBe(false);
  });

  it('issues v2 tokens that hold only for the tenant and client they were issued to', async () => {
    const a = await creds.v2Client('a');
    const b = await creds.v2Client('b');
    expect(await creds.checkV2Client('a', a.clientId, a.clientSecret)).toBe(true);
    expect(await creds.checkV2Client('a', b.clientId, b.clientSecret)).toBe(false);
    const token = await creds.issueAccessToken('a', a.clientId);
    expect(await creds.checkV2Bearer('a', token, a.clientId)).toBe(true);
    expect(await creds.checkV2Bearer('a', token, b.clientId)).toBe(false);
    expect(await creds.checkV2Bearer('b', token, a.clientId)).toBe(false);
    expect(await creds.checkV2Bearer('a', `${token}x`, a.clientId)).toBe(false);
    const old = await creds.issueAccessToken('a', a.clientId, Date.now() - 2 * 3600_000);
    expect(await creds.checkV2Bearer('a', old, a.clientId)).toBe(false);
  });
});
