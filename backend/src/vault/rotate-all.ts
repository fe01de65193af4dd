/**
 * Key rotation without downtime: deploy the new keyring (new key first, old keys kept), then run
 * `rotateAll`. Each stored value gets its data key re-wrapped under the active KEK and is written back with
 * compare-and-set, so a value the running service changed in the meantime is never overwritten with a stale
 * one — it is picked up again on the next pass (and a fresh write is already under the active key).
 * Once a run reports nothing left on old keys, the old key can be removed from the keyring.
 */
import type { Vault } from './vault.js';

export interface SealedCredentialStore {
  listSealedCredentials(): Promise<Array<{ id: string; tenantId: string; sealed: string }>>;
  /** Writes `newSealed` only if the row still holds `expectedOldSealed`; false when it did not. */
  replaceSealedCredential(id: string, expectedOldSealed: string, newSealed: string): Promise<boolean>;
}

export interface RotationReport {
  activeKeyId: string;
  /** Values looked at in the first pass. */
  scanned: number;
  rewrapped: number;
  alreadyCurrent: number;
  /** Compare-and-set misses (a concurrent change); each was re-read on a later pass. */
  conflicts: number;
  /** Values that could not be re-wrapped (unknown key id, tampered, …) or still conflicted after the last pass. */
  failed: Array<{ id: string; tenantId: string; error: string }>;
}

export async function rotateAll(
  vault: Vault,
  store: SealedCredentialStore,
  options: { maxPasses?: number } = {},
): Promise<RotationReport> {
  const maxPasses = options.maxPasses ?? 5;
  const report: RotationReport = {
    activeKeyId: vault.keys.activeKeyId,
    scanned: 0,
    rewrapped: 0,
    alreadyCurrent: 0,
    conflicts: 0,
    failed: [],
  };
  let retry: Set<string> | null = null;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const rows = await store.listSealedCredentials();
    if (pass === 1) report.scanned = rows.length;
    const conflicted = new Set<string>();
    for (const row of rows) {
      if (retry && !retry.has(row.id)) continue;
      let current: boolean;
      try {
        current = vault.isCurrent(row.sealed);
      } catch (error) {
        report.failed.push({ id: row.id, tenantId: row.tenantId, error: messageOf(error) });
        continue;
      }
      if (current) {
        if (pass === 1) report.alreadyCurrent++;
        continue;
      }
      let next: string;
      try {
        next = await vault.rewrap(row.sealed);
      } catch (error) {
        report.failed.push({ id: row.id, tenantId: row.tenantId, error: messageOf(error) });
        continue;
      }
      if (await store.replaceSealedCredential(row.id, row.sealed, next)) {
        report.rewrapped++;
      } else {
        report.conflicts++;
        conflicted.add(row.id);
      }
    }
    if (conflicted.size === 0) return report;
    if (pass === maxPasses) {
      const rowsById = new Map(rows.map((r) => [r.id, r]));
      for (const id of conflicted) {
        report.failed.push({
          id,
          tenantId: rowsById.get(id)?.tenantId ?? '',
          error: `still changing after ${maxPasses} passes; run rotation again`,
        });
      }
    }
    retry = conflicted;
  }
  return report;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
