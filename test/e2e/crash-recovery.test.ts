/**
 * Acceptance: the connector is SIGKILLed at each step boundary and restarted; every PO still ends with
 * exactly one live UPS label and its write-back done once.
 *
 * The connector runs as a child process (`sync --once` from a config file) against sandboxes and a
 * database this test owns. Production code has no test hooks: the kill moment is found from outside.
 * A sandbox latency fault (or the recording proxy holding an answer back) keeps one request open; the
 * test waits until the request arrived — or, for "accepted", until the sandbox has done the work (the
 * label is in the UPS ledger, the ASN is in Fusion) — and SIGKILLs the child. Then it clears the faults
 * and restarts the child "ten minutes later" (its clock and the sandboxes' run ahead, see
 * shifted-clock.ts: the killed process's leases and the ship step's in-flight grace have run out, as they
 * would after a real restart) until a run processes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../backend/src/storage/index.js';
import { spawnConnector, syncOnce } from './harness/connector-process.js';
import {
  POSTGRES_SKIP_REASON,
  POSTGRES_URL,
  testDatabase,
  type EngineName,
  type TestDatabase,
} from './harness/database.js';
import type { RequestMatch } from './harness/recording-proxy.js';
import { upsContractViolations } from './harness/ups-contract-check.js';
import {
  connectorEnv,
  startWorld,
  tenantFor,
  writeConnectorConfig,
  type FusionSummary,
  type World,
} from './harness/world.js';

const LATENCY_MS = 3000;
const HOLD_MS = 120_000;
// How long a child may take to reach its kill point: it starts tsx and PGlite first, slow on a busy machine.
const REACH_MS = 60_000;
const RESTART_LATER_MS = 10 * 60_000;

const post =
  (fragment: string): RequestMatch =>
  (r) =>
    r.method === 'POST' && r.path.includes(fragment);
const isShip: RequestMatch = (r) => r.method === 'POST' && /\/api\/shipments\/[^/]+\/ship/.test(r.path);
const isAsnPost: RequestMatch = (r) => r.method === 'POST' && /\/receivingReceiptRequests(\?|$)/.test(r.path);
const isStatusWrite: RequestMatch = (r) => r.method !== 'GET' && r.path.includes('/draftPurchaseOrders');
const isPoll: RequestMatch = (r) => r.method === 'GET' && /\/purchaseOrders\?/.test(r.path);

interface Boundary {
  name: string;
  /** Makes the request at this boundary stay open (and says for how long the sandbox keeps working on it). */
  arm(world: World): Promise<void> | void;
  /** Resolves once the request arrived (and, for "accepted", once the sandbox has done the work). */
  reached(world: World, since: { ups: number; fusion: number }, po: FusionSummary): Promise<void>;
  /** A latency fault lets the sandbox finish the request after the kill; wait for that before restarting. */
  drainMs?: number;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const upsLatency =
  (endpoint: string): Boundary['arm'] =>
  (w) =>
    w.upsFault({ endpoint, kind: 'latency', latencyMs: LATENCY_MS }).then(() => undefined);

const BOUNDARIES: Boundary[] = [
  {
    name: 'Fusion poll (GET purchaseOrders) in flight',
    arm: (w) =>
      w
        .fusionFault({
          endpoint: 'purchaseOrders',
          method: 'GET',
          kind: 'latency',
          latencyMs: LATENCY_MS,
          times: 1,
        })
        .then(() => undefined),
    reached: (w, since) => w.fusionProxy.waitFor(isPoll, REACH_MS, since.fusion).then(() => undefined),
  },
  {
    name: 'UPS address validation in flight',
    arm: upsLatency('address-validation'),
    reached: (w, since) =>
      w.upsProxy.waitFor(post('/api/addressvalidation/'), REACH_MS, since.ups).then(() => undefined),
  },
  {
    name: 'UPS rating in flight',
    arm: upsLatency('rating'),
    reached: (w, since) =>
      w.upsProxy.waitFor(post('/api/rating/'), REACH_MS, since.ups).then(() => undefined),
  },
  {
    name: 'UPS ship sent, label made by UPS only after the crash',
    arm: upsLatency('ship'),
    reached: (w, since) => w.upsProxy.waitFor(isShip, REACH_MS, since.ups).then(() => undefined),
    drainMs: LATENCY_MS + 1000,
  },
  {
    name: 'UPS ship accepted (label in the ledger), answer not yet received or committed',
    arm: (w) => w.upsProxy.holdResponses(isShip, HOLD_MS),
    reached: async (w, since, po) => {
      const request = await w.upsProxy.waitFor(isShip, REACH_MS, since.ups);
      await until('UPS to answer the ship request', async () => request.status !== undefined);
      expect(request.status).toBe(200);
      expect((await w.ledger(po.OrderNumber)).liveShipments).toBe(1);
    },
  },
  {
    name: 'Fusion ASN POST sent, processed by Fusion only after the crash',
    arm: (w) =>
      w
        .fusionFault({
          endpoint: 'receivingReceiptRequests',
          method: 'POST',
          kind: 'latency',
          latencyMs: LATENCY_MS,
          times: 1,
        })
        .then(() => undefined),
    reached: (w, since) => w.fusionProxy.waitFor(isAsnPost, REACH_MS, since.fusion).then(() => undefined),
    drainMs: LATENCY_MS + 1000,
  },
  {
    name: 'Fusion ASN created, answer not yet received or committed',
    arm: (w) => w.fusionProxy.holdResponses(isAsnPost, HOLD_MS),
    reached: async (w, since, po) => {
      const request = await w.fusionProxy.waitFor(isAsnPost, REACH_MS, since.fusion);
      await until('Fusion to answer the ASN', async () => request.status !== undefined);
      expect(request.status).toBe(201);
      expect(await w.writeBacks({ kind: 'asn', poHeaderId: po.POHeaderId })).toHaveLength(1);
    },
  },
  {
    name: 'Fusion status change order written, answer not yet received or committed',
    arm: (w) => w.fusionProxy.holdResponses(isStatusWrite, HOLD_MS),
    reached: async (w, since) => {
      const request = await w.fusionProxy.waitFor(isStatusWrite, REACH_MS, since.fusion);
      await until('Fusion to answer the change order', async () => request.status !== undefined);
    },
  },
];

function crashRecovery(engine: EngineName) {
  let world: World;
  let db: TestDatabase;
  let configFile: string;
  const env = connectorEnv();
  let offsetMs = 0;
  let supplierSiteCode: string | undefined;
  const pos: FusionSummary[] = [];

  const summaryOf = async (poHeaderId: number) =>
    (await world.fusionSummary()).find((p) => p.POHeaderId === poHeaderId)!;

  /** A new PO flagged for UPS, at a ship-to and supplier site UPS accepts. */
  async function addPo(): Promise<FusionSummary> {
    const res = await fetch(`${world.fusion.baseUrl}/_sandbox/fusion/purchase-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shipViaUps: true,
        carrier: 'UPS_GROUND',
        shipToLocationCode: 'LOU-DC',
        createdSecondsAgo: 60,
        ...(supplierSiteCode ? { supplierSiteCode } : {}),
        lines: [{ item: 'HW-1020', quantity: 2 }],
      }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { header: { POHeaderId: number; SupplierSite: string } };
    supplierSiteCode ??= created.header.SupplierSite;
    const po = await summaryOf(created.header.POHeaderId);
    expect(po).toMatchObject({ StatusCode: 'OPEN', shipToVerdict: 'valid', supplierSiteVerdict: 'valid' });
    pos.push(po);
    return po;
  }

  /** Restarts the connector later, again and again, until a run has nothing left to do. */
  async function restartUntilQuiet(po: FusionSummary): Promise<number> {
    const outputs: string[] = [];
    for (let runs = 1; runs <= 8; runs++) {
      offsetMs += RESTART_LATER_MS;
      world.clock.advance(RESTART_LATER_MS);
      const { processed, output } = await syncOnce(configFile, env, offsetMs);
      outputs.push(output);
      if (processed === 0 && (await summaryOf(po.POHeaderId)).shipmentStatus === 'SHIPPED') return runs;
    }
    throw new Error(`PO ${po.OrderNumber} not settled after 8 restarts:\n${outputs.join('\n').slice(-4000)}`);
  }

  beforeAll(async () => {
    world = await startWorld({ seed: 3, poCount: 0 });
    db = testDatabase(engine, world.dir);
    configFile = writeConnectorConfig(world, 'crash', db.config, [
      tenantFor(world, { id: 'acme', writeBack: 'asn' }),
    ]);
    // Migrations, tenant and a first (empty) poll, so every kill below lands in a connector with history.
    await syncOnce(configFile, env, offsetMs);
  }, 240_000);

  afterAll(async () => {
    await world?.close();
    await db?.drop();
  });

  for (const boundary of BOUNDARIES) {
    it(`killed at: ${boundary.name} — restarted, the PO ships once and is written back once`, async () => {
      const po = await addPo();
      await boundary.arm(world);
      const since = { ups: world.upsProxy.requests.length, fusion: world.fusionProxy.requests.length };
      const child = spawnConnector(['sync', '--once', '--config', configFile], env, offsetMs);
      try {
        await boundary.reached(world, since, po);
      } catch (error) {
        child.child.kill('SIGKILL');
        throw new Error(`${String(error)}\nchild output:\n${child.output().slice(-3000)}`);
      }
      child.child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      await world.clearFaults();
      if (boundary.drainMs) await new Promise((r) => setTimeout(r, boundary.drainMs));

      await restartUntilQuiet(po);
      const after = await summaryOf(po.POHeaderId);
      const ledger = await world.ledger(po.OrderNumber);
      expect(ledger.liveShipments, `live UPS shipments for ${po.OrderNumber}`).toBe(1);
      expect(ledger.liveLabels).toBe(
        ledger.shipments.filter((s) => !s.voidedAt).flatMap((s) => s.packages).length,
      );
      expect(await world.writeBacks({ kind: 'asn', poHeaderId: po.POHeaderId }), 'ASNs').toHaveLength(1);
      expect(after.lifecycleShipments).toBe(1);
      expect(after.shipmentStatus).toBe('SHIPPED');
      const live = ledger.shipments.find((s) => !s.voidedAt)!;
      expect(after.trackingNumber).toContain(live.shipmentIdentificationNumber);
    }, 300_000);
  }

  it('leaves every PO with exactly one live label, nothing in doubt, and only valid UPS requests', async () => {
    expect(pos).toHaveLength(BOUNDARIES.length);
    const all = await world.ledger();
    expect(all.liveShipments).toBe(pos.length);
    for (const po of pos) expect((await world.ledger(po.OrderNumber)).liveShipments, po.OrderNumber).toBe(1);
    expect(await world.writeBacks({ kind: 'asn' })).toHaveLength(pos.length);

    // Reopening the database the killed processes wrote (for PGlite: its files after SIGKILL).
    const storage = await openStorage(db.config);
    try {
      const open = await storage.db
        .selectFrom('shipments')
        .select(['state', 'po_header_id'])
        .where('state', 'in', ['intent_recorded', 'submitting', 'in_doubt', 'void_requested', 'void_failed'])
        .execute();
      expect(open).toEqual([]);
      for (const po of pos)
        expect(
          (await storage.repos.purchaseOrders.latest('acme', String(po.POHeaderId)))?.state,
          po.OrderNumber,
        ).toBe('done');
    } finally {
      await storage.close();
    }
    expect(await upsContractViolations(world.upsProxy.requests)).toEqual([]);
  }, 240_000);
}

describe('crash recovery on PGlite (SIGKILL at every step boundary)', () => crashRecovery('pglite'));
describe.skipIf(!POSTGRES_URL)(
  `crash recovery on PostgreSQL (SIGKILL at every step boundary)${POSTGRES_URL ? '' : ` — skipped: ${POSTGRES_SKIP_REASON}`}`,
  () => crashRecovery('postgres'),
);
