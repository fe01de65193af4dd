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
