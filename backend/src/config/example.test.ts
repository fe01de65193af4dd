import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StorageOptions } from '../storage/engines.js';
import type { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { formatEffectiveConfig } from './mask.js';
import type { DatabaseOptions } from './schema.js';

const example = fileURLToPath(new URL('./example.yaml', import.meta.url));
const secrets = {
  CONNECTOR_DATABASE_URL: 'postgres://connector:db-password-1@db.internal:5432/connector',
  CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
  CONNECTOR_FUSION_CLIENT_SECRET: 'fusion-secret-2',
  CONNECTOR_UPS_CLIENT_SECRET: 'ups-secret-3',
};

describe('example.yaml', () => {
  it('is a valid configuration once its secrets come from the environment', () => {
    const config = loadConfig({ configFile: example, env: secrets, cwd: '/srv/connector' });
    expect(config.database).toEqual({
      engine: 'postgres',
      url: secrets.CONNECTOR_DATABASE_URL,
      poolSize: 10,
    });
    expect(config.tenants[0]!.fusion.auth).toMatchObject({ kind: 'oauth', clientSecret: 'fusion-secret-2' });
    expect(config.tenants[0]!.accountMapping.rules.map((r) => r.id)).toEqual([
      'it-department',
      'warehouse-returns',
      'default',
    ]);
    const printed = formatEffectiveConfig(config);
    for (const secret of Object.values(secrets)) expect(printed).not.toContain(secret);
  });

  it('names the missing secrets when the environment does not supply them', () => {
    let problems: string[] = [];
    try {
      loadConfig({ configFile: example, env: {}, cwd: '/srv/connector' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      `${example}: database.url: required — expected a postgres:// or postgresql:// URL (set CONNECTOR_DATABASE_URL)`,
      `${example}: tenants[0].fusion.auth.clientSecret: required — expected a non-empty string (set CONNECTOR_FUSION_CLIENT_SECRET)`,
      `${example}: tenants[0].ups.clientSecret: required — expected a non-empty string (set CONNECTOR_UPS_CLIENT_SECRET)`,
    ]);
  });

  it('produces exactly the options object the storage module takes', () => {
    // Compile-time check: if either side changes shape, typecheck fails here.
    const toStorage = (d: DatabaseOptions): StorageOptions => d;
    const fromStorage = (s: StorageOptions): DatabaseOptions => s;
    const config = loadConfig({ configFile: example, env: secrets, cwd: '/srv/connector' });
    expect(fromStorage(toStorage(config.database))).toBe(config.database);
  });
});
