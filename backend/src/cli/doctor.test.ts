/**
 * doctor against the real sandboxes over loopback: every check passes with the demo credentials; a wrong
 * Fusion password, a wrong UPS secret and a wrong master key each show ✗ with a fix and a failing exit code.
 * formatDoctorReport is pure and snapshot-tested.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DFF, startFusionSandbox } from '../../../sandbox/src/fusion/index.js';
import { DEMO_CLIENT, startUpsSandbox } from '../../../sandbox/src/ups/index.js';
import { AuditLog } from '../audit/audit-log.js';
import { configSchema, type TenantConfig } from '../config/index.js';
import { tenantSchema } from '../config/schema-tenant.js';
import { sandboxTenant } from '../service/sandbox-tenant.js';
import { createTenantRuntime } from '../service/tenant-runtime.js';
import { saveTenant } from '../service/tenant-store.js';
import { openStorage, type Storage } from '../storage/index.js';
import { EnvKeyProvider } from '../vault/env-key-provider.js';
import { Vault } from '../vault/vault.js';
import { doctorExitCode, formatDoctorReport, runDoctor, type DoctorResult } from './doctor.js';

let fusion: Awaited<ReturnType<typeof startFusionSandbox>>;
let ups: Awaited<ReturnType<typeof startUpsSandbox>>;
let storage: Storage;
const key = randomBytes(32);
const vaultWith = (k: Buffer) =>
  new Vault(new EnvKeyProvider([{ id: 'main', key: k }], 'CONNECTOR_MASTER_KEY'));

const silentAudit = new AuditLog({ append: async () => {} });
const scheduler = configSchema.parse({}).scheduler;
const runtimeFor = (t: TenantConfig) =>
  createTenantRuntime(t, {
    audit: silentAudit,
    scheduler,
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 2 },
  });

function tenant(
  overrides: {
    id?: string;
    fusionPassword?: string;
    upsSecret?: string;
    writeBack?: { mode: 'asn' | 'flexfield' | 'attachment'; status?: 'auto' | 'none' };
  } = {},
): TenantConfig {
  const input = sandboxTenant({
    fusionBaseUrl: fusion.baseUrl,
    upsBaseUrl: ups.baseUrl,
    fusion: { username: 'sandbox.buyer', password: overrides.fusionPassword ?? 'sandbox-password' },
    ups: {
      clientId: DEMO_CLIENT.clientId,
      clientSecret: overrides.upsSecret ?? DEMO_CLIENT.clientSecret,
      shipperNumber: DEMO_CLIENT.shipperNumbers[0]!,
    },
    shipViaUpsSegment: DEFAULT_DFF.shipViaUpsSegment,
    trackingSegment: DEFAULT_DFF.trackingSegment,
    statusSegment: DEFAULT_DFF.statusSegment,
    costCenterSegment: 2,
  });
  const writeBack = overrides.writeBack ? { ...input.writeBack, ...overrides.writeBack } : input.writeBack;
  return tenantSchema.parse({ ...input, writeBack, id: overrides.id ?? 'acme' });
}

const failing = (r: DoctorResult) =>
  r.sections.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => ({ section: s.title, ...c })));

beforeAll(async () => {
  fusion = await startFusionSandbox({ poCount: 3, seed: 5 });
  ups = await startUpsSandbox({ seed: 5 });
  storage = await openStorage({ engine: 'pglite' });
  await storage.migrate();
  await saveTenant(storage, vaultWith(key), tenant());
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([fusion?.close(), ups?.close(), storage?.close()]);
});

describe('doctor against the sandboxes', () => {
  it('passes every check with the demo credentials, the database and the right master key', async () => {
    const result = await runDoctor({
      tenants: [tenant()],
      runtimeFor,
      storage,
      vault: { vault: vaultWith(key), stores: [storage.repos.connections] },
    });
    expect(failing(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(doctorExitCode(result)).toBe(0);
    const titles = result.sections.map((s) => s.title);
    expect(titles[0]).toMatch(/^database \(pglite/);
    expect(titles).toContain(`tenant acme · Fusion ${fusion.baseUrl} (basic)`);
    expect(titles).toContain(`tenant acme · UPS ${ups.baseUrl}`);
    const checks = result.sections.flatMap((s) => s.checks.map((c) => c.check));
    expect(checks).toEqual(
      expect.arrayContaining([
        'read purchase orders',
        'read item weights (itemsV2)',
        'read supplier site address',
        'read PO lifecycle shipments',
        'ASN create rights (receipt requests)',
        'UPS OAuth token',
        'UPS Rating',
        'UPS Tracking',
        'UPS Tracking by reference (in-doubt recovery)',
      ]),
    );
    const report = formatDoctorReport(result);
    expect(report).toMatch(/✓ read purchase orders: /);
    expect(report).toMatch(/✓ read item weights \(itemsV2\): /);
    expect(report).toMatch(/✓ read supplier site address: supplier site addresses are readable/);
    expect(report).toMatch(/✓ read PO lifecycle shipments: /);
    expect(report).toMatch(/✓ UPS Tracking by reference \(in-doubt recovery\): /);
    expect(report).not.toContain('✗');
    // A GET cannot prove the right to create an ASN or a change order: a warning with the fix, never ✓.
    expect(report).toMatch(
      /! ASN create rights \(receipt requests\): unverified: .+\n {6}fix: .*"Manage Receiving Receipt Requests"/,
    );
    expect(report).toMatch(
      /! change-order rights \(status flexfield\): unverified: .+\n {6}fix: .*"Change Purchase Order"/,
    );
    expect(report).not.toMatch(/✓ (ASN|change-order)/);
    expect(report.trimEnd().split('\n').at(-1)).toMatch(/^\d+ of \d+ checks passed, 2 unverified/);
  });

  it("runs only the write-back checks of the tenant's write-back", async () => {
    const fusionChecks = async (t: TenantConfig) => {
      const result = await runDoctor({ tenants: [t], runtimeFor });
      expect(failing(result)).toEqual([]);
      return result.sections
        .filter((s) => s.title.includes('Fusion'))
        .flatMap((s) =>
          s.checks.filter((c) => c.unverified || /lifecycle/.test(c.check)).map((c) => c.check),
        );
    };
    expect(await fusionChecks(tenant({ writeBack: { mode: 'flexfield' } }))).toEqual([
      'change-order rights (tracking flexfield, status flexfield)',
    ]);
    expect(await fusionChecks(tenant({ writeBack: { mode: 'asn', status: 'none' } }))).toEqual([
      'ASN create rights (receipt requests)',
      'read PO lifecycle shipments',
    ]);
  });

  it('shows ✗ with the fix for a wrong Fusion password and a wrong UPS secret, and fails the exit code', async () => {
    const result = await runDoctor({
      tenants: [tenant({ id: 'wrong', fusionPassword: 'not-the-password', upsSecret: 'not-the-secret' })],
      runtimeFor,
    });
    expect(result.ok).toBe(false);
    expect(doctorExitCode(result)).toBe(1);
    const bad = failing(result);
    const fusionFail = bad.find((c) => c.section.includes('Fusion') && c.check === 'read purchase orders');
    expect(fusionFail?.fix).toMatch(/user name and password/);
    const upsFail = bad.find((c) => c.section.includes('UPS') && c.check === 'UPS OAuth token');
    expect(upsFail?.fix).toMatch(/client id/);
    const report = formatDoctorReport(result);
    expect(report).toMatch(/✗ read purchase orders: .+\n {6}fix: Check the Fusion user name and password/);
    expect(report).toMatch(/✗ UPS OAuth token: .+\n {6}fix: /);
    expect(report).not.toContain('not-the-password');
    expect(report).not.toContain('not-the-secret');
    expect(report).toMatch(/\d+ of \d+ checks failed\n$/);
  });

  it('shows ✗ when the master key cannot unwrap the stored credentials', async () => {
    const result = await runDoctor({
      tenants: [],
      runtimeFor,
      vault: { vault: vaultWith(randomBytes(32)), stores: [storage.repos.connections] },
    });
    const vaultCheck = result.sections.find((s) => s.title.startsWith('vault'))?.checks[0];
    expect(vaultCheck).toMatchObject({ ok: false, fix: expect.stringMatching(/CONNECTOR_MASTER_KEY/) });
    expect(failing(result).map((c) => c.check)).toEqual(['stored credentials unwrap', 'configured']);
  });

  it('reports a tenant whose runtime cannot be built as a configuration failure', async () => {
    const result = await runDoctor({
      tenants: [tenant()],
      runtimeFor: () => {
        throw new Error('tenant Fusion jwt auth needs privateKey or privateKeyFile');
      },
    });
    expect(failing(result)).toEqual([
      expect.objectContaining({ section: 'tenant acme', check: 'configuration', fix: expect.any(String) }),
    ]);
  });
});

describe('formatDoctorReport', () => {
  it('prints ✓ / ✗ per check with fixes and hints, and a summary line', () => {
    expect(
      formatDoctorReport({
        ok: false,
        sections: [
          {
            title: 'database (postgres 127.0.0.1:5432/test)',
            checks: [
              { check: 'reachable', ok: true, detail: 'the database answered' },
              {
                check: 'schema',
                ok: false,
                detail: 'pending migrations: 002-x',
                fix: 'Run `npm run migrate`.',
              },
            ],
          },
          {
            title: 'tenant acme · Fusion https://pod.fa.us2.oraclecloud.com (oauth)',
            checks: [
              { check: 'token', ok: true, detail: 'obtained an OAuth access token (oauth)' },
              {
                check: 'read purchase orders',
                ok: true,
                detail: 'the request works but no purchase order is visible to this user',
                fix: 'Give the user procurement agent access.',
              },
              {
                check: 'ASN (receipt requests)',
                ok: false,
                detail: 'HTTP 403 Forbidden',
                fix: 'Grant the integration user a role with the privilege "Manage Receiving Receipt Requests".',
              },
            ],
          },
        ],
      }),
    ).toMatchSnapshot();
  });

  it('prints ! for an unverified check with its fix, counts it apart and keeps the exit code 0', () => {
    const result: DoctorResult = {
      ok: true,
      sections: [
        {
          title: 'x',
          checks: [
            { check: 'a', ok: true, detail: 'fine' },
            { check: 'b', ok: true, unverified: true, detail: 'unverified: read only', fix: 'Grant it.' },
          ],
        },
      ],
    };
    expect(formatDoctorReport(result)).toBe(
      'x\n  ✓ a: fine\n  ! b: unverified: read only\n      fix: Grant it.\n\n' +
        '1 of 2 checks passed, 1 unverified (see the fixes marked !)\n',
    );
    expect(doctorExitCode(result)).toBe(0);
  });

  it('ends with "all N checks passed" when nothing failed', () => {
    expect(
      formatDoctorReport({
        ok: true,
        sections: [{ title: 'x', checks: [{ check: 'a', ok: true, detail: 'fine' }] }],
      }),
    ).toBe('x\n  ✓ a: fine\n\nall 1 checks passed\n');
  });
});
