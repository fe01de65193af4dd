/**
 * Acceptance: 200 seeded purchase orders of mixed kinds, over real HTTP against the Fusion and UPS
 * sandboxes, through the connector as `openConnector` composes it from a config file — on PGlite, and on
 * PostgreSQL when CONNECTOR_TEST_POSTGRES_URL is set. Two tenants: `asn` (200 POs, tracking back as an
 * ASN) and `dff` (its own sandboxes, 30 POs, tracking back through a flexfield change order).
 *
 * Every PO the rules select ships exactly once per ship-to location with its write-back visible in
 * Fusion; POs the rules do not select are ignored with the reason; bad addresses are flagged in Fusion;
 * three more polls ship nothing; every request sent to UPS validates against UPS's OpenAPI specs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../../backend/src/config/index.js';
import { watermarkStore } from '../../backend/src/pipeline/adapters/storage-ports.js';
import { openConnector, type Connector } from '../../backend/src/service/connector.js';
import {
  POSTGRES_SKIP_REASON,
  POSTGRES_URL,
  testDatabase,
  type EngineName,
  type TestDatabase,
} from './harness/database.js';
import { installShiftedClock } from './harness/shifted-clock.js';
import { latestRecords, settle } from './harness/settle.js';
import { upsContractViolations } from './harness/ups-contract-check.js';
import {
  connectorEnv,
  fusionStatusOf,
  isFrozen,
  selectedByRules,
  startWorld,
  tenantFor,
  writeConnectorConfig,
  type FusionSummary,
  type World,
} from './harness/world.js';

const clock = installShiftedClock();
const HOUR = 3600_000;
const isShipRequest = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path.includes('/ship');

function acceptance(engine: EngineName) {
  let asnWorld: World;
  let dffWorld: World;
  let db: TestDatabase;
  let connector: Connector;
  /** Selected POs that were still waiting for approval when the connector started. */
  let approvedLater: FusionSummary[] = [];

  beforeAll(async () => {
    asnWorld = await startWorld({ seed: 7, poCount: 200 });
    dffWorld = await startWorld({ seed: 8, poCount: 30 });
    db = testDatabase(engine, asnWorld.dir);
    const file = writeConnectorConfig(asnWorld, 'ship-200', db.config, [
      // The default configuration: an ASN, and no DFF status segment, so statuses are attachments.
      tenantFor(asnWorld, { id: 'asn', writeBack: 'asn', statusSegment: false }),
      tenantFor(dffWorld, { id: 'dff', writeBack: 'flexfield' }),
    ]);
    connector = await openConnector(
      loadConfigDetailed({ env: connectorEnv(), configFile: file, cwd: asnWorld.dir }),
      { retry: { baseDelayMs: 1, maxDelayMs: 20 } },
    );
    // A first start reads a week back; the seed spans 30 days, so the operator backfills 60.
    for (const tenantId of ['asn', 'dff'])
      await watermarkStore(connector.storage).set(tenantId, new Date(Date.now() - 60 * 24 * HOUR));

    const pending = (await asnWorld.fusionSummary()).filter(
      (p) =>
        (p.StatusCode === 'INCOMPLETE' || p.StatusCode === 'PENDING APPROVAL') &&
        selectedByRules({ ...p, StatusCode: 'OPEN' }),
    );
    await settle(connector, ['asn', 'dff'], clock.advance);
    // Buyers' approvals land over the next three hours of sandbox time; the connector picks them up.
    clock.advance(4 * HOUR);
    await settle(connector, ['asn', 'dff'], clock.advance);
    const after = new Map((await asnWorld.fusionSummary()).map((p) => [p.POHeaderId, p]));
    approvedLater = pending.map((p) => after.get(p.POHeaderId)!).filter((p) => p.StatusCode === 'OPEN');
  }, 480_000);

  afterAll(async () => {
    await connector?.close();
    await Promise.allSettled([asnWorld?.close(), dffWorld?.close()]);
    await db?.drop();
  });

  it('ships every selected PO once per ship-to location, with the ASN and status visible in Fusion', async () => {
    const summary = await asnWorld.fusionSummary();
    const records = await latestRecords(connector, 'asn');
    const asns = await asnWorld.writeBacks({ kind: 'asn' });
    const selected = summary.filter(selectedByRules);
    expect(selected.length).toBeGreaterThan(60);
    let shipped = 0;
    for (const p of selected) {
      const record = records.get(String(p.POHeaderId));
      const ledger = await asnWorld.ledger(p.OrderNumber);
      if (record?.state === 'flagged') {
        expect(record.reason, `PO ${p.OrderNumber}`).toMatch(/^(weight|frozen|address): /);
        expect(ledger.liveShipments, `live UPS shipments for flagged ${p.OrderNumber}`).toBe(0);
        continue;
      }
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({ state: 'done' });
      expect(ledger.liveShipments, `live UPS shipments for ${p.OrderNumber}`).toBe(
        p.shipToLocationCodes.length,
      );
      expect(
        ledger.shipments.every((s) => !s.voidedAt),
        `no voided label for ${p.OrderNumber}`,
      ).toBe(true);
      // Written back exactly once: one ASN per UPS shipment, one lifecycle shipment line set per ASN.
      expect(
        asns.filter((w) => Number(w.poHeaderId) === p.POHeaderId),
        `ASNs for ${p.OrderNumber}`,
      ).toHaveLength(p.shipToLocationCodes.length);
      expect(p.lifecycleShipments, `lifecycle shipments for ${p.OrderNumber}`).toBeGreaterThanOrEqual(
        p.shipToLocationCodes.length,
      );
      expect(fusionStatusOf(p), `status of ${p.OrderNumber}`).toBe('SHIPPED');
      const statusText = p.attachmentTitles.find((t) => t.startsWith('UPS SHIPPED'));
      for (const s of ledger.shipments) expect(statusText).toContain(s.shipmentIdentificationNumber);
      shipped += 1;
    }
    expect(shipped).toBeGreaterThan(50);
    // No label anywhere in the ledger that is not one of those.
    const all = await asnWorld.ledger();
    expect(all.shipments.filter((s) => !s.voidedAt)).toHaveLength(all.liveShipments);
  });

  it('picks up POs approved after the first polls and ships them too', async () => {
    expect(approvedLater.length).toBeGreaterThan(0);
    const records = await latestRecords(connector, 'asn');
    let shipped = 0;
    for (const p of approvedLater) {
      const record = records.get(String(p.POHeaderId));
      if (record?.state === 'flagged') {
        // Hard problems (an item over UPS's 150 lb) are flagged in Fusion, never shipped.
        expect(record.reason, `PO ${p.OrderNumber}`).toMatch(/^(weight|address): /);
        expect(fusionStatusOf(p)).toMatch(/^(FAILED|ADDRESS_NEEDS_CORRECTION)$/);
        continue;
      }
      expect(record?.state, `PO ${p.OrderNumber}: ${record?.reason}`).toBe('done');
      expect(fusionStatusOf(p), `PO ${p.OrderNumber}`).toBe('SHIPPED');
      shipped += 1;
    }
    expect(shipped).toBeGreaterThan(0);
  });

  it('records every PO the rules do not select as ignored, with the reason, and ships none of them', async () => {
    const summary = await asnWorld.fusionSummary();
    const records = await latestRecords(connector, 'asn');
    const unselected = summary.filter((p) => p.StatusCode === 'OPEN' && !selectedByRules(p));
    expect(unselected.length).toBeGreaterThan(30);
    for (const p of unselected) {
      expect(records.get(String(p.POHeaderId)), `PO ${p.OrderNumber}`).toMatchObject({
        state: 'ignored',
        reason: expect.stringContaining('no selection rule matched'),
      });
      expect((await asnWorld.ledger(p.OrderNumber)).liveShipments).toBe(0);
    }
  });

  it('flags POs with an address UPS refuses, in the connector and in Fusion', async () => {
    const summary = await asnWorld.fusionSummary();
    const records = await latestRecords(connector, 'asn');
    const bad = summary.filter(
      (p) =>
        selectedByRules(p) &&
        !isFrozen(p) &&
        (p.shipToVerdict !== 'valid' || p.supplierSiteVerdict !== 'valid'),
    );
    expect(bad.length).toBeGreaterThan(3);
    for (const p of bad) {
      const record = records.get(String(p.POHeaderId));
      // A PO flagged earlier for another hard reason (an item over 150 lb) never reaches address validation.
      if (record?.reason?.startsWith('weight')) continue;
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({
        state: 'flagged',
        reason: expect.stringMatching(/^address: /),
      });
      expect(fusionStatusOf(p), `status of ${p.OrderNumber}`).toBe('ADDRESS_NEEDS_CORRECTION');
      expect((await asnWorld.ledger(p.OrderNumber)).liveShipments).toBe(0);
    }
  });

  it('writes the tracking number and status to the header flexfield for the flexfield tenant', async () => {
    const summary = await dffWorld.fusionSummary();
    const records = await latestRecords(connector, 'dff');
    let shipped = 0;
    for (const p of summary.filter(selectedByRules)) {
      const record = records.get(String(p.POHeaderId));
      if (record?.state !== 'done') continue;
      const ledger = await dffWorld.ledger(p.OrderNumber);
      expect(ledger.liveShipments, `live UPS shipments for ${p.OrderNumber}`).toBe(
        p.shipToLocationCodes.length,
      );
      expect(p.shipmentStatus, `status of ${p.OrderNumber}`).toBe('SHIPPED');
      for (const s of ledger.shipments)
        expect(p.trackingNumber, `DFF of ${p.OrderNumber}`).toContain(s.shipmentIdentificationNumber);
      expect(p.lifecycleShipments, `no ASN in flexfield mode for ${p.OrderNumber}`).toBe(0);
      shipped += 1;
    }
    expect(shipped).toBeGreaterThan(5);
  });

  it('ships nothing new on three more polls', async () => {
    const before = { asn: await asnWorld.ledger(), dff: await dffWorld.ledger() };
    const shipCalls =
      asnWorld.upsProxy.requests.filter(isShipRequest).length +
      dffWorld.upsProxy.requests.filter(isShipRequest).length;
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * 60_000);
      for (const tenantId of ['asn', 'dff']) await connector.pipeline.runCycle(tenantId);
    }
    const after = { asn: await asnWorld.ledger(), dff: await dffWorld.ledger() };
    expect(after.asn.shipments.length).toBe(before.asn.shipments.length);
    expect(after.asn.liveLabels).toBe(before.asn.liveLabels);
    expect(after.dff.shipments.length).toBe(before.dff.shipments.length);
    expect(
      asnWorld.upsProxy.requests.filter(isShipRequest).length +
        dffWorld.upsProxy.requests.filter(isShipRequest).length,
    ).toBe(shipCalls);
  });

  it('sent UPS only requests that validate against its OpenAPI specs', async () => {
    const requests = [...asnWorld.upsProxy.requests, ...dffWorld.upsProxy.requests];
    expect(requests.filter(isShipRequest).length).toBeGreaterThan(50);
    expect(requests.some((r) => r.path.includes('/addressvalidation/'))).toBe(true);
    expect(requests.some((r) => r.path.includes('/rating/'))).toBe(true);
    expect(await upsContractViolations(requests)).toEqual([]);
  });
}

describe('200 POs shipped end to end on PGlite', () => acceptance('pglite'));
describe.skipIf(!POSTGRES_URL)(
  `200 POs shipped end to end on PostgreSQL${POSTGRES_URL ? '' : ` — skipped: ${POSTGRES_SKIP_REASON}`}`,
  () => acceptance('postgres'),
);
