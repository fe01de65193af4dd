/**
 * KEKs held in process memory, from CONNECTOR_MASTER_KEY (one key) or CONNECTOR_MASTER_KEYS (a keyring for
 * rotation: "k2:<base64>,k1:<base64>", the first one active). Data keys are wrapped with AES-256-GCM; the
 * key id is bound as AAD so a wrapped key cannot be relabelled to another id.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_ID_PATTERN, type KeyProvider, type WrappedKey } from './key-provider.js';
import { VaultError } from './vault-error.js';

export interface MasterKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Key id given to a single CONNECTOR_MASTER_KEY unless CONNECTOR_MASTER_KEY_ID names it. */
export const DEFAULT_MASTER_KEY_ID = 'main';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class EnvKeyProvider implements KeyProvider {
  readonly activeKeyId: string;
  readonly keyIds: readonly string[];
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: MasterKey[],
    readonly source = 'CONNECTOR_MASTER_KEYS',
  ) {
    const first = keys[0];
    if (!first) throw new VaultError('config', `${source}: no master key given`);
    this.keys = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new VaultError('config', `${source}: key id "${id}" must be 1–64 letters, digits, "-" or "_"`);
      }
      if (key.length !== 32)
        throw new VaultError('config', `${source}: key "${id}" must be 32 bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new VaultError('config', `${source}: key id "${id}" appears twice`);
      this.keys.set(id, Buffer.from(key));
    }
    this.activeKeyId = first.id;
    this.keyIds = keys.map((k) => k.id);
  }

  /** Reads CONNECTOR_MASTER_KEYS, else CONNECTOR_MASTER_KEY (+ CONNECTOR_MASTER_KEY_ID); null when neither is set. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): EnvKeyProvider | null {
    const keys = masterKeysFromEnv(env);
    return keys ? new EnvKeyProvider(keys.keys, keys.source) : null;
  }

  async wrap(dek: Buffer): Promise<WrappedKey> {
    const keyId = this.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek(keyId), iv);
    cipher.setAAD(wrapAad(keyId));
    const body = Buffer.concat([cipher.update(dek), cipher.final()]);
    return { keyId, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  async unwrap(keyId: string, wrapped: Buffer): Promise<Buffer> {
    const kek = this.kek(keyId);
    if (wrapped.length < IV_BYTES + TAG_BYTES + 1) {
      throw new VaultError('unwrap-failed', unwrapFailedMessage(keyId), keyId);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(wrapAad(keyId));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (cause) {
      throw new VaultError('unwrap-failed', unwrapFailedMessage(keyId), keyId, { cause });
    }
  }

  private kek(keyId: string): Buffer {
    const kek = this.keys.get(keyId);
    if (!kek) {
      throw new VaultError(
        'unknown-key',
        `credential could not be decrypted: key id "${keyId}" is not in ${this.source} (it has ${this.keyIds.join(', ')}); ` +
          'keep retired keys in CONNECTOR_MASTER_KEYS until rotation has re-wrapped every credential',
        keyId,
      );
    }
    return kek;
  }
}

function wrapAad(keyId: string): Buffer {
  return Buffer.from(`fusion-ups-connector/dek/v1/${keyId}`, 'utf8');
}

function unwrapFailedMessage(keyId: string): string {
  return `credential could not be decrypted: wrong master key or tampered data (key id ${keyId})`;
}

// ───────────────────────────── parsing ─────────────────────────────

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/** Decodes one base64 (or base64url) 32-byte key; the error names `where` and never echoes the value. */
export function parseMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new VaultError('config', `${where}: expected base64 of 32 random bytes, got an empty value`);
  if (!BASE64.test(trimmed)) {
    throw new VaultError(
      'config',
      `${where}: expected base64 of 32 random bytes, got text that is not base64`,
    );
  }
  const key = Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (key.length !== 32) {
    throw new VaultError(
      'config',
      `${where}: expected base64 of 32 random bytes, got ${key.length} bytes (make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

/** Parses "k2:<base64>,k1:<base64>" (first active). */
export function parseMasterKeyring(text: string, where = 'CONNECTOR_MASTER_KEYS'): MasterKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0)
    throw new VaultError('config', `${where}: expected "id:<base64>,id:<base64>", got an empty value`);
  return entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon <= 0)
      throw new VaultError(
        'config',
        `${where}: entry ${i + 1} must look like "<key id>:<base64 of 32 bytes>"`,
      );
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new VaultError(
        'config',
        `${where}: entry ${i + 1} key id must be 1–64 letters, digits, "-" or "_"`,
      );
    }
    return { id, key: parseMasterKey(entry.slice(colon + 1), `${where} (key "${id}")`) };
  });
}

export function masterKeysFromEnv(env: NodeJS.ProcessEnv): { keys: MasterKey[]; source: string } | null {
  const ring = env.CONNECTOR_MASTER_KEYS;
  if (ring !== undefined && ring.trim() !== '')
    return { keys: parseMasterKeyring(ring), source: 'CONNECTOR_MASTER_KEYS' };
  const single = env.CONNECTOR_MASTER_KEY;
  if (single === undefined) return null;
  const id = env.CONNECTOR_MASTER_KEY_ID?.trim() || DEFAULT_MASTER_KEY_ID;
  if (!KEY_ID_PATTERN.test(id)) {
    throw new VaultError('config', 'CONNECTOR_MASTER_KEY_ID: expected 1–64 letters, digits, "-" or "_"');
  }
  return {
    keys: [{ id, key: parseMasterKey(single, 'CONNECTOR_MASTER_KEY') }],
    source: 'CONNECTOR_MASTER_KEY',
  };
}
