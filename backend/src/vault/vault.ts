/**
 * Envelope encryption of stored credentials.
 *
 * Each `seal` makes a fresh random 256-bit data key (DEK), encrypts the plaintext with AES-256-GCM under it,
 * and has the KeyProvider wrap the DEK under its active key-encryption key (KEK). The result is one
 * self-describing string:
 *
 *     v1.<keyId>.<wrapped DEK>.<iv>.<ciphertext>.<tag>        (parts after keyId are base64url)
 *
 * The payload's AAD is the record context (tenant, record id, purpose), so a sealed value copied into
 * another row, another tenant or another purpose fails to open. The AAD leaves out the key id on purpose:
 * `rewrap` can then move the DEK under a new KEK without touching the payload.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProvider } from './key-provider.js';
import { KEY_ID_PATTERN } from './key-provider.js';
import { VaultError } from './vault-error.js';

export interface SealContext {
  tenantId: string;
  /** The row the secret belongs to, e.g. the connection id. */
  recordId: string;
  /** What the secret is for, e.g. "fusion-credentials", "ups-credentials", "track-alert-credential". */
  purpose: string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEK_BYTES = 32;

interface SealedParts {
  keyId: string;
  wrapped: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export class Vault {
  constructor(readonly keys: KeyProvider) {}

  async seal(plaintext: string, context: SealContext): Promise<string> {
    const dek = randomBytes(DEK_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dek, iv);
      cipher.setAAD(payloadAad(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const { keyId, wrapped } = await this.keys.wrap(dek);
      return format({ keyId, wrapped, iv, ciphertext, tag: cipher.getAuthTag() });
    } finally {
      dek.fill(0);
    }
  }

  async open(sealed: string, context: SealContext): Promise<string> {
    const parts = parse(sealed);
    const dek = await this.keys.unwrap(parts.keyId, parts.wrapped);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dek, parts.iv);
      decipher.setAAD(payloadAad(context));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new VaultError(
        'decrypt-failed',
        `credential could not be decrypted: it was altered or belongs to another record than ${describe(context)} (key id ${parts.keyId})`,
        parts.keyId,
        { cause },
      );
    } finally {
      dek.fill(0);
    }
  }

  async sealJson(value: unknown, context: SealContext): Promise<string> {
    return this.seal(JSON.stringify(value), context);
  }

  async openJson<T = unknown>(sealed: string, context: SealContext): Promise<T> {
    const text = await this.open(sealed, context);
    try {
      return JSON.parse(text) as T;
    } catch {
      // JSON.parse's own message quotes the text it choked on: the secret itself.
      throw new VaultError(
        'malformed',
        `sealed credential does not hold JSON (key id ${this.keyIdOf(sealed)})`,
      );
    }
  }

  /** The key id a sealed value was wrapped under (no decryption). */
  keyIdOf(sealed: string): string {
    return parse(sealed).keyId;
  }

  /** True when the value is already wrapped under the active KEK. */
  isCurrent(sealed: string): boolean {
    return this.keyIdOf(sealed) === this.keys.activeKeyId;
  }

  /** Unwraps the data key only (no payload, no context needed): proves the keyring can read this value. */
  async verifyKey(sealed: string): Promise<void> {
    const parts = parse(sealed);
    (await this.keys.unwrap(parts.keyId, parts.wrapped)).fill(0);
  }

  /**
   * Re-wraps the data key under the active KEK; iv, ciphertext and tag are carried over byte for byte.
   * Returns the input unchanged when it is already under the active key.
   */
  async rewrap(sealed: string): Promise<string> {
    const parts = parse(sealed);
    if (parts.keyId === this.keys.activeKeyId) return sealed;
    const dek = await this.keys.unwrap(parts.keyId, parts.wrapped);
    try {
      const { keyId, wrapped } = await this.keys.wrap(dek);
      return format({ ...parts, keyId, wrapped });
    } finally {
      dek.fill(0);
    }
  }
}

function payloadAad(context: SealContext): Buffer {
  for (const field of ['tenantId', 'recordId', 'purpose'] as const) {
    if (typeof context[field] !== 'string' || context[field] === '') {
      throw new VaultError('malformed', `vault: seal context needs a non-empty ${field}`);
    }
  }
  // JSON of an array: unambiguous however the fields are spelled (no separator collisions).
  return Buffer.from(
    `fusion-ups-connector/${VERSION}/${JSON.stringify([context.tenantId, context.recordId, context.purpose])}`,
  );
}

function describe(context: SealContext): string {
  return `tenant ${context.tenantId}, record ${context.recordId}, ${context.purpose}`;
}

function format(p: SealedParts): string {
  return [VERSION, p.keyId, p.wrapped, p.iv, p.ciphertext, p.tag]
    .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
    .join('.');
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function parse(sealed: string): SealedParts {
  if (typeof sealed !== 'string') throw new VaultError('malformed', 'sealed credential is not a string');
  const parts = sealed.split('.');
  if (parts[0] !== VERSION) {
    const shown = /^v\d{1,3}$/.test(parts[0] ?? '') ? ` version "${parts[0]}"` : '';
    throw new VaultError(
      'malformed',
      `sealed credential has an unknown format${shown} (expected ${VERSION}.<keyId>.…)`,
    );
  }
  const [, keyId, wrapped, iv, ciphertext, tag] = parts;
  if (parts.length !== 6 || keyId === undefined || !KEY_ID_PATTERN.test(keyId)) {
    throw new VaultError(
      'malformed',
      `sealed credential is malformed: expected 6 dot-separated parts, got ${parts.length}`,
    );
  }
  for (const part of [wrapped, iv, ciphertext, tag]) {
    if (part === undefined || !B64URL.test(part)) {
      throw new VaultError(
        'malformed',
        `sealed credential is malformed: a part is not base64url (key id ${keyId})`,
        keyId,
      );
    }
  }
  const decoded = {
    keyId,
    wrapped: Buffer.from(wrapped!, 'base64url'),
    iv: Buffer.from(iv!, 'base64url'),
    ciphertext: Buffer.from(ciphertext!, 'base64url'),
    tag: Buffer.from(tag!, 'base64url'),
  };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES || decoded.wrapped.length === 0) {
    // Wrong lengths can only come from truncation or tampering; GCM would reject them later anyway.
    throw new VaultError(
      'decrypt-failed',
      `credential could not be decrypted: wrong master key or tampered data (key id ${keyId})`,
      keyId,
    );
  }
  return decoded;
}
