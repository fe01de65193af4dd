/**
 * Tenants at rest. A tenant's connection settings (Fusion pod, UPS app) are stored as one sealed blob per
 * connection, so no secret reaches the database in plaintext; the non-secret parts (base URLs, auth kind)
 * are stored in clear beside it for the admin screens. Rules and write-back settings are not secret and live
 * in the tenant's settings. The operator API token is kept only as a SHA-256 digest: it is verified, never
 * read back (it is long and random, so a plain digest is enough).
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { TenantConfig } from '../config/index.js';
import { tenantSchema } from '../config/schema-tenant.js';
import type { Storage } from '../storage/index.js';
import type { Vault } from '../vault/index.js';

const PURPOSE = 'connection-settings';

type NonSecretTenant = Omit<TenantConfig, 'fusion' | 'ups' | 'apiToken'>;

export interface StoredTenant {
  config: TenantConfig;
  /** Hex SHA-256 of the operator API token, when one is configured. */
  apiTokenSha256?: string;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function saveTenant(storage: Storage, vault: Vault, tenant: TenantConfig): Promise<void> {
  const { fusion, ups, apiToken, ...rest } = tenant;
  const settings: Record<string, unknown> = {
    ...rest,
    ...(apiToken ? { apiTokenSha256: tokenDigest(apiToken) } : {}),
  };
  await storage.repos.tenants.ensure({ id: tenant.id, name: tenant.name, settings });
  if (!tenant.active) await storage.repos.tenants.setActive(tenant.id, false);
  await saveConnection(storage, vault, tenant.id, 'fusion', fusion, {
    baseUrl: fusion.baseUrl,
    authKind: fusion.auth.kind,
  });
  await saveConnection(storage, vault, tenant.id, 'ups', ups, {
    baseUrl: ups.baseUrl,
    shipperNumbers: ups.shipperNumbers,
  });
}

async function saveConnection(
  storage: Storage,
  vault: Vault,
  tenantId: string,
  kind: 'fusion' | 'ups',
  secretSettings: unknown,
  clearSettings: Record<string, unknown>,
): Promise<void> {
  const context = (recordId: string) => ({ tenantId, recordId, purpose: PURPOSE });
  const existing = await storage.repos.connections.findByName(tenantId, kind);
  if (existing?.sealedCredentials) {
    // Unchanged settings are not sealed again: every start re-saves the configured tenants, and a re-seal
    // under a newly active key would lock out instances still running with the old keyring (rolling deploy).
    // A value that no longer opens (tampered, or sealed for another row) is replaced from the configuration.
    const current = await vault
      .openJson(existing.sealedCredentials, context(existing.id))
      .catch(() => undefined);
    if (
      current !== undefined &&
      sameJson(current, secretSettings) &&
      sameJson(existing.settings, clearSettings)
    ) {
      return;
    }
  }
  // One transaction: a reader (another instance) never sees the row without its ciphertext. A new row
  // exists before its ciphertext so the seal can be bound to the row id (AAD).
  await storage.transaction(async ({ repos }) => {
    const row =
      existing ??
      (await repos.connections.save({ tenantId, kind, sealedCredentials: null, settings: clearSettings }));
    const sealed = await vault.sealJson(secretSettings, context(row.id));
    await repos.connections.save({ tenantId, kind, sealedCredentials: sealed, settings: clearSettings });
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

/** The tenant's full configuration, secrets opened; null when the tenant is unknown or incomplete. */
export async function loadTenant(
  storage: Storage,
  vault: Vault,
  tenantId: string,
): Promise<StoredTenant | null> {
  const tenant = await storage.repos.tenants.get(tenantId);
  if (!tenant) return null;
  const open = async (kind: 'fusion' | 'ups') => {
    const conn = await storage.repos.connections.findByName(tenantId, kind);
    if (!conn?.sealedCredentials) return undefined;
    return vault.openJson(conn.sealedCredentials, { tenantId, recordId: conn.id, purpose: PURPOSE });
  };
  const [fusion, ups] = await Promise.all([open('fusion'), open('ups')]);
  if (!fusion || !ups) return null;
  const { apiTokenSha256, ...settings } = tenant.settings as Partial<NonSecretTenant> & {
    apiTokenSha256?: string;
  };
  // Re-validated on the way out: a row written by an older version still yields a typed, defaulted config.
  const config = tenantSchema.parse({ ...settings, id: tenantId, active: tenant.active, fusion, ups });
  return { config, ...(typeof apiTokenSha256 === 'string' ? { apiTokenSha256 } : {}) };
}
