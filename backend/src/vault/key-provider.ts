/**
 * A key-encryption key (KEK) holder. The vault never sees KEK material: it hands a fresh data key to
 * `wrap` and gets it back from `unwrap`. Implementations: EnvKeyProvider (keys from the environment),
 * OciVaultKeyProvider (OCI KMS).
 */
export interface WrappedKey {
  /** Which KEK wrapped it; written into the sealed string so the right key unwraps it later. */
  keyId: string;
  wrapped: Buffer;
}

export interface KeyProvider {
  /** The key id new data keys are wrapped under (the first of a keyring). */
  readonly activeKeyId: string;
  wrap(dek: Buffer): Promise<WrappedKey>;
  /** Throws VaultError 'unknown-key' or 'unwrap-failed' (never returns garbage). */
  unwrap(keyId: string, wrapped: Buffer): Promise<Buffer>;
  /** Key ids this provider can unwrap, for error messages and `doctor`. */
  readonly keyIds: readonly string[];
  /** Where the keys come from, e.g. "CONNECTOR_MASTER_KEYS", for error messages. */
  readonly source: string;
}

/** Key ids appear inside sealed strings between dots, so they are kept to a safe alphabet. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
