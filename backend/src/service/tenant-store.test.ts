/**
 * Tenants are re-saved at every start. Unchanged credentials keep their ciphertext (so a rolling deploy that
 * activates a new master key does not lock out instances still holding only the old one); changed ones are
 * sealed anew under the active key and open to the new value.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSchema } from '../config/schema-tenant.js';
import { openStorage, type Storage } from '../storage/index.js';
import { EnvKeyProvider } from '../vault/env-key-provider.js';
import { Vault } from '../vault/vault.js';
import { loadTenant, saveTenant } from './tenant-store.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const vaultOf = (...keys: (typeof k1)[]) => new Vault(new EnvKeyProvider(keys, 'CONNECTOR_MASTER_KEYS'));

const tenant = (fusionPassword: string) =>
  tenantSchema.parse({
    id: 'acme',
    fusion: {
      baseUrl: 'https://fa-acme.example.com',
      auth: { kind: 'basic', username: 'integration.user', password: fusionPassword },
    },
    ups: {
      baseUrl: 'https://wwwcie.ups.com',
      clientId: 'client-id',
      clientSecret: 'ups-secret-value',
      shipperNumbers: ['A1B2C3'],
    },
  });

let storage: Storage;
beforeAll(async () => {
  storage = await openStorage({ engine: 'pglite' });
  await storage.migrate();
}, 60_000);
afterAll(async () => {
  await storage?.close();
});

const sealedOf = async (kind: 'fusion' | 'ups') =>
  (await storage.repos.connections.findByName('acme', kind))?.sealedCredentials;

describe('tenant store', () => {
  it('keeps unchanged ciphertext across restarts, even when a new key became active', async () => {
    await saveTenant(storage, vaultOf(k1), tenant('first-password'));
    const before = await sealedOf('fusion');
    expect(before).toMatch(/^v1\.k1\./);

    // Restart with the new key active: nothing changed, nothing re-sealed.
    await saveTenant(storage, vaultOf(k2, k1), tenant('first-password'));
    expect(await sealedOf('fusion')).toBe(before);
    // An instance still on the old keyring opens it.
    const old = await loadTenant(storage, vaultOf(k1), 'acme');
    expect(old?.config.fusion.auth).toMatchObject({ password: 'first-password' });
  }, 60_000);

  it('seals a changed credential under the active key, in place', async () => {
    const rowBefore = await storage.repos.connections.findByName('acme', 'fusion');
    await saveTenant(storage, vaultOf(k2, k1), tenant('second-password'));
    const rowAfter = await storage.repos.connections.findByName('acme', 'fusion');
    expect(rowAfter?.id).toBe(rowBefore?.id);
    expect(rowAfter?.sealedCredentials).toMatch(/^v1\.k2\./);
    expect(rowAfter?.sealedCredentials).not.toContain('second-password');
    const loaded = await loadTenant(storage, vaultOf(k2, k1), 'acme');
    expect(loaded?.config.fusion.auth).toMatchObject({ password: 'second-password' });
    // The UPS connection did not change and kept its k1 seal.
    expect(await sealedOf('ups')).toMatch(/^v1\.k1\./);
  }, 60_000);
});
