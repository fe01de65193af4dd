/**
 * A start-time check that the configured keys can unwrap what is stored, so a wrong or missing master key
 * stops the start with one clear line instead of failing later, one credential at a time, mid-pipeline.
 * Only data keys are unwrapped (one sample per key id); no payload is decrypted.
 */
import type { SealedCredentialStore } from './rotate-all.js';
import type { Vault } from './vault.js';
import { VaultError } from './vault-error.js';

export interface KeyCheckReport {
  /** Stored values per key id. */
  byKeyId: Record<string, number>;
  /** Values not under the active key (rotation pending). */
  notOnActiveKey: number;
  /** Values in no format this version reads. */
  unreadable: number;
}

export async function checkStoredKeys(
  vault: Vault,
  stores: SealedCredentialStore[],
): Promise<KeyCheckReport> {
  const samples = new Map<string, string>();
  const report: KeyCheckReport = { byKeyId: {}, notOnActiveKey: 0, unreadable: 0 };
  for (const store of stores) {
    for (const row of await store.listSealedCredentials()) {
      let keyId: string;
      try {
        keyId = vault.keyIdOf(row.sealed);
      } catch {
        report.unreadable++;
        continue;
      }
      report.byKeyId[keyId] = (report.byKeyId[keyId] ?? 0) + 1;
      if (keyId !== vault.keys.activeKeyId) report.notOnActiveKey++;
      if (!samples.has(keyId)) samples.set(keyId, row.sealed);
    }
  }
  for (const [keyId, sealed] of samples) {
    try {
      await vault.verifyKey(sealed);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      const count = report.byKeyId[keyId] ?? 0;
      throw new VaultError(
        error.code,
        `${count} stored credential${count === 1 ? ' is' : 's are'} sealed under key id "${keyId}", which ${vault.keys.source} cannot unwrap: ${error.message}`,
        keyId,
        { cause: error },
      );
    }
  }
  return report;
}
