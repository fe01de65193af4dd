import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/audit-log.js';
import type { Storage } from '../../storage/index.js';
import { testEngines } from '../../storage/test-engines.js';
import { createPipeline, type Pipeline } from '../runner.js';
import { FakeFusion, FakeUps } from '../testing/fake-systems.js';
import { makePo, SUPPLIER_SITE, testSettings, WAREHOUSE } from '../testing/fixtures.js';
import type { Clock, PoRecord } from '../ports.js';
import {
  leaseStore,
  poStore,
  rateStore,
  shipmentStore,
  watermarkStore,
  writeBackStore,
} from './storage-ports.js';

const clock: Clock = { now: () => new Date() };

describe.each(testEngines())('storage adapters on $name', (engine) => {
  let storage: Storage;

  beforeAll(async () => {
    if (engine.skipReason) return;
    storage = await engine.open();
    await storage.migrate();
    for (const id of ['t-lease', 't-po', 't-run']) await storage.repos.tenants.ensure({ id });
  });
  afterAll(async () => {
    await storage?.close();
    await engine.cleanup();
  });

  const pipelineFor = (fusion: FakeFusion, ups: FakeUps, owner = 'w1'): Pipeline => {
    return createPipeline({
      tenant: async () => ({ fusion, ups, settings: testSettings() }),
      pos: poStore(storage),
      watermarks: watermarkStore(storage),
      shipments: shipmentStore(storage),
      rates: rateStore(storage),
      writeBacks: writeBackStore(storage),
      leases: leaseStore(storage, clock),
      // AuditStore.append returns void; the repository returns the stored entry.
      audit: new AuditLog({ append: async (entry) => void (await storage.repos.audit.append(entry)) }),
      clock,
      owner,
      random: () => 0,
    });
  };

  describe.skipIf(engine.skipReason !== null)(`(${engine.skipReason ?? 'reachable'})`, () => {
    it('a lease excludes other owners until it is released or expires', async () => {
      const leases = leaseStore(storage, clock);
      expect(await leases.tryAcquire('t-lease', 'po:1', 'a', 60_000)).toBe(true);
      expect(await leases.tryAcquire('t-lease', 'po:1', 'b', 60_000)).toBe(false);
      expect(await leases.tryAcquire('t-lease', 'po:1', 'a', 60_000)).toBe(true);
      await leases.release('t-lease', 'po:1', 'b'); // not b's: no effect
      expect(await leases.tryAcquire('t-lease', 'po:1', 'b', 60_000)).toBe(false);
      await leases.release('t-lease', 'po:1', 'a');
      expect(await leases.tryAcquire('t-lease', 'po:1', 'b', 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
      expect(await leases.tryAcquire('t-lease', 'po:1', 'c', 60_000)).toBe(true); // b's lease expired
    });

    it('saves and reads a PO record; a new revision supersedes the active old one', async () => {
      const pos = poStore(storage);
      const base: PoRecord = {
        tenantId: 't-po',
        poHeaderId: '42',
        orderNumber: 'US42',
        revision: 0,
        lastUpdateDate: new Date('2026-03-02T09:00:00Z'),
        state: 'retrying',
        step: 'rate',
        reason: '503',
        attempts: 2,
        nextAttemptAt: new Date('2020-01-01T00:00:00Z'),
        context: { selection: { ruleId: 'r', reason: 'selected' } },
      };
      await pos.save(base);
      expect(await pos.get('t-po', '42')).toEqual(base);
      expect((await pos.listDue('t-po', new Date(), 10)).map((r) => r.poHeaderId)).toEqual(['42']);
      await pos.save({
        ...base,
        revision: 1,
        state: 'pending',
        step: 'select',
        attempts: 0,
        reason: null,
        nextAttemptAt: null,
        context: {},
      });
      expect(await pos.get('t-po', '42')).toMatchObject({ revision: 1, step: 'select', context: {} });
      const rows = await storage.repos.purchaseOrders.list('t-po');
      expect(rows.map((r) => [r.revision, r.state])).toEqual(
        expect.arrayContaining([
          [0, 'superseded'],
          [1, 'pending'],
        ]),
      );
      expect((await pos.listDue('t-po', new Date(), 10)).map((r) => r.revision)).toEqual([1]);
      // The reason column is varchar(255): a long reason is clipped, never a failed save.
      await pos.save({ ...base, revision: 1, state: 'ignored', step: 'select', reason: 'x'.repeat(400) });
      expect((await pos.get('t-po', '42'))?.reason).toHaveLength(255);
    });

    it('runs POs end to end on real storage: shipped once, ignored with reason, recovery after a lost response', async () => {
      const fusion = new FakeFusion();
      const ups = new FakeUps();
      fusion.locations.set('LOC1', WAREHOUSE);
      fusion.sites.set('S1/SITE1', SUPPLIER_SITE);
      const recent = new Date(Date.now() - 60_000);
      fusion.put(makePo({ poHeaderId: '1', orderNumber: 'US1', lastUpdateDate: recent }));
      fusion.put(makePo({ poHeaderId: '2', orderNumber: 'US2', carrier: 'FedEx', lastUpdateDate: recent }));
      fusion.put(makePo({ poHeaderId: '3', orderNumber: 'US3', lastUpdateDate: recent }));
      const pipeline = pipelineFor(fusion, ups);
      const ship = ups.ship.bind(ups);
      ups.ship = async (order) => {
        if (
          order.packages[0]?.references?.[0] === 'US3' &&
          ups.ledger.every((e) => !e.references.includes('US3'))
        ) {
          ups.nextShipFault = 'accept-then-fail';
        }
        return ship(order);
      };

      const first = await pipeline.runCycle('t-run');
      expect(first.processed).toEqual({ '1': 'done', '2': 'ignored', '3': 'retrying' });
      const shipment3 = (await storage.repos.shipments.listByPo('t-run', '3'))[0];
      expect(shipment3?.state).toBe('in_doubt');

      await storage.db
        .updateTable('purchase_orders')
        .set({ next_attempt_at: new Date(0) })
        .where('po_header_id', '=', '3')
        .execute();
      const second = await pipeline.runCycle('t-run');
      expect(second.processed).toEqual({ '3': 'done' });
      expect(ups.liveLabelsFor('US3')).toHaveLength(1);
      expect(ups.shipCalls).toBe(2);

      const third = await pipeline.runCycle('t-run');
      expect(third.processed).toEqual({});
      expect(ups.shipCalls).toBe(2);

      const s1 = (await storage.repos.shipments.listByPo('t-run', '1'))[0]!;
      expect(s1).toMatchObject({
        state: 'written_back',
        // POs run concurrently: find PO 1's label by its reference, not by ledger order.
        upsShipmentId: ups.ledger.find((e) => e.references.includes('US1'))!.shipmentIdentificationNumber,
      });
      expect(await storage.repos.packages.labelsForShipment('t-run', s1.id)).toHaveLength(1);
      expect(await storage.repos.quotes.listForPo('t-run', '1')).toHaveLength(1);
      expect(
        (await storage.repos.writeBacks.listByPo('t-run', '1'))
          .map((w) => [w.kind, w.method, w.state])
          .sort(),
      ).toEqual([
        ['status', 'flexfield', 'done'],
        ['tracking_number', 'asn', 'done'],
      ]);
      expect(await storage.repos.purchaseOrders.latest('t-run', '2')).toMatchObject({
        state: 'ignored',
        reason: expect.stringContaining('carrier: FedEx'),
      });
      const audit = await storage.repos.audit.listByPo('t-run', '3');
      expect(audit.map((e) => e.step)).toEqual(
        expect.arrayContaining(['ship', 'recover-in-doubt', 'write-back']),
      );
    });
  });
});
