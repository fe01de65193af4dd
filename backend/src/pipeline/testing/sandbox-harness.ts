/**
 * The pipeline wired for real over loopback: the Fusion and UPS sandboxes, the real Fusion and UPS
 * clients, real storage on PGlite. Used by the *.integration.test.ts files; fast retry and recovery
 * timings, otherwise production code paths.
 */
import { expect } from 'vitest';
import { DEFAULT_DFF, startFusionSandbox } from '../../../../sandbox/src/fusion/index.js';
import { startUpsSandbox } from '../../../../sandbox/src/ups/index.js';
import { AuditLog } from '../../audit/audit-log.js';
import { createFusionClient } from '../../fusion/fusion-client.js';
import { openStorage, type Storage } from '../../storage/index.js';
import { TokenManagerRegistry } from '../../ups/token-manager.js';
import { createUpsClient } from '../../ups/ups-client.js';
import { fusionPort } from '../adapters/fusion-port.js';
import {
  leaseStore,
  poStore,
  rateStore,
  shipmentStore,
  watermarkStore,
  writeBackStore,
} from '../adapters/storage-ports.js';
import { upsPort } from '../adapters/ups-port.js';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../pipeline-settings.js';
import { createPipeline, type Pipeline } from '../runner.js';

export const SANDBOX_TENANT = 'acme';

/** One row of the Fusion sandbox's scenario summary (GET /_sandbox/fusion/purchase-orders). */
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
  lifecycleShipments: number;
}

/** The UPS sandbox ledger (GET /_sandbox/ups/ledger). */
export interface Ledger {
  liveLabels: number;
  liveShipments: number;
  shipments: {
    shipmentIdentificationNumber: string;
    serviceCode: string;
    customerContext?: string;
    voidedAt?: string;
  }[];
}

const isUps = (c: string | null | undefined) => !!c && /(^|[^A-Za-z])UPS([^A-Za-z]|$)/i.test(c);
/** What the harness's selection rules pick: flexfield shipViaUps = Y, or carrier UPS on header or schedule. */
export const selectedBySeed = (p: FusionSummary) =>
  p.StatusCode === 'OPEN' &&
  (p.shipViaUps === 'Y' || isUps(p.headerCarrier) || p.scheduleCarriers.some(isUps));
export const isFrozen = (p: FusionSummary) =>
  p.FrozenFlag === true || p.FrozenFlag === 'Y' || p.FrozenFlag === 'true';

export interface SandboxPipeline {
  fusionSandbox: Awaited<ReturnType<typeof startFusionSandbox>>;
  upsSandbox: Awaited<ReturnType<typeof startUpsSandbox>>;
  storage: Storage;
  pipeline: Pipeline;
  fusionSummary(): Promise<FusionSummary[]>;
  ledger(reference?: string): Promise<Ledger>;
  /** Adds a PO through the Fusion scenario API; returns its POHeaderId. */
  addPo(spec: Record<string, unknown>): Promise<string>;
  upsFault(fault: Record<string, unknown>): Promise<void>;
  /** Cycles until one processes nothing; throws after maxCycles. */
  runUntilQuiet(maxCycles?: number): Promise<number>;
  close(): Promise<void>;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function startSandboxPipeline(options: {
  poCount: number;
  seed: number;
}): Promise<SandboxPipeline> {
  const fusionSandbox = await startFusionSandbox({ poCount: options.poCount, seed: options.seed });
  const upsSandbox = await startUpsSandbox({ seed: options.seed });
  const storage = await openStorage({ engine: 'pglite' });
  await storage.migrate();
  await storage.repos.tenants.ensure({ id: SANDBOX_TENANT });

  const fusionClient = createFusionClient({
    baseUrl: fusionSandbox.baseUrl,
    auth: { kind: 'basic', username: 'sandbox.buyer', password: 'sandbox-password' },
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
  });
  const fusion = fusionPort(fusionClient, {
    statusMechanism: 'flexfield',
    statusSegments: {
      context: DEFAULT_DFF.context,
      status: DEFAULT_DFF.statusSegment,
      trackingNumber: DEFAULT_DFF.trackingSegment,
    },
    trackingSegment: DEFAULT_DFF.trackingSegment,
  });
  const { clientId, clientSecret, shipperNumber } = upsSandbox.sandbox.credentials;
  const upsClient = createUpsClient({
    baseUrl: upsSandbox.baseUrl,
    clientId,
    clientSecret,
    tokenRegistry: new TokenManagerRegistry(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const settings: PipelineSettings = {
    ...DEFAULT_PIPELINE_SETTINGS,
    selectionRules: [
      { id: 'flag', action: 'select', flexfield: { segment: DEFAULT_DFF.shipViaUpsSegment, equals: 'Y' } },
      { id: 'carrier-ups', action: 'select', carrier: 'UPS' },
    ],
    mappingRules: [
      {
        id: 'default',
        match: {},
        account: { shipperNumber },
        serviceCode: '03',
        serviceByLevel: { Ground: '03', '2nd Day Air': '02', 'Next Day Air': '01' },
        packagingCode: '02',
        labelFormat: 'GIF',
        shipFrom: { policy: 'supplier-site' },
        weightUnit: 'LBS',
        defaultUnitWeight: 1,
      },
    ],
    writeBack: ['asn'],
    poll: { overlapMs: 120_000, pageSize: 7, initialLookbackMs: 3650 * 24 * 3600_000 },
    backoff: { baseMs: 1, maxMs: 5, maxAttempts: 12, jitter: 0 },
    inDoubtConfirmAfterMs: 0,
    submitGraceMs: 0,
    concurrency: 3,
  };
  const clock = { now: () => new Date() };
  const pipeline = createPipeline({
    tenant: async () => ({ fusion, ups: upsPort(() => upsClient), settings }),
    pos: poStore(storage),
    watermarks: watermarkStore(storage),
    shipments: shipmentStore(storage),
    rates: rateStore(storage),
    writeBacks: writeBackStore(storage),
    leases: leaseStore(storage, clock),
    audit: new AuditLog({ append: async (entry) => void (await storage.repos.audit.append(entry)) }),
    clock,
    owner: 'integration',
  });

  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.ok, `${url}: HTTP ${res.status}`).toBe(true);
    return res.json();
  };
  return {
    fusionSandbox,
    upsSandbox,
    storage,
    pipeline,
    fusionSummary: () => getJson<FusionSummary[]>(`${fusionSandbox.baseUrl}/_sandbox/fusion/purchase-orders`),
    ledger: (reference) =>
      getJson<Ledger>(
        `${upsSandbox.baseUrl}/_sandbox/ups/ledger${reference ? `?reference=${encodeURIComponent(reference)}` : ''}`,
      ),
    addPo: async (spec) => {
      const created = (await post(`${fusionSandbox.baseUrl}/_sandbox/fusion/purchase-orders`, spec)) as {
        header: { POHeaderId: number };
      };
      return String(created.header.POHeaderId);
    },
    upsFault: async (fault) => void (await post(`${upsSandbox.baseUrl}/_sandbox/ups/faults`, fault)),
    runUntilQuiet: async (maxCycles = 8) => {
      for (let i = 0; i < maxCycles; i++) {
        const { processed } = await pipeline.runCycle(SANDBOX_TENANT);
        if (Object.keys(processed).length === 0) return i;
      }
      throw new Error(`still processing after ${maxCycles} cycles`);
    },
    close: async () => {
      await Promise.allSettled([fusionSandbox.close(), upsSandbox.close(), storage.close()]);
    },
  };
}
