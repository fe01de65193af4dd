import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { MASK, formatEffectiveConfig, maskConfig } from './mask.js';

const masterKey = randomBytes(32).toString('base64');
const secrets = [
  'fusion-password-1',
  'ups-secret-2',
  'pg-password-3',
  'webhook-cred-4',
  'api-token-5-abcdefghijklmnopqrstuvwxyz',
];

const config = loadConfig({
  cwd: '/tmp',
  env: {
    CONNECTOR_DATABASE_URL: `postgres://app:${secrets[2]}@db.internal:5432/connector`,
    CONNECTOR_MASTER_KEY: masterKey,
    CONNECTOR_PUBLIC_URL: 'https://connector.example.com',
    CONNECTOR_FUSION_BASE_URL: 'https://acme.fa.us2.oraclecloud.com',
    CONNECTOR_FUSION_AUTH: 'basic',
    CONNECTOR_FUSION_USERNAME: 'integration.user',
    CONNECTOR_FUSION_PASSWORD: secrets[0],
    CONNECTOR_UPS_CLIENT_ID: 'ups-client-id',
    CONNECTOR_UPS_CLIENT_SECRET: secrets[1],
    CONNECTOR_UPS_WEBHOOK_CREDENTIAL: secrets[3],
    CONNECTOR_TENANT_API_TOKEN: secrets[4],
  },
});

describe('maskConfig / formatEffectiveConfig', () => {
  it('shows every key with secrets masked as set', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const masked = maskConfig(config) as any;
    expect(masked.vault.masterKeys).toEqual([{ id: 'main', key: MASK }]);
    expect(masked.database.url).toBe('postgres://app:****@db.internal:5432/connector');
    expect(masked.tenants[0].fusion.auth).toEqual({
      kind: 'basic',
      username: 'integration.user',
      password: MASK,
    });
    expect(masked.tenants[0].ups.clientId).toBe('ups-client-id');
    expect(masked.tenants[0].ups.clientSecret).toBe(MASK);
    expect(masked.tenants[0].ups.trackAlert.webhookCredential).toBe(MASK);
    expect(masked.tenants[0].apiToken).toBe(MASK);
    expect(masked.server.port).toBe(8080);
  });

  it('prints JSON with no secret in it, and leaves the config itself untouched', () => {
    const text = formatEffectiveConfig(config);
    expect(() => JSON.parse(text)).not.toThrow();
    for (const secret of [...secrets, masterKey]) expect(text).not.toContain(secret);
    expect(config.tenants[0]!.ups.clientSecret).toBe(secrets[1]);
  });

  it('masks oracle passwords', () => {
    const oracle = loadConfig({
      cwd: '/tmp',
      env: {
        CONNECTOR_DB_ENGINE: 'oracle',
        ORACLE_USER: 'admin',
        ORACLE_PASSWORD: 'ora-pw',
        ORACLE_CONNECT_STRING: 'adb_high',
        ORACLE_WALLET_PASSWORD: 'wallet-pw',
      },
    });
    expect(maskConfig(oracle)).toMatchObject({
      database: { user: 'admin', password: MASK, walletPassword: MASK, connectString: 'adb_high' },
    });
  });
});
