/**
 * Every vault failure is a VaultError with a one-line message that says what went wrong and which key id
 * or setting is involved. Messages never contain key material or plaintext.
 */
export type VaultErrorCode =
  /** The master key setting is missing or malformed. */
  | 'config'
  /** The sealed string is not in a format this version understands. */
  | 'malformed'
  /** The sealed string names a key id the provider does not hold. */
  | 'unknown-key'
  /** The data key did not unwrap: wrong master key for this id, or the wrapped key was altered. */
  | 'unwrap-failed'
  /** The data key unwrapped but the payload did not decrypt: altered, or copied from another record. */
  | 'decrypt-failed'
  /** The key service (OCI Vault) could not be reached or refused the call. */
  | 'provider';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly keyId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VaultError';
  }
}
