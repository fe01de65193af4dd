/**
 * Environment variables → config keys, in one table (also printed in REFERENCE.md). Values are handed to
 * the schema as strings; the schema parses numbers, booleans and lists.
 *
 * Tenant variables (CONNECTOR_FUSION_*, CONNECTOR_UPS_*, …) configure one tenant without a file: the tenant
 * with id CONNECTOR_TENANT_ID (default: the file's only tenant, else "default") is created or overridden.
 */
import { masterKeysFromEnv } from '../vault/env-key-provider.js';
import { VaultError } from '../vault/vault-error.js';
import { ConfigError } from './config-error.js';
import { formatPath, type PathSegment } from './schema-walk.js';

export interface EnvBinding {
  env: string;
  /** Path in the config, or under the env tenant when `tenant` is true. */
  path: PathSegment[];
  tenant?: boolean;
  /** Only applied when the database engine is this one (ORACLE_* are also read by the Oracle test suite). */
  engine?: 'postgres' | 'oracle';
  /** Only applied with this vault provider. */
  provider?: 'env' | 'oci-vault';
}

export const ENV_BINDINGS: EnvBinding[] = [
  { env: 'CONNECTOR_DATA_DIR', path: ['dataDir'] },
  { env: 'CONNECTOR_HOST', path: ['server', 'host'] },
  { env: 'CONNECTOR_PORT', path: ['server', 'port'] },
  { env: 'CONNECTOR_BODY_LIMIT', path: ['server', 'bodyLimit'] },
  { env: 'CONNECTOR_PUBLIC_URL', path: ['server', 'publicUrl'] },
  { env: 'CONNECTOR_SHUTDOWN_GRACE_SECONDS', path: ['server', 'shutdownGraceSeconds'] },
  { env: 'CONNECTOR_DB_ENGINE', path: ['database', 'engine'] },
  { env: 'CONNECTOR_PGLITE_DIR', path: ['database', 'dataDir'] },
  { env: 'CONNECTOR_DATABASE_URL', path: ['database', 'url'], engine: 'postgres' },
  { env: 'CONNECTOR_DB_SCHEMA', path: ['database', 'schema'], engine: 'postgres' },
  { env: 'CONNECTOR_DB_POOL_SIZE', path: ['database', 'poolSize'], engine: 'postgres' },
  { env: 'ORACLE_USER', path: ['database', 'user'], engine: 'oracle' },
  { env: 'ORACLE_PASSWORD', path: ['database', 'password'], engine: 'oracle' },
  { env: 'ORACLE_CONNECT_STRING', path: ['database', 'connectString'], engine: 'oracle' },
  { env: 'ORACLE_WALLET_DIR', path: ['database', 'walletDir'], engine: 'oracle' },
  { env: 'ORACLE_WALLET_PASSWORD', path: ['database', 'walletPassword'], engine: 'oracle' },
  { env: 'CONNECTOR_DB_POOL_MAX', path: ['database', 'poolMax'], engine: 'oracle' },
  { env: 'CONNECTOR_VAULT_PROVIDER', path: ['vault', 'provider'] },
  { env: 'CONNECTOR_ALLOW_DEV_MASTER_KEY', path: ['vault', 'allowDevKey'], provider: 'env' },
  { env: 'CONNECTOR_OCI_VAULT_CRYPTO_ENDPOINT', path: ['vault', 'cryptoEndpoint'], provider: 'oci-vault' },
  { env: 'CONNECTOR_OCI_AUTH', path: ['vault', 'auth', 'kind'], provider: 'oci-vault' },
  { env: 'CONNECTOR_OCI_TENANCY_OCID', path: ['vault', 'auth', 'tenancyOcid'], provider: 'oci-vault' },
  { env: 'CONNECTOR_OCI_USER_OCID', path: ['vault', 'auth', 'userOcid'], provider: 'oci-vault' },
  { env: 'CONNECTOR_OCI_FINGERPRINT', path: ['vault', 'auth', 'fingerprint'], provider: 'oci-vault' },
  { env: 'CONNECTOR_OCI_PRIVATE_KEY_FILE', path: ['vault', 'auth', 'privateKeyFile'], provider: 'oci-vault' },
  {
    env: 'CONNECTOR_OCI_PRIVATE_KEY_PASSPHRASE',
    path: ['vault', 'auth', 'passphrase'],
    provider: 'oci-vault',
  },
  { env: 'CONNECTOR_LOG_LEVEL', path: ['logging', 'level'] },
  { env: 'CONNECTOR_POLL_INTERVAL_SECONDS', path: ['scheduler', 'pollIntervalSeconds'] },
  { env: 'CONNECTOR_POLL_OVERLAP_SECONDS', path: ['scheduler', 'pollOverlapSeconds'] },
  { env: 'CONNECTOR_POLL_PAGE_SIZE', path: ['scheduler', 'pollPageSize'] },
  { env: 'CONNECTOR_RENEWAL_CRON', path: ['scheduler', 'renewalCron'] },
  { env: 'CONNECTOR_RENEW_BEFORE_HOURS', path: ['scheduler', 'renewBeforeHours'] },
  { env: 'CONNECTOR_QUANTUM_VIEW_INTERVAL_SECONDS', path: ['scheduler', 'quantumViewIntervalSeconds'] },
  { env: 'CONNECTOR_LEASE_SECONDS', path: ['scheduler', 'leaseSeconds'] },
  { env: 'CONNECTOR_INSTANCE_ID', path: ['scheduler', 'instanceId'] },
  { env: 'CONNECTOR_INITIAL_LOOKBACK_DAYS', path: ['scheduler', 'initialLookbackDays'] },
  { env: 'CONNECTOR_SANDBOX', path: ['sandbox', 'mode'] },
  { env: 'CONNECTOR_SANDBOX_HOST', path: ['sandbox', 'host'] },
  { env: 'CONNECTOR_TENANT_NAME', path: ['name'], tenant: true },
  { env: 'CONNECTOR_TENANT_API_TOKEN', path: ['apiToken'], tenant: true },
  { env: 'CONNECTOR_FUSION_BASE_URL', path: ['fusion', 'baseUrl'], tenant: true },
  { env: 'CONNECTOR_FUSION_REST_FRAMEWORK_VERSION', path: ['fusion', 'restFrameworkVersion'], tenant: true },
  { env: 'CONNECTOR_FUSION_AUTH', path: ['fusion', 'auth', 'kind'], tenant: true },
  { env: 'CONNECTOR_FUSION_USERNAME', path: ['fusion', 'auth', 'username'], tenant: true },
  { env: 'CONNECTOR_FUSION_PASSWORD', path: ['fusion', 'auth', 'password'], tenant: true },
  { env: 'CONNECTOR_FUSION_TOKEN_URL', path: ['fusion', 'auth', 'tokenUrl'], tenant: true },
  { env: 'CONNECTOR_FUSION_CLIENT_ID', path: ['fusion', 'auth', 'clientId'], tenant: true },
  { env: 'CONNECTOR_FUSION_CLIENT_SECRET', path: ['fusion', 'auth', 'clientSecret'], tenant: true },
  { env: 'CONNECTOR_FUSION_SCOPE', path: ['fusion', 'auth', 'scope'], tenant: true },
  { env: 'CONNECTOR_FUSION_PRIVATE_KEY_FILE', path: ['fusion', 'auth', 'privateKeyFile'], tenant: true },
  { env: 'CONNECTOR_UPS_BASE_URL', path: ['ups', 'baseUrl'], tenant: true },
  { env: 'CONNECTOR_UPS_CLIENT_ID', path: ['ups', 'clientId'], tenant: true },
  { env: 'CONNECTOR_UPS_CLIENT_SECRET', path: ['ups', 'clientSecret'], tenant: true },
  { env: 'CONNECTOR_UPS_MERCHANT_ID', path: ['ups', 'merchantId'], tenant: true },
  { env: 'CONNECTOR_UPS_SHIPPER_NUMBERS', path: ['ups', 'shipperNumbers'], tenant: true },
  { env: 'CONNECTOR_UPS_WEBHOOK_CREDENTIAL', path: ['ups', 'trackAlert', 'webhookCredential'], tenant: true },
  { env: 'CONNECTOR_WRITE_BACK_MODE', path: ['writeBack', 'mode'], tenant: true },
];

/** Read elsewhere, not config keys: never reported as unknown. */
const OTHER_KNOWN = [
  'CONNECTOR_CONFIG_FILE',
  'CONNECTOR_TENANT_ID',
  'CONNECTOR_MASTER_KEY',
  'CONNECTOR_MASTER_KEY_ID',
  'CONNECTOR_MASTER_KEYS',
  'CONNECTOR_OCI_VAULT_KEYS',
];
const OTHER_PREFIXES = ['CONNECTOR_TEST_'];

export const KNOWN_ENV_NAMES: readonly string[] = [...ENV_BINDINGS.map((b) => b.env), ...OTHER_KNOWN];

export function isKnownEnvName(name: string): boolean {
  return KNOWN_ENV_NAMES.includes(name) || OTHER_PREFIXES.some((p) => name.startsWith(p));
}

export type Sources = Map<string, string>;

/** Source marker of a tenant created from CONNECTOR_* variables (not from the file). */
export const ENV_TENANT = 'environment tenant';
/** Sources key (not a config path) holding the index of the tenant that tenant variables apply to. */
export const ENV_TENANT_INDEX = '#envTenantIndex';

type Obj = Record<string | number, unknown>;

function setAt(target: Obj, path: readonly PathSegment[], value: unknown): void {
  let node = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Obj;
  });
}

/**
 * Overlays environment values onto `base` (the parsed file, already deep-copied) and records in `sources`
 * which variable set each path.
 */
export function applyEnv(base: Obj, env: NodeJS.ProcessEnv, sources: Sources): void {
  const fileEngine = stringField(base.database, 'engine');
  const engine =
    env.CONNECTOR_DB_ENGINE || fileEngine || (env.CONNECTOR_DATABASE_URL ? 'postgres' : 'pglite');
  if (env.CONNECTOR_DATABASE_URL && !env.CONNECTOR_DB_ENGINE && !fileEngine) {
    setAt(base, ['database', 'engine'], 'postgres');
    sources.set('database.engine', 'CONNECTOR_DATABASE_URL');
  }
  const provider = env.CONNECTOR_VAULT_PROVIDER || stringField(base.vault, 'provider') || 'env';
  // Switching engine or provider by variable leaves the file's settings for the other one behind:
  // they belong to a different shape and would otherwise read as unknown keys.
  replaceSectionOnSwitch(base, 'database', 'engine', env.CONNECTOR_DB_ENGINE, fileEngine, sources);
  replaceSectionOnSwitch(
    base,
    'vault',
    'provider',
    env.CONNECTOR_VAULT_PROVIDER,
    stringField(base.vault, 'provider'),
    sources,
  );

  const wantsTenant =
    ENV_BINDINGS.some((b) => b.tenant && present(env[b.env])) || present(env.CONNECTOR_TENANT_ID);
  // A file whose `tenants` is not a list is reported by the schema; tenant variables are not applied then.
  let tenantIndex = -1;
  if (Array.isArray(base.tenants) && !wantsTenant) {
    // Remembered for error hints: a secret missing from the file can come from a tenant variable.
    const onlyId = base.tenants.length === 1 ? stringField(base.tenants[0], 'id') : undefined;
    if (onlyId) sources.set(ENV_TENANT_INDEX, '0');
  }
  if (wantsTenant && (base.tenants === undefined || Array.isArray(base.tenants))) {
    const tenants = (base.tenants as unknown[] | undefined) ?? [];
    base.tenants = tenants;
    const onlyId = tenants.length === 1 ? stringField(tenants[0], 'id') : undefined;
    const id = env.CONNECTOR_TENANT_ID?.trim() || onlyId || 'default';
    tenantIndex = tenants.findIndex((t) => stringField(t, 'id') === id);
    if (tenantIndex < 0) {
      tenantIndex = tenants.length;
      // Empty sections so a missing setting is reported key by key, each with the variable that sets it.
      tenants.push({ id, fusion: { auth: {} }, ups: {} });
      sources.set(formatPath(['tenants', tenantIndex]), ENV_TENANT);
      if (present(env.CONNECTOR_TENANT_ID))
        sources.set(formatPath(['tenants', tenantIndex, 'id']), 'CONNECTOR_TENANT_ID');
    }
    sources.set(ENV_TENANT_INDEX, String(tenantIndex));
  }

  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.env];
    if (!present(raw)) continue;
    if (binding.tenant && tenantIndex < 0) continue;
    if (binding.engine && binding.engine !== engine) continue;
    if (binding.provider && binding.provider !== provider) continue;
    const path = binding.tenant ? ['tenants', tenantIndex, ...binding.path] : binding.path;
    setAt(base, path, raw);
    sources.set(formatPath(path), binding.env);
  }

  if (provider === 'env') applyMasterKeys(base, env, sources);
  if (provider === 'oci-vault') applyOciKeys(base, env, sources);

  // A section given only in part (say CONNECTOR_PGLITE_DIR alone) still needs its discriminator.
  fillDiscriminator(base.database, 'engine', engine);
  fillDiscriminator(base.vault, 'provider', provider);
}

function replaceSectionOnSwitch(
  base: Obj,
  section: string,
  key: string,
  fromEnv: string | undefined,
  fromFile: string | undefined,
  sources: Sources,
): void {
  if (!fromEnv || !fromFile || fromEnv === fromFile) return;
  base[section] = { [key]: fromEnv };
  for (const path of [...sources.keys()])
    if (path === section || path.startsWith(`${section}.`)) sources.delete(path);
}

function fillDiscriminator(section: unknown, key: string, value: string): void {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return;
  const obj = section as Obj;
  if (obj[key] === undefined) obj[key] = value;
}

function stringField(node: unknown, key: string): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const value = (node as Obj)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function applyMasterKeys(base: Obj, env: NodeJS.ProcessEnv, sources: Sources): void {
  let parsed: ReturnType<typeof masterKeysFromEnv>;
  try {
    parsed = masterKeysFromEnv(env);
  } catch (error) {
    // The vault's parser names the variable and never echoes the key.
    if (error instanceof VaultError) throw new ConfigError([error.message]);
    throw error;
  }
  if (!parsed) return;
  setAt(
    base,
    ['vault', 'masterKeys'],
    parsed.keys.map((k) => ({ id: k.id, key: k.key.toString('base64') })),
  );
  sources.set('vault.masterKeys', parsed.source);
}

/** CONNECTOR_OCI_VAULT_KEYS="alias:ocid1.key…,alias2:ocid1.key…" (first active). */
function applyOciKeys(base: Obj, env: NodeJS.ProcessEnv, sources: Sources): void {
  const raw = env.CONNECTOR_OCI_VAULT_KEYS;
  if (!present(raw)) return;
  const keys = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      return colon > 0
        ? { id: entry.slice(0, colon).trim(), keyOcid: entry.slice(colon + 1).trim() }
        : { id: '', keyOcid: entry };
    });
  setAt(base, ['vault', 'keys'], keys);
  sources.set('vault.keys', 'CONNECTOR_OCI_VAULT_KEYS');
}
