import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvKeyProvider, masterKeysFromEnv, parseMasterKeyring } from './env-key-provider.js';
import { VaultError } from './vault-error.js';

const b64 = () => randomBytes(32).toString('base64');

function errorOf(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('EnvKeyProvider from the environment', () => {
  it('reads CONNECTOR_MASTER_KEY as key id "main", or the id CONNECTOR_MASTER_KEY_ID gives', () => {
    expect(EnvKeyProvider.fromEnv({ CONNECTOR_MASTER_KEY: b64() })!.activeKeyId).toBe('main');
    expect(
      EnvKeyProvider.fromEnv({ CONNECTOR_MASTER_KEY: b64(), CONNECTOR_MASTER_KEY_ID: '2026-q1' })!
        .activeKeyId,
    ).toBe('2026-q1');
    expect(EnvKeyProvider.fromEnv({})).toBeNull();
  });

  it('reads a keyring from CONNECTOR_MASTER_KEYS with the first key active', () => {
    const provider = EnvKeyProvider.fromEnv({
      CONNECTOR_MASTER_KEYS: `k2:${b64()}, k1:${b64()}`,
      CONNECTOR_MASTER_KEY: b64(),
    })!;
    expect(provider.activeKeyId).toBe('k2');
    expect(provider.keyIds).toEqual(['k2', 'k1']);
  });

  it('accepts base64url keys', () => {
    expect(
      EnvKeyProvider.fromEnv({ CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64url') }),
    ).not.toBeNull();
  });

  it.each([
    ['', /CONNECTOR_MASTER_KEY: expected base64 of 32 random bytes, got an empty value/],
    ['not base64!!', /CONNECTOR_MASTER_KEY: expected base64 of 32 random bytes, got text that is not base64/],
    [
      randomBytes(16).toString('base64'),
      /CONNECTOR_MASTER_KEY: expected base64 of 32 random bytes, got 16 bytes/,
    ],
  ])('names CONNECTOR_MASTER_KEY when it is malformed (%j)', (value, message) => {
    const error = errorOf(() => masterKeysFromEnv({ CONNECTOR_MASTER_KEY: value }));
    expect(error.code).toBe('config');
    expect(error.message).toMatch(message);
    if (value) expect(error.message).not.toContain(value);
  });

  it('names the keyring entry that is wrong', () => {
    expect(errorOf(() => parseMasterKeyring(`k2:${b64()},oops`)).message).toMatch(
      /CONNECTOR_MASTER_KEYS: entry 2 must look like/,
    );
    expect(errorOf(() => parseMasterKeyring(`k2:${b64()},k1:abc`)).message).toMatch(
      /CONNECTOR_MASTER_KEYS \(key "k1"\): expected base64 of 32/,
    );
    expect(errorOf(() => parseMasterKeyring(`bad.id:${b64()}`)).message).toMatch(/entry 1 key id/);
    expect(
      errorOf(
        () =>
          new EnvKeyProvider([
            { id: 'a', key: randomBytes(32) },
            { id: 'a', key: randomBytes(32) },
          ]),
      ).message,
    ).toMatch(/appears twice/);
  });

  it('binds the wrapped key to its key id', async () => {
    const key = randomBytes(32);
    const provider = new EnvKeyProvider([
      { id: 'k1', key },
      { id: 'k1b', key },
    ]);
    const { keyId, wrapped } = await provider.wrap(randomBytes(32));
    expect(keyId).toBe('k1');
    // Same key material under another id must still fail: the id is authenticated.
    await expect(provider.unwrap('k1b', wrapped)).rejects.toMatchObject({ code: 'unwrap-failed' });
  });
});
