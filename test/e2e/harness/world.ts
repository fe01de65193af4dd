/**
 * The world an acceptance test runs the connector against: the Fusion and UPS sandboxes on loopback (one
 * shared clock), each behind a recording proxy, plus the scenario-API reads the assertions need and the
 * connector configuration file that points a tenant at them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  COST_CENTER_SEGMENT_INDEX,
  DEFAULT_DFF,
  DEMO_CLIENT,
  SandboxClock,
  startFusionSandbox,
  startUpsSandbox,
} from '../../../sandbox/src/index.js';
import { sandboxTenant } from '../../../backend/src/service/sandbox-tenant.js';
import type { DatabaseConfig } from './database.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

/** One row of GET /_sandbox/fusion/purchase-orders. */
export interface FusionSummary {
  POHeaderId: number;
  OrderNumber: string;
  StatusCode: string;
  FrozenFlag: boolean | string | null;
  shipViaUps: string | null;
  headerCarrier: string | null;
  scheduleCarriers: string[];
  shipToLocationCodes: string[];
  shipToVerdict: string;
  supplierSiteVerdict: string;
  trackingNumber: string | null;
  shipmentStatus: string | null;
  /** Titles of the PO's approved attachments, oldest first. */
  attachmentTitles: string[];
  lifecycleShipments: number;
  pendingChangeOrder: string | null;
}

/** GET /_sandbox/ups/ledger. */
export interface Ledger {
  liveLabels: number;
  liveShipments: number;
  shipments: {
    shipmentIdentificationNumber: string;
    serviceCode: string;
    customerContext?: string;
    voidedAt?: string;
    packages: { trackingNumber: string; references: string[]; voidedAtMs?: number }[];
  }[];
}

export interface FusionWriteBack {
  kind: string;
  poHeaderId?: number | string;
  [key: string]: unknown;
}

const isUps = (c: string | null | undefined) => !!c && /(^|[^A-Za-z])UPS([^A-Za-z]|$)/i.test(c);
/** What the tenant's selection rules pick: flexfield shipViaUps = Y, or carrier UPS on header or schedule. */
export const selectedByRules = (p: FusionSummary) =>
  p.StatusCode === 'OPEN' &&
  (p.shipViaUps === 'Y' || isUps(p.headerCarrier) || p.scheduleCarriers.some(isUps));
export const isFrozen = (p: FusionSummary) =>
  p.FrozenFlag === true || p.FrozenFlag === 'Y' || p.FrozenFlag === 'true';

export interface WorldOptions {
  seed: number;
  poCount: number;
  /** Fusion IAM token lifetime (OAuth tenants). */
  fusionTokenTtlSeconds?: number;
  upsTokenTtlSeconds?: number;
}

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld(options: WorldOptions) {
  const clock = new SandboxClock();
  const ups = await startUpsSandbox({
    port: 0,
    clock,
    seed: options.seed,
    ...(options.upsTokenTtlSeconds ? { tokenTtlSeconds: options.upsTokenTtlSeconds } : {}),
  });
  const fusion = await startFusionSandbox({
    port: 0,
    clock,
    seed: options.seed,
    poCount: options.poCount,
    ...(options.fusionTokenTtlSeconds ? { tokenTtlSeconds: options.fusionTokenTtlSeconds } : {}),
  });
  const upsProxy: RecordingProxy = await startRecordingProxy(ups.baseUrl);
  const fusionProxy: RecordingProxy = await startRecordingProxy(fusion.baseUrl);
  const dir = mkdtempSync(path.join(tmpdir(), 'fusion-ups-e2e-'));

  const getJson = async <T>(url: string): Promise<T> => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const send = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? (JSON.parse(text) as unknown) : null;
  };
  const upsScenario = `${ups.baseUrl}/_sandbox/ups`;
  const fusionScenario = `${fusion.baseUrl}/_sandbox/fusion`;

  return {
    clock,
    ups,
    fusion,
    upsProxy,
    fusionProxy,
    dir,
    fusionSummary: () => getJson<FusionSummary[]>(`${fusionScenario}/purchase-orders`),
    ledger: (reference?: string) =>
      getJson<Ledger>(
        `${upsScenario}/ledger${reference ? `?reference=${encodeURIComponent(reference)}` : ''}`,
      ),
    writeBacks: (query: { kind?: string; poHeaderId?: number | string } = {}) => {
      const q = new URLSearchParams(
        Object.entries(query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      );
      return getJson<FusionWriteBack[] | { writeBacks: FusionWriteBack[] }>(
        `${fusionScenario}/write-backs?${q.toString()}`,
      ).then((r) => (Array.isArray(r) ? r : r.writeBacks));
    },
    fusionRequests: () =>
      getJson<{ method: string; path: string; status: number; fault?: string }[]>(
        `${fusionScenario}/requests`,
      ),
    upsFault: (fault: Record<string, unknown>) => send('POST', `${upsScenario}/faults`, fault),
    fusionFault: (fault: Record<string, unknown>) => send('POST', `${fusionScenario}/faults`, fault),
    clearFaults: async () => {
      upsProxy.clearHolds();
      fusionProxy.clearHolds();
      await send('DELETE', `${upsScenario}/faults`);
      await send('DELETE', `${fusionScenario}/faults`);
    },
    upsSettings: (settings: Record<string, unknown>) => send('PUT', `${upsScenario}/settings`, settings),
    revokeUpsTokens: () => send('POST', `${upsScenario}/tokens/revoke`, {}),
    revokeFusionTokens: () => send('POST', `${fusionScenario}/tokens/revoke`, {}),
    close: async () => {
      await Promise.allSettled([upsProxy.close(), fusionProxy.close()]);
      await Promise.allSettled([ups.close(), fusion.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TenantOptions {
  id?: string;
  writeBack?: 'asn' | 'flexfield';
  /** Basic (default) or OAuth client credentials against the sandbox's IAM endpoint. */
  fusionAuth?: 'basic' | 'oauth';
  /** false: no DFF status segment, so statuses go to text attachments (the default configuration). */
  statusSegment?: boolean;
}

/** The UPS status Fusion shows for a PO: the DFF status segment, or else the newest status attachment. */
export function fusionStatusOf(p: FusionSummary): string | null {
  if (p.shipmentStatus) return p.shipmentStatus;
  const titles = p.attachmentTitles.filter((t) => /^UPS [A-Z_]+( |$)/.test(t));
  return titles.at(-1)?.split(' ')[1] ?? null;
}

/** The tenant a customer would configure for the sandbox's seed data, pointed at the proxies. */
export function tenantFor(world: World, options: TenantOptions = {}) {
  const base = sandboxTenant({
    fusionBaseUrl: world.fusionProxy.baseUrl,
    upsBaseUrl: world.upsProxy.baseUrl,
    fusion: { username: 'sandbox.buyer', password: 'sandbox-password' },
    ups: {
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      shipperNumber: DEMO_CLIENT.shipperNumbers[0] ?? 'A1B2C3',
    },
    shipViaUpsSegment: DEFAULT_DFF.shipViaUpsSegment,
    trackingSegment: DEFAULT_DFF.trackingSegment,
    statusSegment: DEFAULT_DFF.statusSegment,
    costCenterSegment: COST_CENTER_SEGMENT_INDEX + 1,
  });
  const withoutStatusSegment = options.statusSegment === false;
  return {
    ...base,
    id: options.id ?? 'acme',
    ...(options.fusionAuth === 'oauth'
      ? {
          fusion: {
            baseUrl: world.fusionProxy.baseUrl,
            auth: {
              kind: 'oauth' as const,
              tokenUrl: `${world.fusionProxy.baseUrl}/oauth2/v1/token`,
              clientId: 'sandbox-fusion-client',
              clientSecret: 'sandbox-fusion-secret',
              scope: 'urn:opc:resource:fa:instanceid=sandbox',
            },
          },
        }
      : {}),
    writeBack: {
      ...base.writeBack,
      mode: options.writeBack ?? 'asn',
      ...(withoutStatusSegment && base.writeBack?.flexfield
        ? { flexfield: { trackingNumberSegment: base.writeBack.flexfield.trackingNumberSegment } }
        : {}),
    },
    // The Track Alert webhook needs a public URL; these tests are about shipping.
    ups: { ...base.ups, trackAlert: { enabled: false } },
  };
}

export const MASTER_KEY = randomBytes(32).toString('base64');

/** Writes the connector's config file for these tenants and database; returns its path. */
export function writeConnectorConfig(
  world: World,
  name: string,
  database: DatabaseConfig,
  tenants: ReturnType<typeof tenantFor>[],
): string {
  const file = path.join(world.dir, `${name}.json`);
  const config = {
    dataDir: path.join(world.dir, 'data'),
    database,
    logging: { level: process.env.E2E_LOG_LEVEL ?? 'warn' },
    sandbox: { mode: 'never' },
    vault: { provider: 'env', allowDevKey: false },
    tenants,
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Environment for loading that config: the vault master key and nothing from the caller's CONNECTOR_*. */
export function connectorEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('CONNECTOR_') && !k.startsWith('ORACLE_')) env[k] = v;
  return { ...env, CONNECTOR_MASTER_KEY: MASTER_KEY, ...extra };
}
