import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvKeyProvider } from './env-key-provider.js';
import { rotateAll, type SealedCredentialStore } from './rotate-all.js';
import { Vault } from './vault.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const oldVault = new Vault(new EnvKeyProvider([{ id: 'k1', key: k1 }]));
const newVault = new Vault(
  new EnvKeyProvider([
    { id: 'k2', key: k2 },
    { id: 'k1', key: k1 },
  ]),
);
const ctx = (id: string) => ({ tenantId: 't1', recordId: id, purpose: 'ups-credentials' });

/** An in-memory connections table with compare-and-set, and a hook to change rows mid-rotation. */
class FakeStore implements SealedCredentialStore {
  rows = new Map<string, string>();
  beforeReplace?: (id: string) => Promise<void>;
  async listSealedCredentials() {
    return [...this.rows].map(([id, sealed]) => ({ id, tenantId: 't1', sealed }));
  }
  async replaceSealedCredential(id: string, expectedOldSealed: string, newSealed: string) {
    await this.beforeReplace?.(id);
    if (this.rows.get(id) !== expectedOldSealed) return false;
    this.rows.set(id, newSealed);
    return true;
  }
}

async function seeded(count: number): Promise<FakeStore> {
  const store = new FakeStore();
  for (let i = 0; i < count; i++) store.rows.set(`c${i}`, await oldVault.seal(`secret-${i}`, ctx(`c${i}`)));
  return store;
}

describe('rotateAll', () => {
  it('re-wraps every value under the active key; all still open with the new keyring alone', async () => {
    const store = await seeded(4);
    store.rows.set('fresh', await newVault.seal('secret-fresh', ctx('fresh')));
    const report = await rotateAll(newVault, store);
    expect(report).toMatchObject({
      activeKeyId: 'k2',
      scanned: 5,
      rewrapped: 4,
      alreadyCurrent: 1,
      conflicts: 0,
      failed: [],
    });
    const onlyNew = new Vault(new EnvKeyProvider([{ id: 'k2', key: k2 }]));
    for (const [id, sealed] of store.rows) {
      expect(sealed.startsWith('v1.k2.')).toBe(true);
      expect(await onlyNew.open(sealed, ctx(id))).toBe(`secret-${id.replace(/^c/, '')}`);
    }
    expect(await rotateAll(newVault, store)).toMatchObject({ rewrapped: 0, alreadyCurrent: 5 });
  });

  it('never overwrites a value changed concurrently: the CAS miss is re-read and the new value kept', async () => {
    const store = await seeded(3);
    let changed = false;
    store.beforeReplace = async (id) => {
      if (id === 'c1' && !changed) {
        changed = true;
        // The running service updates c1's credentials (sealed under the old key by an older instance).
        store.rows.set('c1', await oldVault.seal('secret-updated', ctx('c1')));
      }
    };
    const report = await rotateAll(newVault, store);
    expect(report.conflicts).toBe(1);
    expect(report.rewrapped).toBe(3);
    expect(report.failed).toEqual([]);
    expect(store.rows.get('c1')!.startsWith('v1.k2.')).toBe(true);
    expect(await newVault.open(store.rows.get('c1')!, ctx('c1'))).toBe('secret-updated');
  });

  it('reports rows that keep changing and rows it cannot read, and carries on with the rest', async () => {
    const store = await seeded(3);
    store.rows.set(
      'foreign',
      await new Vault(new EnvKeyProvider([{ id: 'k9', key: randomBytes(32) }])).seal('x', ctx('foreign')),
    );
    store.rows.set('junk', 'not-a-sealed-value');
    store.beforeReplace = async (id) => {
      if (id === 'c2') store.rows.set('c2', await oldVault.seal(`again-${Math.random()}`, ctx('c2')));
    };
    const report = await rotateAll(newVault, store, { maxPasses: 3 });
    expect(report.rewrapped).toBe(2);
    expect(report.conflicts).toBe(3);
    const failed = Object.fromEntries(report.failed.map((f) => [f.id, f.error]));
    expect(Object.keys(failed).sort()).toEqual(['c2', 'foreign', 'junk']);
    expect(failed.c2).toMatch(/still changing after 3 passes/);
    expect(failed.foreign).toMatch(/key id "k9" is not in/);
    expect(failed.junk).toMatch(/unknown format/);
  });
});
