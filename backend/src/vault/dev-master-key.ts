/**
 * A master key for development machines, so `npm start` works on a fresh checkout: created once in the data
 * directory (mode 0600) and reused afterwards. Production sets CONNECTOR_MASTER_KEY(S) or uses OCI Vault;
 * the loud warning says so every time the file is used.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMasterKey, type MasterKey } from './env-key-provider.js';
import { VaultError } from './vault-error.js';

export const DEV_MASTER_KEY_FILE = 'master-key.dev';
export const DEV_MASTER_KEY_ID = 'dev';

interface WarnLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface DevMasterKey extends MasterKey {
  path: string;
  created: boolean;
}

export function loadOrCreateDevMasterKey(dataDir: string, log: WarnLogger): DevMasterKey {
  const path = join(dataDir, DEV_MASTER_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  let created = false;
  try {
    // 'wx' fails when the file exists, so two processes starting together never overwrite each other's key.
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new VaultError(
        'config',
        `cannot create the development master key at ${path}: ${(error as Error).message}`,
        undefined,
        { cause: error },
      );
    }
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VaultError(
      'config',
      `cannot read the development master key at ${path}: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  }
  const key = parseMasterKey(text, `development master key file ${path}`);
  if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    log.warn(`development master key file ${path} was readable by others; its mode is now 0600`);
  }
  log.warn(
    `${created ? 'GENERATED a development master key' : 'Using the development master key'} at ${path}. ` +
      'Credentials are encrypted with a key stored next to the data. Production must set CONNECTOR_MASTER_KEY ' +
      '(or CONNECTOR_MASTER_KEYS) or use OCI Vault (CONNECTOR_VAULT_PROVIDER=oci-vault).',
    { keyId: DEV_MASTER_KEY_ID, path },
  );
  return { id: DEV_MASTER_KEY_ID, key, path, created };
}
