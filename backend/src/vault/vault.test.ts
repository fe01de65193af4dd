import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvKeyProvider } from './env-key-provider.js';
import { Vault, type SealContext } from './vault.js';
import { VaultError } from './vault-error.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ctx: SealContext = { tenantId: 'acme', recordId: 'conn-ups-1', purpose: 'ups-credentials' };
const SECRET = JSON.stringify({ clientId: 'ups-client', clientSecret: 'very-secret-Value-12345' });

const vaultWith = (...keys: Array<[string, Buffer]>) =>
  new Vault(new EnvKeyProvider(keys.map(([id, key]) => ({ id, key }))));

async function expectVaultError(
  promise: Promise<unknown>,
  code: VaultError['code'],
  message: RegExp,
): Promise<VaultError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  const ve = error as VaultError;
  expect(ve.code).toBe(code);
  expect(ve.message).toMatch(message);
  expect(ve.message).not.toContain('very-secret');
  return ve;
}

/** Flips one bit in part `index` (0 = version … 5 = tag) of a sealed string. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0]! ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('Vault seal/open', () => {
  it('round-trips text and JSON', async () => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal(SECRET, ctx);
    expect(await vault.open(sealed, ctx)).toBe(SECRET);
    const sealedJson = await vault.sealJson({ a: 1, b: ['x'] }, ctx);
    expect(await vault.openJson(sealedJson, ctx)).toEqual({ a: 1, b: ['x'] });
    expect(await vault.open(await vault.seal('', ctx), ctx)).toBe('');
    expect(await vault.open(await vault.seal('ünïcødé ✓', ctx), ctx)).toBe('ünïcødé ✓');
  });

  it('writes a versioned, self-describing string with no plaintext in it', async () => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal(SECRET, ctx);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    for (const probe of ['very-secret-Value-12345', 'clientSecret', 'ups-client']) {
      expect(sealed).not.toContain(probe);
      expect(sealed).not.toContain(Buffer.from(probe).toString('base64url').slice(0, 12));
      expect(sealed).not.toContain(Buffer.from(probe).toString('base64').slice(0, 12));
    }
    expect(vault.keyIdOf(sealed)).toBe('k1');
  });

  it('uses a fresh data key and iv for every record', async () => {
    const vault = vaultWith(['k1', k1]);
    const a = (await vault.seal(SECRET, ctx)).split('.');
    const b = (await vault.seal(SECRET, ctx)).split('.');
    expect(a[2]).not.toBe(b[2]);
    expect(a[3]).not.toBe(b[3]);
    expect(a[4]).not.toBe(b[4]);
  });

  it.each([
    [2, 'wrapped data key', 'unwrap-failed'],
    [3, 'iv', 'decrypt-failed'],
    [4, 'ciphertext', 'decrypt-failed'],
    [5, 'tag', 'decrypt-failed'],
  ] as const)('detects one flipped bit in the %s-th part (%s)', async (index, _name, code) => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal(SECRET, ctx);
    await expectVaultError(
      vault.open(flipBit(sealed, index), ctx),
      code,
      /credential could not be decrypted: .*key id k1/,
    );
  });

  it('rejects a changed key id or version', async () => {
    const vault = vaultWith(['k1', k1], ['k0', k2]);
    const sealed = await vault.seal(SECRET, ctx);
    await expectVaultError(
      vault.open(sealed.replace(/^v1\.k1\./, 'v1.k0.'), ctx),
      'unwrap-failed',
      /wrong master key or tampered data \(key id k0\)/,
    );
    await expectVaultError(
      vault.open(sealed.replace(/^v1\./, 'v2.'), ctx),
      'malformed',
      /unknown format version "v2"/,
    );
    await expectVaultError(vault.open('plaintext-password', ctx), 'malformed', /unknown format/);
    await expectVaultError(
      vault.open(sealed.split('.').slice(0, 5).join('.'), ctx),
      'malformed',
      /6 dot-separated parts/,
    );
  });

  it('fails clearly with the wrong master key', async () => {
    const sealed = await vaultWith(['k1', k1]).seal(SECRET, ctx);
    await expectVaultError(
      vaultWith(['k1', k2]).open(sealed, ctx),
      'unwrap-failed',
      /^credential could not be decrypted: wrong master key or tampered data \(key id k1\)$/,
    );
  });

  it('fails clearly on an unknown key id', async () => {
    const sealed = await vaultWith(['old', k1]).seal(SECRET, ctx);
    const error = await expectVaultError(
      vaultWith(['k2', k2]).open(sealed, ctx),
      'unknown-key',
      /key id "old" is not in .* \(it has k2\)/,
    );
    expect(error.keyId).toBe('old');
  });

  it.each([
    ['another tenant', { ...ctx, tenantId: 'globex' }],
    ['another record', { ...ctx, recordId: 'conn-ups-2' }],
    ['another purpose', { ...ctx, purpose: 'fusion-credentials' }],
  ])('refuses a ciphertext copied to %s (AAD mismatch)', async (_what, other) => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal(SECRET, ctx);
    await expectVaultError(
      vault.open(sealed, other),
      'decrypt-failed',
      /altered or belongs to another record/,
    );
  });

  it('does not confuse contexts whose fields join to the same text', async () => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal(SECRET, { tenantId: 'a', recordId: 'b.c', purpose: 'p' });
    await expectVaultError(
      vault.open(sealed, { tenantId: 'a.b', recordId: 'c', purpose: 'p' }),
      'decrypt-failed',
      /another record/,
    );
  });

  it('openJson on a non-JSON secret fails without quoting it', async () => {
    const vault = vaultWith(['k1', k1]);
    const sealed = await vault.seal('very-secret-not-json', ctx);
    await expectVaultError(
      vault.openJson(sealed, ctx),
      'malformed',
      /^sealed credential does not hold JSON \(key id k1\)$/,
    );
  });

  it('requires a full context', async () => {
    const vault = vaultWith(['k1', k1]);
    await expectVaultError(vault.seal(SECRET, { ...ctx, recordId: '' }), 'malformed', /non-empty recordId/);
  });
});

describe('Vault rewrap (key rotation)', () => {
  it('moves the data key to the new KEK without touching the payload; opens with the new keyring', async () => {
    const before = vaultWith(['k1', k1]);
    const sealed = await before.seal(SECRET, ctx);
    const during = vaultWith(['k2', k2], ['k1', k1]);
    const rewrapped = await during.rewrap(sealed);
    expect(rewrapped.startsWith('v1.k2.')).toBe(true);
    expect(rewrapped.split('.').slice(3)).toEqual(sealed.split('.').slice(3));
    expect(rewrapped.split('.')[2]).not.toBe(sealed.split('.')[2]);
    const after = vaultWith(['k2', k2]);
    expect(await after.open(rewrapped, ctx)).toBe(SECRET);
    await expectVaultError(after.open(sealed, ctx), 'unknown-key', /key id "k1"/);
  });

  it('leaves values already under the active key unchanged', async () => {
    const vault = vaultWith(['k2', k2], ['k1', k1]);
    const sealed = await vault.seal(SECRET, ctx);
    expect(vault.isCurrent(sealed)).toBe(true);
    expect(await vault.rewrap(sealed)).toBe(sealed);
  });

  it('refuses to rewrap a tampered wrapped key', async () => {
    const sealed = await vaultWith(['k1', k1]).seal(SECRET, ctx);
    await expectVaultError(
      vaultWith(['k2', k2], ['k1', k1]).rewrap(flipBit(sealed, 2)),
      'unwrap-failed',
      /key id k1/,
    );
  });
});
