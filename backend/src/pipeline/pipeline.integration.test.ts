/**
 * The pipeline over real HTTP: the Fusion and UPS sandboxes on loopback, the real Fusion and UPS clients,
 * real storage on PGlite. Seeded POs are polled, selected, validated, rated, shipped once and written
 * back; a UPS "accepted but the response failed" fault is recovered without a second label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DFF, startFusionSandbox } from '../../../sandbox/src/fusion/index.js';
import { startUpsSandbox } from '../../../sandbox/src/ups/index.js';
import { AuditLog } from '../audit/audit-log.js';
import { createFusionClient } from '../fusion/fusion-client.js';
import { openStorage, type Storage } from '../storage/index.js';
import { TokenManagerRegistry } from '../ups/token-manager.js';
import { createUpsClient } from '../ups/ups-client.js';
import { fusionPort } from './adapters/fusion-port.js';
import {
  leaseStore,
  poStore,
  rateStore,
  shipmentStore,
  watermarkStore,
  writeBackStore,
} from './adapters/storage-ports.js';
import { upsPort } from './adapters/ups-port.js';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from './pipeline-settings.js';
import { createPipeline, type Pipeline } from './runner.js';

const TENANT = 'acme';
const clock = { now: () => new Date() };

interface FusionSummary {
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
interface Ledger {
  liveLabels: number;
  liveShipments: number;
  shipments: {
    shipmentIdentificationNumber: string;
    serviceCode: string;
    customerContext?: string;
    voidedAt?: string;
  }[];
}

let fusionSandbox: Awaited<ReturnType<typeof startFusionSandbox>>;
let upsSandbox: Awaited<ReturnType<typeof startUpsSandbox>>;
let storage: Storage;
let pipeline: Pipeline;
/** POs added through the Fusion scenario API on top of the seed. */
const extra: { badAddress?: string; secondDay?: string } = {};

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
};
const fusionSummary = () =>
  getJson<FusionSummary[]>(`${fusionSandbox.baseUrl}/_sandbox/fusion/purchase-orders`);
const ledger = (reference?: string) =>
  getJson<Ledger>(
    `${upsSandbox.baseUrl}/_sandbox/ups/ledger${reference ? `?reference=${encodeURIComponent(reference)}` : ''}`,
  );

const isUps = (c: string | null | undefined) => !!c && /(^|[^A-Za-z])UPS([^A-Za-z]|$)/i.test(c);
const selectedBySeed = (p: FusionSummary) =>
  p.StatusCode === 'OPEN' &&
  (p.shipViaUps === 'Y' || isUps(p.headerCarrier) || p.scheduleCarriers.some(isUps));
const frozen = (p: FusionSummary) => p.FrozenFlag === true || p.FrozenFlag === 'Y' || p.FrozenFlag === 'true';

async function runUntilQuiet(maxCycles = 8) {
  for (let i = 0; i < maxCycles; i++) {
    const { processed } = await pipeline.runCycle(TENANT);
    if (Object.keys(processed).length === 0) return i;
  }
  throw new Error(`still processing after ${maxCycles} cycles`);
}

beforeAll(async () => {
  fusionSandbox = await startFusionSandbox({ poCount: 40, seed: 11 });
  upsSandbox = await startUpsSandbox({ seed: 11 });
  storage = await openStorage({ engine: 'pglite' });
  await storage.migrate();
  await storage.repos.tenants.ensure({ id: TENANT });

  const fusionClient = createFusionClient({
    baseUrl: fusionSandbox.baseUrl,
    auth: { kind: 'basic', username: 'sandbox.buyer', password: 'sandbox-password' },
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
  const ups = upsPort(() => upsClient);
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
    backoff: { baseMs: 1, maxMs: 5, maxAttempts: 5, jitter: 0 },
    inDoubtConfirmAfterMs: 0,
    submitGraceMs: 0,
    concurrency: 3,
  };
  pipeline = createPipeline({
    tenant: async () => ({ fusion, ups, settings }),
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

  const addPo = async (spec: Record<string, unknown>) => {
    const res = await fetch(`${fusionSandbox.baseUrl}/_sandbox/fusion/purchase-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(res.status).toBe(201);
    return String(((await res.json()) as { header: { POHeaderId: number } }).header.POHeaderId);
  };
  extra.badAddress = await addPo({
    shipViaUps: true,
    shipToLocationCode: 'PHX-NEW',
    lines: [{ item: 'HW-1020', quantity: 3 }],
  });
  extra.secondDay = await addPo({
    carrier: 'UPS_2DA',
    carrierOn: 'schedule',
    lines: [{ item: 'AS54888', quantity: 2 }],
  });

  // UPS makes the label but the answer never arrives: the first ship call ends in doubt.
  const fault = await fetch(`${upsSandbox.baseUrl}/_sandbox/ups/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint: 'ship', kind: 'accept-then-fail', times: 1 }),
  });
  expect(fault.ok).toBe(true);
  await runUntilQuiet();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([fusionSandbox?.close(), upsSandbox?.close(), storage?.close()]);
});

describe('pipeline against the Fusion and UPS sandboxes', () => {
  it('ships every selected PO once per ship-to location and writes the ASN and status back to Fusion', async () => {
    const summary = await fusionSummary();
    const selected = summary.filter(selectedBySeed);
    expect(selected.length).toBeGreaterThan(5);
    let done = 0;
    for (const p of selected) {
      const record = await storage.repos.purchaseOrders.latest(TENANT, String(p.POHeaderId));
      const l = await ledger(p.OrderNumber);
      if (record?.state === 'flagged') {
        // Items heavier than UPS takes per package, frozen POs and bad addresses are flagged, never shipped.
        expect(record.reason, `PO ${p.OrderNumber}`).toMatch(/^(weight|frozen|address): /);
        expect(l.liveShipments, `live UPS shipments for flagged ${p.OrderNumber}`).toBe(0);
        if (record.reason?.startsWith('address') && !frozen(p))
          expect(p.shipmentStatus).toBe('ADDRESS_NEEDS_CORRECTION');
        continue;
      }
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({ state: 'done', step: 'done' });
      expect(l.liveShipments, `live UPS shipments for ${p.OrderNumber}`).toBe(p.shipToLocationCodes.length);
      expect(p.lifecycleShipments, `ASN for ${p.OrderNumber}`).toBeGreaterThanOrEqual(
        p.shipToLocationCodes.length,
      );
      expect(p.shipmentStatus).toBe('SHIPPED');
      for (const s of l.shipments) expect(p.trackingNumber).toContain(s.shipmentIdentificationNumber);
      done += 1;
    }
    expect(done).toBeGreaterThan(3);
  });

  it('takes the UPS service from the schedule service level, and flags an invalid ship-to in Fusion', async () => {
    const summary = await fusionSummary();
    const second = summary.find((p) => String(p.POHeaderId) === extra.secondDay)!;
    expect(await storage.repos.purchaseOrders.latest(TENANT, extra.secondDay!)).toMatchObject({
      state: 'done',
    });
    expect((await ledger(second.OrderNumber)).shipments.map((s) => s.serviceCode)).toEqual(['02']);

    const bad = summary.find((p) => String(p.POHeaderId) === extra.badAddress)!;
    const record = await storage.repos.purchaseOrders.latest(TENANT, extra.badAddress!);
    expect(record).toMatchObject({
      state: 'flagged',
      reason: expect.stringMatching(/^address: address needs correction: ship-to/),
    });
    expect(bad.shipmentStatus).toBe('ADDRESS_NEEDS_CORRECTION');
    expect((await ledger(bad.OrderNumber)).liveShipments).toBe(0);
  });

  it('recovers the accepted-but-failed ship: one live label per PO, and no label outside a shipped PO', async () => {
    const all = await ledger();
    expect(all.shipments.length).toBe(all.liveShipments);
    const shippedRows = await storage.db
      .selectFrom('shipments')
      .select(['state', 'duplicate_of'])
      .where('tenant_id', '=', TENANT)
      .execute();
    expect(shippedRows.filter((r) => r.state === 'written_back')).toHaveLength(all.liveShipments);
    const recovered = await storage.repos.audit.query({ tenantId: TENANT, step: 'recover-in-doubt' });
    expect(recovered.some((e) => e.message?.startsWith('adopted UPS shipment'))).toBe(true);
  });

  it('records unselected POs as ignored with the reason', async () => {
    const summary = await fusionSummary();
    const unselected = summary.filter((s) => s.StatusCode === 'OPEN' && !selectedBySeed(s));
    expect(unselected.length).toBeGreaterThan(0);
    for (const p of unselected) {
      const record = await storage.repos.purchaseOrders.latest(TENANT, String(p.POHeaderId));
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({
        state: 'ignored',
        reason: expect.stringContaining('no selection rule matched'),
      });
      expect((await ledger(p.OrderNumber)).liveShipments).toBe(0);
    }
  });

  it('ships nothing new on three more polls', async () => {
    const before = await ledger();
    for (let i = 0; i < 3; i++) await pipeline.runCycle(TENANT);
    const after = await ledger();
    expect(after.shipments.length).toBe(before.shipments.length);
    expect(after.liveLabels).toBe(before.liveLabels);
  });
});
