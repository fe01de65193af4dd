/**
 * Builds the KeyProvider the config asks for. The start command calls this once:
 *   const vault = new Vault(createKeyProvider(config.vault, { dataDir: config.dataDir, logger }));
 */
import { EnvKeyProvider, parseMasterKey } from './env-key-provider.js';
import { loadOrCreateDevMasterKey } from './dev-master-key.js';
import type { KeyProvider } from './key-provider.js';
import {
  OciVaultKeyProvider,
  unimplementedOciSigner,
  type OciRequestSigner,
} from './oci-vault-key-provider.js';
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
      signer: options.ociSigner ?? unimplementedOciSigner,
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
