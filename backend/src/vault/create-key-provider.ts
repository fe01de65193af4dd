/**
 * Builds the KeyProvider the config asks for. The start command calls this once:
 *   const vault = new Vault(createKeyProvider(config.vault, { dataDir: config.dataDir, logger }));
 */
import { readFileSync } from 'node:fs';
import { EnvKeyProvider, parseMasterKey } from './env-key-provider.js';
import { OciApiKeySigner } from './oci-request-signer.js';
import { loadOrCreateDevMasterKey } from './dev-master-key.js';
import type { KeyProvider } from './key-provider.js';
import { OciVaultKeyProvider, type OciRequestSigner } from './oci-vault-key-provider.js';
import { VaultError } from './vault-error.js';

export type VaultSettings =
  | {
      provider: 'env';
      /** base64 keys with ids, active first; empty = none configured. */
      masterKeys: Array<{ id: string; key: string }>;
      /** Allow a generated key in the data directory when none is configured (development only). */
      allowDevKey: boolean;
    }
  | {
      provider: 'oci-vault';
      cryptoEndpoint: string;
      keys: Array<{ id: string; keyOcid: string }>;
      auth:
        | {
            kind: 'api-key';
            tenancyOcid: string;
            userOcid: string;
            fingerprint: string;
            privateKeyFile?: string;
            privateKey?: string;
            passphrase?: string;
          }
        | { kind: 'instance-principal' };
    };

export interface CreateKeyProviderOptions {
  dataDir: string;
  logger: { warn(message: string, meta?: Record<string, unknown>): unknown };
  ociSigner?: OciRequestSigner;
}

export function createKeyProvider(settings: VaultSettings, options: CreateKeyProviderOptions): KeyProvider {
  if (settings.provider === 'oci-vault') {
    return new OciVaultKeyProvider({
      cryptoEndpoint: settings.cryptoEndpoint,
      keys: settings.keys,
      signer: options.ociSigner ?? ociSigner(settings.auth),
    });
  }
  if (settings.masterKeys.length > 0) {
    const source = settings.masterKeys.length > 1 ? 'CONNECTOR_MASTER_KEYS' : 'CONNECTOR_MASTER_KEY';
    return new EnvKeyProvider(
      settings.masterKeys.map((k) => ({ id: k.id, key: parseMasterKey(k.key, `${source} (key "${k.id}")`) })),
      source,
    );
  }
  if (!settings.allowDevKey) {
    throw new VaultError(
      'config',
      'CONNECTOR_MASTER_KEY: not set, and generating a development key is disabled (CONNECTOR_ALLOW_DEV_MASTER_KEY=false); set CONNECTOR_MASTER_KEY to base64 of 32 random bytes (openssl rand -base64 32)',
    );
  }
  const dev = loadOrCreateDevMasterKey(options.dataDir, options.logger);
  return new EnvKeyProvider([{ id: dev.id, key: dev.key }], `development master key file ${dev.path}`);
}

function ociSigner(auth: Extract<VaultSettings, { provider: 'oci-vault' }>['auth']): OciRequestSigner {
  if (auth.kind === 'instance-principal') {
    // Fail at start, not at the first credential read: the gap must be visible before anything runs.
    throw new VaultError(
      'config',
      'CONNECTOR_OCI_AUTH: instance-principal signing is not implemented in this build; use api-key (CONNECTOR_OCI_TENANCY_OCID, CONNECTOR_OCI_USER_OCID, CONNECTOR_OCI_FINGERPRINT, CONNECTOR_OCI_PRIVATE_KEY_FILE)',
    );
  }
  let privateKey = auth.privateKey;
  if (privateKey === undefined && auth.privateKeyFile !== undefined) {
    try {
      privateKey = readFileSync(auth.privateKeyFile, 'utf8');
    } catch (error) {
      throw new VaultError(
        'config',
        `CONNECTOR_OCI_PRIVATE_KEY_FILE: cannot read ${auth.privateKeyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  return new OciApiKeySigner({ ...auth, privateKey: privateKey ?? '' });
}
