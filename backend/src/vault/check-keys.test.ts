import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkStoredKeys } from './check-keys.js';
import { EnvKeyProvider } from './env-key-provider.js';
import type { SealedCredentialStore } from './rotate-all.js';
import { Vault } from './vault.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const vault = (...keys: Array<[string, Buffer]>) =>
  new Vault(
    new EnvKeyProvider(
      keys.map(([id, key]) => ({ id, key })),
      'CONNECTOR_MASTER_KEYS',
    ),
  );
const ctx = { tenantId: 't', recordId: 'r', purpose: 'p' };

function store(values: string[]): SealedCredentialStore {
  return {
    listSealedCredentials: async () => values.map((sealed, i) => ({ id: `c${i}`, tenantId: 't', sealed })),
    replaceSealedCredential: async () => {
      throw new Error('must not write');
    },
  };
}

describe('checkStoredKeys', () => {
  it('counts values per key id and those awaiting rotation', async () => {
    const old = await vault(['k1', k1]).seal('a', ctx);
    const current = await vault(['k2', k2]).seal('b', ctx);
    const report = await checkStoredKeys(vault(['k2', k2], ['k1', k1]), [
      store([old, current]),
      store([current, 'junk']),
    ]);
    expect(report).toEqual({ byKeyId: { k1: 1, k2: 2 }, notOnActiveKey: 1, unreadable: 1 });
  });

  it('stops with one line naming the key id when the active master key is wrong', async () => {
    const stored = await vault(['main', k1]).seal('a', ctx);
    await expect(checkStoredKeys(vault(['main', k2]), [store([stored])])).rejects.toThrow(
      /^1 stored credential is sealed under key id "main", which CONNECTOR_MASTER_KEYS cannot unwrap: credential could not be decrypted: wrong master key or tampered data \(key id main\)$/,
    );
  });

  it('stops when a retired key was dropped before rotation finished', async () => {
    const stored = await vault(['k1', k1]).seal('a', ctx);
    await expect(checkStoredKeys(vault(['k2', k2]), [store([stored, stored])])).rejects.toThrow(
      /^2 stored credentials are sealed under key id "k1".*not in CONNECTOR_MASTER_KEYS/,
    );
  });

  it('passes on an empty database', async () => {
    expect(await checkStoredKeys(vault(['k2', k2]), [store([])])).toEqual({
      byKeyId: {},
      notOnActiveKey: 0,
      unreadable: 0,
    });
  });
});
