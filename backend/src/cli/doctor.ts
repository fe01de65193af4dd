/**
 * `doctor`: checks every configured connection and prints what works and what does not, with the fix —
 * how a user pings their real systems and sees whether the connector fits. Per tenant: the Fusion
 * connection (token, one harmless read per resource the pipeline reads, and the write-back checks of the
 * tenant's own write-back) and each UPS credential in use (one per merchant id: token, address validation,
 * rating, label recovery, tracking by number and by reference); plus the database and the vault when given.
 * Nothing here ships, writes or subscribes. A right a read cannot prove (creating an ASN, a change order)
 * is shown as unverified (!) with the fix: a warning that does not fail the exit code, never a ✓.
 */
import type { TenantConfig } from '../config/index.js';
import { statusMechanismOf } from '../config/schema-tenant.js';
import type { Storage } from '../storage/index.js';
import type { FusionClient } from '../fusion/fusion-client.js';
import type { UpsAccount } from '../pipeline/ports.js';
import type { UpsClient } from '../ups/ups-client.js';
import { checkStoredKeys, type SealedCredentialStore, type Vault } from '../vault/index.js';

export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Reachable, but the right itself is not proven: printed as a warning, not ✓, and not a failure. */
  unverified?: boolean;
}

export interface DoctorSection {
  /** e.g. "tenant acme · Fusion https://pod.fa.us2.oraclecloud.com". */
  title: string;
  checks: DoctorCheck[];
}

export interface DoctorResult {
  sections: DoctorSection[];
  ok: boolean;
}

/** What doctor needs of a tenant runtime (service/tenant-runtime.ts `createTenantRuntime` fits). */
export interface DoctorRuntime {
  fusionClient: Pick<FusionClient, 'diagnose'>;
  upsClientFor(account?: Partial<UpsAccount>): Pick<UpsClient, 'diagnose'>;
}

export interface DoctorDeps {
  tenants: TenantConfig[];
  runtimeFor(tenant: TenantConfig): DoctorRuntime | Promise<DoctorRuntime>;
  storage?: Pick<Storage, 'ping' | 'pendingMigrations' | 'engine' | 'target'>;
  vault?: { vault: Vault; stores: SealedCredentialStore[] };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function databaseSection(storage: NonNullable<DoctorDeps['storage']>): Promise<DoctorSection> {
  const checks: DoctorCheck[] = [];
  try {
    await storage.ping();
    checks.push({ check: 'reachable', ok: true, detail: 'the database answered' });
  } catch (e) {
    checks.push({
      check: 'reachable',
      ok: false,
      detail: message(e),
      fix: 'Check CONNECTOR_DB_ENGINE and CONNECTOR_DATABASE_URL (or ORACLE_*), and that the database is up and reachable from this host.',
    });
    return { title: `database (${storage.engine} ${storage.target})`, checks };
  }
  try {
    const pending = await storage.pendingMigrations();
    checks.push(
      pending.length === 0
        ? { check: 'schema', ok: true, detail: 'all migrations applied' }
        : {
            check: 'schema',
            ok: false,
            detail: `pending migrations: ${pending.join(', ')}`,
            fix: 'Run `npm run migrate` (or start the service, which migrates at start).',
          },
    );
  } catch (e) {
    checks.push({ check: 'schema', ok: false, detail: message(e) });
  }
  return { title: `database (${storage.engine} ${storage.target})`, checks };
}

async function vaultSection({ vault, stores }: NonNullable<DoctorDeps['vault']>): Promise<DoctorSection> {
  const title = `vault (${vault.keys.source})`;
  try {
    const report = await checkStoredKeys(vault, stores);
    const total = Object.values(report.byKeyId).reduce((a, b) => a + b, 0);
    const keys = Object.entries(report.byKeyId)
      .map(([id, n]) => `${n} under "${id}"`)
      .join(', ');
    const checks: DoctorCheck[] = [
      {
        check: 'stored credentials unwrap',
        ok: report.unreadable === 0,
        detail:
          total === 0
            ? 'no sealed credential stored yet'
            : `${total} sealed credential(s): ${keys}${report.unreadable ? `; ${report.unreadable} unreadable` : ''}`,
        ...(report.unreadable
          ? {
              fix: 'Some stored values are in no format this version reads; re-save the tenant configuration.',
            }
          : {}),
      },
    ];
    if (report.notOnActiveKey > 0)
      checks.push({
        check: 'active key',
        ok: true,
        detail: `${report.notOnActiveKey} credential(s) not yet under the active key "${vault.keys.activeKeyId}"`,
        fix: 'Run the key rotation so every credential is sealed under the active key.',
      });
    return { title, checks };
  } catch (e) {
    return {
      title,
      checks: [
        {
          check: 'stored credentials unwrap',
          ok: false,
          detail: message(e),
          fix: 'Set CONNECTOR_MASTER_KEY (or the OCI Vault key) to the key the credentials were sealed with.',
        },
      ],
    };
  }
}

/** The UPS credentials a tenant uses: the app's default merchant id and every rule's own one. */
function upsAccountsOf(tenant: TenantConfig): Array<{ merchantId?: string; shipperNumber?: string }> {
  const byMerchant = new Map<string, { merchantId?: string; shipperNumber?: string }>();
  const defaultShipper = tenant.ups.shipperNumbers[0];
  byMerchant.set(tenant.ups.merchantId ?? '', {
    ...(tenant.ups.merchantId ? { merchantId: tenant.ups.merchantId } : {}),
    ...(defaultShipper ? { shipperNumber: defaultShipper } : {}),
  });
  for (const rule of tenant.accountMapping.rules) {
    const merchantId = rule.merchantId ?? tenant.ups.merchantId;
    const known = byMerchant.get(merchantId ?? '');
    if (known && !known.shipperNumber) known.shipperNumber = rule.shipperNumber;
    if (!known)
      byMerchant.set(merchantId ?? '', {
        ...(merchantId ? { merchantId } : {}),
        shipperNumber: rule.shipperNumber,
      });
  }
  return [...byMerchant.values()];
}

async function tenantSections(tenant: TenantConfig, deps: DoctorDeps): Promise<DoctorSection[]> {
  const name = `tenant ${tenant.id}`;
  let runtime: DoctorRuntime;
  try {
    runtime = await deps.runtimeFor(tenant);
  } catch (e) {
    return [
      {
        title: name,
        checks: [
          {
            check: 'configuration',
            ok: false,
            detail: message(e),
            fix: 'Correct the tenant configuration (see backend/src/config/REFERENCE.md).',
          },
        ],
      },
    ];
  }
  const guard = async (fn: () => Promise<DoctorCheck[]>, what: string): Promise<DoctorCheck[]> => {
    try {
      return await fn();
    } catch (e) {
      return [{ check: what, ok: false, detail: message(e) }];
    }
  };
  const sections: DoctorSection[] = [
    {
      title: `${name} · Fusion ${tenant.fusion.baseUrl} (${tenant.fusion.auth.kind})`,
      checks: await guard(
        () =>
          runtime.fusionClient.diagnose({
            tracking: tenant.writeBack.mode,
            status: statusMechanismOf(tenant.writeBack),
          }),
        'Fusion',
      ),
    },
  ];
  for (const account of upsAccountsOf(tenant)) {
    const merchant = account.merchantId ? ` merchant ${account.merchantId}` : '';
    sections.push({
      title: `${name} · UPS ${tenant.ups.baseUrl}${merchant}`,
      checks: await guard(
        () =>
          runtime
            .upsClientFor(account.merchantId ? { merchantId: account.merchantId } : undefined)
            .diagnose(account.shipperNumber ? { shipperNumber: account.shipperNumber } : {}),
        'UPS',
      ),
    });
  }
  return sections;
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorResult> {
  const sections: DoctorSection[] = [];
  if (deps.storage) sections.push(await databaseSection(deps.storage));
  if (deps.vault) sections.push(await vaultSection(deps.vault));
  if (deps.tenants.length === 0)
    sections.push({
      title: 'tenants',
      checks: [
        {
          check: 'configured',
          ok: false,
          detail: 'no tenant is configured',
          fix: 'Add a tenant under `tenants:` in the config file (see backend/src/config/example.yaml).',
        },
      ],
    });
  for (const tenant of deps.tenants) sections.push(...(await tenantSections(tenant, deps)));
  return { sections, ok: sections.every((s) => s.checks.every((c) => c.ok)) };
}

/** The printable report: one line per check (✓ / ! unverified / ✗, what, detail), its fix indented below. */
export function formatDoctorReport(result: DoctorResult): string {
  const lines: string[] = [];
  let failed = 0;
  let unverified = 0;
  let total = 0;
  for (const section of result.sections) {
    lines.push(section.title);
    for (const c of section.checks) {
      total += 1;
      if (!c.ok) failed += 1;
      else if (c.unverified) unverified += 1;
      const mark = !c.ok ? '✗' : c.unverified ? '!' : '✓';
      lines.push(`  ${mark} ${c.check}: ${c.detail}`);
      if (c.fix) lines.push(`      ${c.ok && !c.unverified ? 'hint' : 'fix'}: ${c.fix}`);
    }
    lines.push('');
  }
  const warned = unverified ? `, ${unverified} unverified (see the fixes marked !)` : '';
  lines.push(
    failed === 0
      ? unverified === 0
        ? `all ${total} checks passed`
        : `${total - unverified} of ${total} checks passed${warned}`
      : `${failed} of ${total} checks failed${warned}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Process exit code: 0 when no check failed (unverified ones are warnings), 1 otherwise. */
export const doctorExitCode = (result: DoctorResult): number => (result.ok ? 0 : 1);
