import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createKeyProvider } from './create-key-provider.js';
import { DEV_MASTER_KEY_FILE } from './dev-master-key.js';
import { OciVaultKeyProvider } from './oci-vault-key-provider.js';
import { Vault } from './vault.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-provider-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingLogger() {
  const lines: string[] = [];
  return { lines, warn: (message: string) => void lines.push(message) };
}

describe('createKeyProvider', () => {
  it('uses configured keys, active first', async () => {
    const provider = createKeyProvider(
      {
        provider: 'env',
        masterKeys: [
          { id: 'k2', key: randomBytes(32).toString('base64') },
          { id: 'k1', key: randomBytes(32).toString('base64') },
        ],
        allowDevKey: false,
      },
      { dataDir: tempDir(), logger: recordingLogger() },
    );
    expect(provider.activeKeyId).toBe('k2');
    const vault = new Vault(provider);
    const ctx = { tenantId: 't', recordId: 'r', purpose: 'p' };
    expect(await vault.open(await vault.seal('s', ctx), ctx)).toBe('s');
  });

  it('falls back to the development key only when allowed', () => {
    const dataDir = tempDir();
    const provider = createKeyProvider(
      { provider: 'env', masterKeys: [], allowDevKey: true },
      { dataDir, logger: recordingLogger() },
    );
    expect(provider.activeKeyId).toBe('dev');
    expect(readFileSync(join(dataDir, DEV_MASTER_KEY_FILE), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(() =>
      createKeyProvider(
        { provider: 'env', masterKeys: [], allowDevKey: false },
        { dataDir, logger: recordingLogger() },
      ),
    ).toThrow(/^CONNECTOR_MASTER_KEY: not set/);
  });
});

describe('createKeyProvider for OCI Vault, from the config', () => {
  const ociEnv = (extra: NodeJS.ProcessEnv) => ({
    CONNECTOR_VAULT_PROVIDER: 'oci-vault',
    CONNECTOR_OCI_VAULT_CRYPTO_ENDPOINT: 'https://abc-crypto.kms.eu-frankfurt-1.oraclecloud.com',
    CONNECTOR_OCI_VAULT_KEYS: 'k2:ocid1.key.oc1.eu-frankfurt-1.bbbb,k1:ocid1.key.oc1.eu-frankfurt-1.aaaa',
    ...extra,
  });

  it('builds an API-key signed provider from CONNECTOR_OCI_* settings', () => {
    const dir = tempDir();
    const keyFile = join(dir, 'oci_api_key.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const config = loadConfig({
      cwd: dir,
      env: ociEnv({
        CONNECTOR_OCI_AUTH: 'api-key',
        CONNECTOR_OCI_TENANCY_OCID: 'ocid1.tenancy.oc1..aaaa',
        CONNECTOR_OCI_USER_OCID: 'ocid1.user.oc1..bbbb',
        CONNECTOR_OCI_FINGERPRINT: '20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34',
        CONNECTOR_OCI_PRIVATE_KEY_FILE: keyFile,
      }),
    });
    const provider = createKeyProvider(config.vault, { dataDir: dir, logger: recordingLogger() });
    expect(provider).toBeInstanceOf(OciVaultKeyProvider);
    expect(provider.keyIds).toEqual(['k2', 'k1']);
  });

  it('stops at start, naming the setting, for instance principals and unreadable key files', () => {
    const dir = tempDir();
    const instance = loadConfig({ cwd: dir, env: ociEnv({ CONNECTOR_OCI_AUTH: 'instance-principal' }) });
    expect(() => createKeyProvider(instance.vault, { dataDir: dir, logger: recordingLogger() })).toThrow(
      /^CONNECTOR_OCI_AUTH: instance-principal signing is not implemented/,
    );
    const missing = loadConfig({
      cwd: dir,
      env: ociEnv({
        CONNECTOR_OCI_AUTH: 'api-key',
        CONNECTOR_OCI_TENANCY_OCID: 'ocid1.tenancy.oc1..aaaa',
        CONNECTOR_OCI_USER_OCID: 'ocid1.user.oc1..bbbb',
        CONNECTOR_OCI_FINGERPRINT: '20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34',
        CONNECTOR_OCI_PRIVATE_KEY_FILE: join(dir, 'nope.pem'),
      }),
    });
    expect(() => createKeyProvider(missing.vault, { dataDir: dir, logger: recordingLogger() })).toThrow(
      `CONNECTOR_OCI_PRIVATE_KEY_FILE: cannot read ${join(dir, 'nope.pem')}: ENOENT`,
    );
  });

  it('reports missing OCI settings as config errors naming the variables', () => {
    expect(() => loadConfig({ cwd: '/tmp', env: ociEnv({ CONNECTOR_OCI_AUTH: 'api-key' }) })).toThrow(
      /^vault\.auth\.tenancyOcid: required — expected a tenancy OCID \(ocid1\.tenancy\.…\) \(set CONNECTOR_OCI_TENANCY_OCID\)/,
    );
  });
});
