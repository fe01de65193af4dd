import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, loadConfigDetailed, shouldStartSandboxes } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `config-${++fileCount}.${ext}`);
  writeFileSync(path, text);
  return path;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain('\n');
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const load = (env: NodeJS.ProcessEnv, extra: { argv?: string[]; configFile?: string } = {}) =>
  loadConfig({ env, cwd: dir, ...extra });

/** Tenants on real UPS with Track Alert need the address UPS posts to. */
const PUBLIC_URL = { CONNECTOR_PUBLIC_URL: 'https://connector.example.com' };

const TENANT_YAML = `
tenants:
  - id: acme
    fusion:
      baseUrl: https://acme.fa.us2.oraclecloud.com/
      auth:
        kind: oauth
        tokenUrl: https://idcs-123.identity.oraclecloud.com/oauth2/v1/token
        clientId: fusion-client
        clientSecret: fusion-secret-value
        scope: urn:opc:resource:fa:instanceid=123urn:opc:resource:consumer::all
    ups:
      clientId: ups-client
      clientSecret: ups-secret-value
      shipperNumbers: [A1B2C3, Z9Y8X7]
    accountMapping:
      costCenterSegment: 3
      rules:
        - id: default
          shipperNumber: A1B2C3
`;

describe('defaults', () => {
  it('start with PGlite under ./data, port 8080, a 60 s poll, env vault, no tenants, sandboxes on', () => {
    const config = load({});
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8080,
      bodyLimit: '1mb',
      shutdownGraceSeconds: 30,
    });
    expect(config.database).toEqual({ engine: 'pglite', dataDir: join(dir, 'data', 'pglite') });
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.vault).toEqual({ provider: 'env', masterKeys: [], allowDevKey: true });
    expect(config.scheduler.pollIntervalSeconds).toBe(60);
    expect(config.tenants).toEqual([]);
    expect(shouldStartSandboxes(config)).toBe(true);
  });
});

describe('environment', () => {
  it('parses typed values from strings', () => {
    const config = load({
      CONNECTOR_PORT: '9090',
      CONNECTOR_LOG_LEVEL: 'debug',
      CONNECTOR_POLL_INTERVAL_SECONDS: '30',
      CONNECTOR_PGLITE_DIR: '/var/lib/connector/pg',
      CONNECTOR_ALLOW_DEV_MASTER_KEY: 'false',
      CONNECTOR_SANDBOX: 'never',
    });
    expect(config.server.port).toBe(9090);
    expect(config.logging.level).toBe('debug');
    expect(config.scheduler.pollIntervalSeconds).toBe(30);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: '/var/lib/connector/pg' });
    expect(config.vault).toMatchObject({ allowDevKey: false });
    expect(shouldStartSandboxes(config)).toBe(false);
  });

  it('builds the postgres options the storage module takes (engine inferred from the URL)', () => {
    expect(
      load({ CONNECTOR_DATABASE_URL: 'postgres://app:pw@db:5432/connector', CONNECTOR_DB_POOL_SIZE: '20' })
        .database,
    ).toEqual({
      engine: 'postgres',
      url: 'postgres://app:pw@db:5432/connector',
      poolSize: 20,
    });
  });

  it('builds the oracle options from ORACLE_* only when the engine is oracle', () => {
    const oracleEnv = {
      ORACLE_USER: 'admin',
      ORACLE_PASSWORD: 'pw',
      ORACLE_CONNECT_STRING: 'adb_high',
      ORACLE_WALLET_DIR: '/wallet',
    };
    expect(load({ ...oracleEnv, CONNECTOR_DB_ENGINE: 'oracle' }).database).toEqual({
      engine: 'oracle',
      user: 'admin',
      password: 'pw',
      connectString: 'adb_high',
      walletDir: '/wallet',
    });
    // The Oracle test suite's variables must not break a PGlite start.
    expect(load(oracleEnv).database.engine).toBe('pglite');
  });

  it('reads a master key or a keyring (first active)', () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    expect(load({ CONNECTOR_MASTER_KEY: k1 }).vault).toMatchObject({ masterKeys: [{ id: 'main', key: k1 }] });
    expect(load({ CONNECTOR_MASTER_KEYS: `k2:${k2},k1:${k1}` }).vault).toMatchObject({
      masterKeys: [
        { id: 'k2', key: k2 },
        { id: 'k1', key: k1 },
      ],
    });
  });

  it('configures a whole tenant from variables', () => {
    const config = load({
      ...PUBLIC_URL,
      CONNECTOR_TENANT_ID: 'acme',
      CONNECTOR_FUSION_BASE_URL: 'https://acme.fa.us2.oraclecloud.com',
      CONNECTOR_FUSION_AUTH: 'basic',
      CONNECTOR_FUSION_USERNAME: 'integration.user',
      CONNECTOR_FUSION_PASSWORD: 'pw',
      CONNECTOR_UPS_CLIENT_ID: 'id',
      CONNECTOR_UPS_CLIENT_SECRET: 'secret',
      CONNECTOR_UPS_SHIPPER_NUMBERS: 'A1B2C3, Z9Y8X7',
      CONNECTOR_WRITE_BACK_MODE: 'attachment',
    });
    const [tenant] = config.tenants;
    expect(tenant).toMatchObject({
      id: 'acme',
      fusion: {
        baseUrl: 'https://acme.fa.us2.oraclecloud.com',
        restFrameworkVersion: 4,
        auth: { kind: 'basic', username: 'integration.user', password: 'pw' },
      },
      ups: { baseUrl: 'https://wwwcie.ups.com', clientId: 'id', shipperNumbers: ['A1B2C3', 'Z9Y8X7'] },
      writeBack: { mode: 'attachment' },
      selection: { rules: [{ id: 'carrier-ups', carrier: ['UPS'], action: 'ship' }], otherwise: 'ignore' },
    });
    expect(shouldStartSandboxes(config)).toBe(false);
  });

  it('warns about unknown CONNECTOR_ variables with a suggestion, and ignores test variables', () => {
    const { warnings } = loadConfigDetailed({
      env: { CONNECTOR_PROT: '1', CONNECTOR_TEST_POSTGRES_URL: 'x', HOME: '/root' },
      cwd: dir,
    });
    expect(warnings).toEqual([
      'CONNECTOR_PROT: not a setting this connector knows — did you mean CONNECTOR_PORT?; ignored',
    ]);
  });
});

describe('errors name the key and what was expected', () => {
  it.each([
    [{ CONNECTOR_PORT: '80a' }, 'CONNECTOR_PORT: expected an integer 1–65535, got "80a"'],
    [{ CONNECTOR_PORT: '70000' }, 'CONNECTOR_PORT: expected an integer 1–65535, got "70000"'],
    [
      { CONNECTOR_DB_ENGINE: 'mysql' },
      'CONNECTOR_DB_ENGINE: expected one of pglite, postgres, oracle, got "mysql"',
    ],
    [
      { CONNECTOR_LOG_LEVEL: 'loud' },
      'CONNECTOR_LOG_LEVEL: expected one of error, warn, info, http, verbose, debug, silly, got "loud"',
    ],
    [
      { CONNECTOR_POLL_INTERVAL_SECONDS: '1' },
      'CONNECTOR_POLL_INTERVAL_SECONDS: expected a whole number of seconds 5–86400, got "1"',
    ],
    [
      { CONNECTOR_SANDBOX: 'sometimes' },
      'CONNECTOR_SANDBOX: expected one of auto, always, never, got "sometimes"',
    ],
    [
      { CONNECTOR_ALLOW_DEV_MASTER_KEY: 'maybe' },
      'CONNECTOR_ALLOW_DEV_MASTER_KEY: expected true or false, got "maybe"',
    ],
    [
      { CONNECTOR_RENEWAL_CRON: 'hourly' },
      'CONNECTOR_RENEWAL_CRON: expected a five-field cron expression such as "*/30 * * * *", got "hourly"',
    ],
    [
      { CONNECTOR_DATABASE_URL: 'mysql://app:hunter2@db/x' },
      'CONNECTOR_DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://app:[REDACTED]@db/x"',
    ],
    [
      { CONNECTOR_DB_ENGINE: 'oracle' },
      'database.user: required — expected a non-empty string (set ORACLE_USER)',
    ],
  ])('%j', (env, expected) => {
    expect(problems(() => load(env))[0]).toBe(expected);
  });

  it('names CONNECTOR_MASTER_KEY and never echoes the key', () => {
    const bad = randomBytes(20).toString('base64');
    const [problem] = problems(() => load({ CONNECTOR_MASTER_KEY: bad }));
    expect(problem).toBe(
      'CONNECTOR_MASTER_KEY: expected base64 of 32 random bytes, got 20 bytes (make one with: openssl rand -base64 32)',
    );
    expect(problem).not.toContain(bad);
  });

  it('names the file and key path, with "did you mean" for typos', () => {
    const path = file(`
server:
  prot: 8080
databse:
  engine: pglite
tenants:
  - id: acme
    fusion:
      baseUrl: http://fusion.example.com
      auth: { kind: basic, username: u, pasword: p }
    ups: { clientId: a, clientSecret: b, shipperNumbers: [TOOLONG1] }
`);
    expect(problems(() => load({ CONNECTOR_CONFIG_FILE: path }))).toEqual([
      `${path}: server.prot: unknown key — did you mean "port"?`,
      `${path}: tenants[0].fusion.baseUrl: expected an https:// URL (http:// only for localhost), got "http://fusion.example.com"`,
      `${path}: tenants[0].fusion.auth.password: required — expected a non-empty string (set CONNECTOR_FUSION_PASSWORD)`,
      `${path}: tenants[0].fusion.auth.pasword: unknown key — did you mean "password"?`,
      `${path}: tenants[0].ups.shipperNumbers[0]: expected a 6-character UPS account (shipper) number, got "TOOLONG1"`,
      `${path}: databse: unknown key — did you mean "database"?`,
    ]);
  });

  it('lists the known keys when nothing is close', () => {
    const path = file('logging:\n  verbosity: high\n');
    expect(problems(() => load({}, { configFile: path }))).toEqual([
      `${path}: logging.verbosity: unknown key (known keys: level)`,
    ]);
  });

  it('hides secret values in file errors', () => {
    const path = file(
      TENANT_YAML.replace('clientSecret: ups-secret-value', 'clientSecret: [not, a, string]'),
    );
    const [problem] = problems(() => load({}, { configFile: path }));
    expect(problem).toBe(
      `${path}: tenants[0].ups.clientSecret: expected a non-empty string, got a value that is not shown (secret)`,
    );
  });

  it('reports cross-field rules', () => {
    const path = file(
      TENANT_YAML.replace('shipperNumber: A1B2C3', 'shipperNumber: Q1Q1Q1') +
        '    writeBack: { mode: flexfield }\n',
    );
    expect(problems(() => load(PUBLIC_URL, { configFile: path }))).toEqual([
      `${path}: tenants[0].writeBack.flexfield: required when mode is flexfield (trackingNumberSegment)`,
      `${path}: tenants[0].accountMapping.rules[0].shipperNumber: "Q1Q1Q1" is not in ups.shipperNumbers (A1B2C3, Z9Y8X7)`,
    ]);
    const dup = file(TENANT_YAML + TENANT_YAML.replace('tenants:\n', ''));
    expect(problems(() => load(PUBLIC_URL, { configFile: dup }))).toEqual([
      `${dup}: tenants[1].id: duplicate tenant id "acme" (also tenants[0])`,
    ]);
  });

  it('requires server.publicUrl for a tenant on real UPS with Track Alert, not on the local sandbox', () => {
    const path = file(TENANT_YAML);
    expect(problems(() => load({}, { configFile: path }))).toEqual([
      `${path}: server.publicUrl: required: tenant "acme" uses Track Alert (ups.trackAlert.enabled), and UPS posts tracking events to <server.publicUrl>/webhooks/ups/acme; set server.publicUrl or set tenants[0].ups.trackAlert.enabled to false`,
    ]);
    const off = file(
      TENANT_YAML.replace(
        'shipperNumbers: [A1B2C3, Z9Y8X7]',
        'shipperNumbers: [A1B2C3, Z9Y8X7]\n      trackAlert: { enabled: false }',
      ),
    );
    expect(load({}, { configFile: off }).tenants[0]!.ups.trackAlert.enabled).toBe(false);
    expect(
      load({ CONNECTOR_UPS_BASE_URL: 'http://127.0.0.1:9002' }, { configFile: path }).tenants,
    ).toHaveLength(1);
  });

  it('requires exactly one signing key for the Fusion JWT assertion', () => {
    const path = file(
      TENANT_YAML.replace('kind: oauth', 'kind: jwt').replace(
        '        scope:',
        '        username: integration.user\n        scope:',
      ),
    );
    expect(problems(() => load(PUBLIC_URL, { configFile: path }))).toEqual([
      `${path}: tenants[0].fusion.auth.privateKey: set exactly one of privateKey or privateKeyFile`,
    ]);
    expect(
      load({ ...PUBLIC_URL, CONNECTOR_FUSION_PRIVATE_KEY_FILE: '/keys/fusion.pem' }, { configFile: path })
        .tenants[0]!.fusion.auth,
    ).toMatchObject({
      kind: 'jwt',
      privateKeyFile: '/keys/fusion.pem',
    });
  });

  it('says which variable supplies a missing tenant setting', () => {
    expect(
      problems(() =>
        load({ CONNECTOR_FUSION_BASE_URL: 'https://x.example.com', CONNECTOR_FUSION_AUTH: 'basic' }),
      ),
    ).toEqual([
      'tenants[0].fusion.auth.username: required — expected a non-empty string (set CONNECTOR_FUSION_USERNAME)',
      'tenants[0].fusion.auth.password: required — expected a non-empty string (set CONNECTOR_FUSION_PASSWORD)',
      'tenants[0].ups.clientId: required — expected a non-empty string (set CONNECTOR_UPS_CLIENT_ID)',
      'tenants[0].ups.clientSecret: required — expected a non-empty string (set CONNECTOR_UPS_CLIENT_SECRET)',
    ]);
  });

  it('reports unreadable and malformed files with their path', () => {
    expect(problems(() => load({ CONNECTOR_CONFIG_FILE: join(dir, 'missing.yaml') }))).toEqual([
      `CONNECTOR_CONFIG_FILE: cannot read config file ${join(dir, 'missing.yaml')}: no such file`,
    ]);
    const broken = file('server:\n  port: [1,\n');
    expect(problems(() => load({}, { configFile: broken }))[0]).toMatch(
      new RegExp(`^${broken}: not valid YAML: .*\\(line \\d+, column \\d+\\)$`),
    );
    const list = file('- a\n- b\n');
    expect(problems(() => load({}, { configFile: list }))[0]).toBe(
      `${list}: expected a mapping of keys (server, database, tenants, …) at the top level`,
    );
    const badJson = file('{"tenants": [{"ups": {"clientSecret": "hunter2-secret"}', 'json');
    const [jsonProblem] = problems(() => load({}, { configFile: badJson }));
    expect(jsonProblem).toMatch(new RegExp(`^${badJson}: not valid JSON: .*\\(line \\d+, column \\d+\\)$`));
    expect(jsonProblem).not.toContain('hunter2');
    const json = file('{"server": {"port": "x"}}', 'json');
    expect(problems(() => load({}, { configFile: json }))[0]).toBe(
      `${json}: server.port: expected an integer 1–65535, got "x"`,
    );
  });
});

describe('file and environment together', () => {
  it('reads the file from --config, CONNECTOR_CONFIG_FILE, or the explicit option', () => {
    const a = file('server:\n  port: 1111\n');
    const b = file('server:\n  port: 2222\n');
    expect(load({ CONNECTOR_CONFIG_FILE: a }, { argv: ['start', '--config', b] }).server.port).toBe(2222);
    expect(load({ CONNECTOR_CONFIG_FILE: a }, { argv: [`--config=${b}`] }).server.port).toBe(2222);
    expect(load({ CONNECTOR_CONFIG_FILE: a }).server.port).toBe(1111);
    expect(problems(() => load({}, { argv: ['--config'] }))).toEqual([
      '--config: expected a file path after it',
    ]);
  });

  it('lets the environment override the file key by key, keeping the rest of the file', () => {
    const path = file(`${TENANT_YAML}
server:
  port: 7000
  host: 127.0.0.1
scheduler:
  pollIntervalSeconds: 120
  pollPageSize: 50
`);
    const config = load({
      ...PUBLIC_URL,
      CONNECTOR_CONFIG_FILE: path,
      CONNECTOR_PORT: '7001',
      CONNECTOR_UPS_CLIENT_SECRET: 'from-env',
    });
    expect(config.server).toMatchObject({ port: 7001, host: '127.0.0.1' });
    expect(config.scheduler).toMatchObject({ pollIntervalSeconds: 120, pollPageSize: 50 });
    expect(config.tenants).toHaveLength(1);
    expect(config.tenants[0]!.ups).toMatchObject({ clientId: 'ups-client', clientSecret: 'from-env' });
    expect(config.tenants[0]!.fusion.baseUrl).toBe('https://acme.fa.us2.oraclecloud.com');
  });

  it('adds an environment tenant next to the file tenants when CONNECTOR_TENANT_ID is new', () => {
    const path = file(TENANT_YAML);
    const config = load({
      ...PUBLIC_URL,
      CONNECTOR_CONFIG_FILE: path,
      CONNECTOR_TENANT_ID: 'globex',
      CONNECTOR_FUSION_BASE_URL: 'http://127.0.0.1:9001',
      CONNECTOR_FUSION_AUTH: 'basic',
      CONNECTOR_FUSION_USERNAME: 'u',
      CONNECTOR_FUSION_PASSWORD: 'p',
      CONNECTOR_UPS_BASE_URL: 'http://localhost:9002',
      CONNECTOR_UPS_CLIENT_ID: 'c',
      CONNECTOR_UPS_CLIENT_SECRET: 's',
    });
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
  });

  it("drops the file's database settings when a variable switches the engine", () => {
    const path = file('database:\n  engine: postgres\n  url: postgres://app:pw@db/x\n  poolSize: 5\n');
    expect(load({ CONNECTOR_CONFIG_FILE: path, CONNECTOR_DB_ENGINE: 'pglite' }).database).toEqual({
      engine: 'pglite',
      dataDir: join(dir, 'data', 'pglite'),
    });
    expect(load({ CONNECTOR_CONFIG_FILE: path, CONNECTOR_DB_POOL_SIZE: '9' }).database).toEqual({
      engine: 'postgres',
      url: 'postgres://app:pw@db/x',
      poolSize: 9,
    });
  });

  it('blames the variable, not the file, for a bad overriding value', () => {
    const path = file('server:\n  port: 7000\n');
    expect(problems(() => load({ CONNECTOR_CONFIG_FILE: path, CONNECTOR_PORT: 'x' }))).toEqual([
      'CONNECTOR_PORT: expected an integer 1–65535, got "x"',
    ]);
  });
});
