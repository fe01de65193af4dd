export { Vault, type SealContext } from './vault.js';
export { VaultError, type VaultErrorCode } from './vault-error.js';
export type { KeyProvider, WrappedKey } from './key-provider.js';
export {
  EnvKeyProvider,
  parseMasterKey,
  parseMasterKeyring,
  masterKeysFromEnv,
  DEFAULT_MASTER_KEY_ID,
  type MasterKey,
} from './env-key-provider.js';
export {
  OciVaultKeyProvider,
  unimplementedOciSigner,
  type OciRequestSigner,
  type OciSignableRequest,
} from './oci-vault-key-provider.js';
export { loadOrCreateDevMasterKey, DEV_MASTER_KEY_FILE, DEV_MASTER_KEY_ID } from './dev-master-key.js';
export { createKeyProvider, type VaultSettings } from './create-key-provider.js';
export { rotateAll, type RotationReport, type SealedCredentialStore } from './rotate-all.js';
export { checkStoredKeys, type KeyCheckReport } from './check-keys.js';
export { OciApiKeySigner, type OciApiKey } from './oci-request-signer.js';
