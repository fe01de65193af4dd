/**
 * One contract suite for the repository layer, run on every reachable engine (see test-engines.ts).
 * Each test makes its own tenants, so tests are independent and reruns on a shared database do not collide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from './index.js';
import { ConflictError } from './errors.js';
import { IllegalShipmentTransitionError } from '../domain/shipment-state.js';
import type { TrackingEvent } from '../domain/types.js';
import { testEngines } from './test-engines.js';

for (const engine of testEngines()) {
  const title = engine.skipReason
    ? `storage contract on ${engine.name} (skipped: ${engine.skipReason})`
    : `storage contract on ${engine.name}`;

  describe.skipIf(engine.skipReason !== null)(title, () => {
    let storage: Storage;
    let clock = Date.parse('2026-03-01T12:00:00.000Z');
    const advance = (ms: number) => (clock += ms);

    beforeAll(async () => {
      storage = await engine.open({ now: () => new Date(clock) });
      await storage.migrate();
    });
    afterAll(async () => {
      await storage?.close();
      await engine.cleanup();
    });

    const tenantPair = async () => {
      const suffix = crypto.randomUUID().slice(0, 8);
      const a = await storage.repos.tenants.ensure({ id: `a-${suffix}`, name: 'Tenant A' });
      const b = await storage.repos.tenants.ensure({ id: `b-${suffix}`, name: 'Tenant B' });
      return [a.id, b.id] as const;
    };

    it('migrates idempotently and reports no pending migrations', async () => {
      expect(await storage.pendingMigrations()).toEqual([]);
      expect(await storage.migrate()).toEqual([]);
      await expect(storage.ping()).resolves.toBeUndefined();
    });

    it('upserts tenants and connections, and keeps tenants apart', async () => {
      const [a, b] = await tenantPair();
      const again = await storage.repos.tenants.ensure({
        id: a,
        name: 'Renamed',
        settings: { pollEvery: 60 },
      });
      expect(again).toMatchObject({ id: a, name: 'Renamed', active: true, settings: { pollEvery: 60 } });

      const c1 = await storage.repos.connections.save({
        tenantId: a,
        kind: 'ups',
        sealedCredentials: 'v1:aaa',
        settings: { env: 'cie' },
      });
      const c2 = await storage.repos.connections.save({
        tenantId: a,
        kind: 'ups',
        sealedCredentials: 'v1:bbb',
        settings: { env: 'prod' },
      });
      expect(c2.id).toBe(c1.id);
      expect(c2).toMatchObject({ sealedCredentials: 'v1:bbb', settings: { env: 'prod' } });
      await storage.repos.connections.save({ tenantId: b, kind: 'ups', sealedCredentials: 'v1:other' });

      const listA = await storage.repos.connections.list(a);
      expect(listA.map((c) => c.sealedCredentials)).toEqual(['v1:bbb']);
      expect(await storage.repos.connections.get(b, c1.id)).toBeNull();
    });

    it('replaces a sealed credential only when it still holds the expected value', async () => {
      const [a] = await tenantPair();
      const c = await storage.repos.connections.save({
        tenantId: a,
        kind: 'fusion',
        sealedCredentials: 'v1:old',
      });
      const listed = (await storage.repos.connections.listSealedCredentials()).find((x) => x.id === c.id);
      expect(listed).toEqual({ id: c.id, tenantId: a, sealed: 'v1:old' });
      expect(await storage.repos.connections.replaceSealedCredential(c.id, 'v1:stale', 'v2:new')).toBe(false);
      expect(await storage.repos.connections.replaceSealedCredential(c.id, 'v1:old', 'v2:new')).toBe(true);
      expect(await storage.repos.connections.replaceSealedCredential(c.id, 'v1:old', 'v2:newer')).toBe(false);
      expect((await storage.repos.connections.get(a, c.id))?.sealedCredentials).toBe('v2:new');

      const w = await storage.repos.webhookCredentials.add({
        tenantId: a,
        kind: 'track-alert-v1',
        sealedSecret: 'v1:hook',
      });
      expect(await storage.repos.webhookCredentials.replaceSealedCredential(w.id, 'v1:hook', 'v2:hook')).toBe(
        true,
      );
      expect(
        (await storage.repos.webhookCredentials.listActive(a, 'track-alert-v1')).map((x) => x.sealedSecret),
      ).toEqual(['v2:hook']);
    });

    it('orders mapping rules by precedence and replaces a rule set atomically', async () => {
      const [a, b] = await tenantPair();
      await storage.repos.mappingRules.replaceAll(a, 'account', [
        { precedence: 20, name: 'by supplier', match: { supplier: 'ACME' }, action: { shipperNumber: 'A1' } },
        {
          precedence: 10,
          name: 'by site',
          match: { supplierSite: 'ACME-1' },
          action: { shipperNumber: 'A2' },
        },
        { precedence: 30, name: 'off', match: {}, action: {}, enabled: false },
      ]);
      await storage.repos.mappingRules.add(b, {
        ruleSet: 'account',
        precedence: 1,
        name: 'b',
        match: {},
        action: {},
      });
      const rules = await storage.repos.mappingRules.list(a, 'account', { enabledOnly: true });
      expect(rules.map((r) => [r.precedence, r.name, r.action])).toEqual([
        [10, 'by site', { shipperNumber: 'A2' }],
        [20, 'by supplier', { shipperNumber: 'A1' }],
      ]);
      await storage.repos.mappingRules.replaceAll(a, 'account', [
        { precedence: 5, name: 'only', match: {}, action: {} },
      ]);
      expect((await storage.repos.mappingRules.list(a, 'account')).map((r) => r.name)).toEqual(['only']);
      expect((await storage.repos.mappingRules.list(b, 'account')).map((r) => r.name)).toEqual(['b']);
    });

    it('advances a watermark only forward and merges ids at the same instant', async () => {
      const [a, b] = await tenantPair();
      const t1 = new Date('2026-02-01T10:00:00Z');
      const t2 = new Date('2026-02-01T10:05:00Z');
      expect(await storage.repos.watermarks.get(a, 'fusion-po')).toBeNull();
      await storage.repos.watermarks.advance(a, 'fusion-po', {
        lastUpdateDate: t1,
        idsAtWatermark: ['1', '2'],
      });
      const merged = await storage.repos.watermarks.advance(a, 'fusion-po', {
        lastUpdateDate: t1,
        idsAtWatermark: ['3'],
      });
      expect(merged.idsAtWatermark).toEqual(['1', '2', '3']);
      const forward = await storage.repos.watermarks.advance(a, 'fusion-po', {
        lastUpdateDate: t2,
        idsAtWatermark: ['9'],
      });
      expect(forward).toMatchObject({ lastUpdateDate: t2, idsAtWatermark: ['9'] });
      const back = await storage.repos.watermarks.advance(a, 'fusion-po', {
        lastUpdateDate: t1,
        idsAtWatermark: ['4'],
      });
      expect(back).toMatchObject({ lastUpdateDate: t2, idsAtWatermark: ['9'] });
      expect(await storage.repos.watermarks.get(b, 'fusion-po')).toBeNull();
    });

    it('records a PO once per revision and moves steps by compare-and-set', async () => {
      const [a, b] = await tenantPair();
      const repo = storage.repos.purchaseOrders;
      const first = await repo.recordSeen(a, {
        poHeaderId: '3001',
        revision: 0,
        poNumber: 'PO1',
        payload: { x: 1 },
        payloadHash: 'h1',
      });
      expect(first).toMatchObject({
        created: true,
        changed: false,
        po: { state: 'pending', step: 'select', payload: { x: 1 } },
      });
      expect(
        (await repo.recordSeen(a, { poHeaderId: '3001', revision: 0, payload: { x: 1 }, payloadHash: 'h1' }))
          .created,
      ).toBe(false);
      const changed = await repo.recordSeen(a, {
        poHeaderId: '3001',
        revision: 0,
        payload: { x: 2 },
        payloadHash: 'h2',
      });
      expect(changed).toMatchObject({ created: false, changed: true, po: { payload: { x: 2 } } });
      await repo.recordSeen(a, { poHeaderId: '3001', revision: 1, payload: {}, payloadHash: 'r1' });
      expect((await repo.latest(a, '3001'))?.revision).toBe(1);
      expect(await repo.get(b, '3001', 0)).toBeNull();

      const k = { tenantId: a, poHeaderId: '3001', revision: 0 };
      const results = await Promise.all([
        repo.advance(k, { fromStep: 'select', toStep: 'map', context: { selected: true } }),
        repo.advance(k, { fromStep: 'select', toStep: 'map', context: { selected: true } }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await repo.advance(k, { fromStep: 'select', toStep: 'map' })).toBe(false);
      await repo.advance(k, { fromStep: 'map', toStep: 'address', context: { shipperNumber: 'A1' } });
      expect((await repo.get(a, '3001', 0))?.context).toEqual({ selected: true, shipperNumber: 'A1' });

      const retryAt = new Date(clock + 60_000);
      expect(
        await repo.recordTransientFailure(k, {
          error: 'HTTP 503',
          nextAttemptAt: retryAt,
          maxTransientFailures: 2,
        }),
      ).toBe('retry_wait');
      expect((await repo.listDue(a)).map((p) => `${p.poHeaderId}/${p.revision}`)).toEqual(['3001/1']);
      advance(61_000);
      expect((await repo.listDue(a)).map((p) => `${p.poHeaderId}/${p.revision}`).sort()).toEqual([
        '3001/0',
        '3001/1',
      ]);
      expect(
        await repo.recordTransientFailure(k, {
          error: 'HTTP 503',
          nextAttemptAt: retryAt,
          maxTransientFailures: 2,
        }),
      ).toBe('flagged');
      expect(await repo.get(a, '3001', 0)).toMatchObject({ state: 'flagged', lastError: 'HTTP 503' });
      expect(await repo.listDue(b)).toEqual([]);
    });

    it('keeps one shipment intent per PO revision and package set', async () => {
      const [a, b] = await tenantPair();
      const key = { poHeaderId: '77', revision: 2, packageSetHash: 'pkg-hash' };
      const [x, y] = await Promise.all([
        storage.repos.shipments.recordIntent(a, key),
        storage.repos.shipments.recordIntent(a, key),
      ]);
      expect(x.shipment.id).toBe(y.shipment.id);
      expect([x.created, y.created].sort()).toEqual([false, true]);
      expect(x.shipment.state).toBe('intent_recorded');
      const other = await storage.repos.shipments.recordIntent(b, key);
      expect(other.created).toBe(true);
      expect(other.shipment.id).not.toBe(x.shipment.id);
      expect((await storage.repos.shipments.listByPo(a, '77')).map((s) => s.id)).toEqual([x.shipment.id]);
      expect(await storage.repos.shipments.get(b, x.shipment.id)).toBeNull();
    });

    it('enforces the shipment state machine with conditional updates', async () => {
      const [a] = await tenantPair();
      const repo = storage.repos.shipments;
      const { shipment } = await repo.recordIntent(a, { poHeaderId: '88', revision: 0, packageSetHash: 'h' });
      await expect(repo.transition(a, shipment.id, 'intent_recorded', 'shipped')).rejects.toThrow(
        IllegalShipmentTransitionError,
      );
      await expect(repo.transition(a, shipment.id, 'in_doubt', 'shipped')).rejects.toThrow(ConflictError);

      const attempts = await Promise.allSettled([
        repo.transition(a, shipment.id, 'intent_recorded', 'submitting'),
        repo.transition(a, shipment.id, 'intent_recorded', 'submitting'),
      ]);
      expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(attempts.find((r) => r.status === 'rejected')).toMatchObject({
        reason: expect.any(ConflictError),
      });

      await repo.transition(a, shipment.id, 'submitting', 'in_doubt', 'timeout after 30s');
      const shipped = await repo.markShipped(a, shipment.id, 'in_doubt', {
        trackingNumber: '1Z999AA10000000001',
        upsShipmentId: '1Z999AA10000000001',
        charges: { amount: '12.34', currency: 'USD' },
        packages: [
          { seq: 1, trackingNumber: '1Z999AA10000000001', label: { format: 'GIF', imageBase64: 'R0lGODlh' } },
          { seq: 2, trackingNumber: '1Z999AA10000000002', label: { format: 'GIF', imageBase64: 'R0lGODlj' } },
        ],
      });
      expect(shipped).toMatchObject({
        state: 'shipped',
        trackingStatus: 'label_created',
        charges: { amount: '12.34', currency: 'USD' },
      });
      const labels = await storage.repos.packages.labelsForShipment(a, shipment.id);
      expect(labels.map((l) => l.imageBase64)).toEqual(['R0lGODlh', 'R0lGODlj']);
      expect((await repo.findByTrackingNumber(a, '1Z999AA10000000002'))?.id).toBe(shipment.id);

      const dup = await repo.recordDuplicate(a, shipment.id, {
        trackingNumber: '1Z999AA10000000009',
        upsShipmentId: '1Z999AA10000000009',
        packages: [],
      });
      expect(dup).toMatchObject({ state: 'void_requested', dupSeq: 1, duplicateOf: shipment.id });
      await repo.transition(a, dup.id, 'void_requested', 'voided');
      await expect(repo.transition(a, dup.id, 'voided', 'void_requested')).rejects.toThrow(
        /voided → void_requested/,
      );
    });

    it('moves the carrier status forward in time only', async () => {
      const [a] = await tenantPair();
      const repo = storage.repos.shipments;
      const { shipment } = await repo.recordIntent(a, { poHeaderId: '99', revision: 0, packageSetHash: 'h' });
      const t = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
      expect(await repo.updateTrackingStatus(a, shipment.id, { status: 'in_transit', at: t(10) })).toBe(true);
      expect(
        await repo.updateTrackingStatus(a, shipment.id, {
          status: 'delivered',
          at: t(12),
          deliveredAt: t(12),
        }),
      ).toBe(true);
      expect(await repo.updateTrackingStatus(a, shipment.id, { status: 'in_transit', at: t(11) })).toBe(
        false,
      );
      expect(await repo.updateTrackingStatus(a, shipment.id, { status: 'exception', at: t(13) })).toBe(false);
      expect(await repo.get(a, shipment.id)).toMatchObject({
        trackingStatus: 'delivered',
        deliveredAt: t(12),
      });
    });

    it('stores a tracking event once per (number, GMT date, GMT time, status code)', async () => {
      const [a, b] = await tenantPair();
      const event: TrackingEvent = {
        trackingNumber: '1Z999AA10123456784 ',
        status: 'in_transit',
        upsStatusType: 'I',
        upsStatusCode: 'DP',
        description: 'Departed from facility',
        occurredAt: new Date('2026-03-02T14:05:09Z'),
        location: { city: 'Louisville', countryCode: 'US' },
        source: 'track-alert',
      };
      expect((await storage.repos.trackingEvents.record(a, event, null)).inserted).toBe(true);
      expect(
        (await storage.repos.trackingEvents.record(a, { ...event, source: 'quantum-view' }, null)).inserted,
      ).toBe(false);
      expect(
        (await storage.repos.trackingEvents.record(a, { ...event, upsStatusCode: 'AR' }, null)).inserted,
      ).toBe(true);
      expect((await storage.repos.trackingEvents.record(b, event, null)).inserted).toBe(true);
      const stored = await storage.repos.trackingEvents.listByTrackingNumber(a, '1Z999AA10123456784');
      expect(stored).toHaveLength(2);
      expect(stored[0]).toMatchObject({
        gmtDate: '20260302',
        gmtTime: '140509',
        location: { city: 'Louisville' },
      });
    });

    it('lists subscriptions due for renewal, excluding delivered shipments', async () => {
      const [a, b] = await tenantPair();
      const subs = storage.repos.trackingSubscriptions;
      const s1 = (
        await storage.repos.shipments.recordIntent(a, { poHeaderId: '1', revision: 0, packageSetHash: 'h' })
      ).shipment;
      const s2 = (
        await storage.repos.shipments.recordIntent(a, { poHeaderId: '2', revision: 0, packageSetHash: 'h' })
      ).shipment;
      const at = new Date(clock);
      await subs.recordSubscribed(
        a,
        [
          { trackingNumber: 'T1', shipmentId: s1.id },
          { trackingNumber: 'T2', shipmentId: s2.id },
        ],
        at,
      );
      await subs.recordSubscribed(b, [{ trackingNumber: 'T1' }], at);
      expect((await subs.get(a, 'T1'))?.expiresAt).toEqual(new Date(at.getTime() + 14 * 86_400_000));
      await storage.repos.shipments.updateTrackingStatus(a, s2.id, { status: 'delivered', at });
      const horizon = new Date(at.getTime() + 14 * 86_400_000 + 1);
      expect((await subs.listDueForRenewal(a, horizon)).map((s) => s.trackingNumber)).toEqual(['T1']);
      expect(await subs.listDueForRenewal(a, new Date(at.getTime() + 86_400_000))).toEqual([]);
      await subs.markFallback(a, 'T1', 'renewal failed: 503');
      expect(
        (await subs.listFallback(a)).map((s) => [s.trackingNumber, s.fallback, s.renewFailures]),
      ).toEqual([['T1', true, 1]]);
      expect(await subs.listDueForRenewal(a, horizon)).toEqual([]);
    });

    it('keeps raw Quantum View pages until processed and write-backs once per change', async () => {
      const [a] = await tenantPair();
      const raw = JSON.stringify({ QuantumViewResponse: { Bookmark: 'bm1', big: 'x'.repeat(20_000) } });
      const page = await storage.repos.quantumView.saveRaw(a, {
        subscriptionName: 'sub',
        bookmark: 'bm1',
        raw,
      });
      expect((await storage.repos.quantumView.listUnprocessed(a)).map((p) => p.raw)).toEqual([raw]);
      expect(await storage.repos.quantumView.lastBookmark(a, 'sub')).toBe('bm1');
      expect(await storage.repos.quantumView.markProcessed(a, page.id)).toBe(true);
      expect(await storage.repos.quantumView.markProcessed(a, page.id)).toBe(false);
      expect(await storage.repos.quantumView.listUnprocessed(a)).toEqual([]);

      const input = {
        poHeaderId: '5',
        kind: 'status' as const,
        changeKey: 's1:delivered',
        method: 'flexfield' as const,
      };
      const first = await storage.repos.writeBacks.record(a, input);
      const second = await storage.repos.writeBacks.record(a, input);
      expect([first.created, second.created]).toEqual([true, false]);
      expect(await storage.repos.writeBacks.markDone(a, first.writeBack.id, { ok: true })).toBe(true);
      expect(await storage.repos.writeBacks.markDone(a, first.writeBack.id)).toBe(false);
      expect(await storage.repos.writeBacks.listOpen(a)).toEqual([]);
    });

    it('appends audit entries and lists them by PO and by filter', async () => {
      const [a, b] = await tenantPair();
      const audit = storage.repos.audit;
      await audit.append({ tenantId: a, poHeaderId: '10', step: 'poll', outcome: 'ok' });
      await audit.append({
        tenantId: a,
        poHeaderId: '10',
        step: 'ship',
        outcome: 'error',
        message: 'timeout',
        call: {
          system: 'ups',
          method: 'POST',
          path: '/api/shipments/v2409/ship',
          status: null,
          durationMs: 30000,
          externalIds: { transId: 't1' },
        },
      });
      await audit.append({ tenantId: b, poHeaderId: '10', step: 'ship', outcome: 'error' });
      const history = await audit.listByPo(a, '10');
      expect(history.map((e) => e.step)).toEqual(['poll', 'ship']);
      expect(history[1]?.call).toMatchObject({ system: 'ups', externalIds: { transId: 't1' } });
      expect((await audit.listByPo(a, '10', { limit: 1 })).map((e) => e.step)).toEqual(['ship']);
      expect((await audit.query({ tenantId: a, outcome: 'error' })).map((e) => e.message)).toEqual([
        'timeout',
      ]);
      expect(await audit.query({ tenantId: a, since: new Date(clock + 1) })).toEqual([]);
      expect('update' in audit || 'delete' in audit).toBe(false);
    });

    it('claims jobs with leases; expired leases are reclaimable, stale owners lose', async () => {
      const [a, b] = await tenantPair();
      const jobs = storage.repos.jobs;
      const j1 = await jobs.enqueue(a, 'poll', { n: 1 });
      await jobs.enqueue(a, 'poll', { n: 2 });
      await jobs.enqueue(b, 'poll', { n: 3 });
      await jobs.enqueue(a, 'poll', { n: 4 }, { runAt: new Date(clock + 3_600_000) });

      const w1 = await jobs.claim(a, 'poll', 'w1', 30_000, 10);
      expect(w1.map((j) => (j.payload as { n: number }).n).sort()).toEqual([1, 2]);
      expect(await jobs.claim(a, 'poll', 'w2', 30_000, 10)).toEqual([]);
      expect(await jobs.heartbeat(a, j1.id, 'w1', 30_000)).toBe(true);

      advance(31_000);
      const w2 = await jobs.claim(a, 'poll', 'w2', 30_000, 1);
      expect(w2).toHaveLength(1);
      expect(w2[0]).toMatchObject({ leaseOwner: 'w2', attempts: 2 });
      const stolen = w2[0]!.id;
      expect(await jobs.complete(a, stolen, 'w1')).toBe(false);
      expect(await jobs.complete(a, stolen, 'w2')).toBe(true);
      expect(await jobs.fail(a, stolen, 'w2', 'x', null)).toBe(false);

      const rest = await jobs.claim(null, 'poll', 'w3', 30_000, 10);
      expect(rest.map((j) => j.tenantId).sort()).toEqual([a, b].sort());
      const ofA = rest.find((j) => j.tenantId === a)!;
      expect(await jobs.fail(a, ofA.id, 'w3', 'HTTP 500', new Date(clock + 5_000))).toBe(true);
      expect(await jobs.claim(a, 'poll', 'w4', 30_000, 10)).toEqual([]);
      advance(5_000);
      expect((await jobs.claim(a, 'poll', 'w4', 30_000, 10)).map((j) => j.lastError)).toEqual(['HTTP 500']);

      const d1 = await jobs.enqueue(a, 'renew', null, { dedupeKey: 'daily' });
      const d2 = await jobs.enqueue(a, 'renew', null, { dedupeKey: 'daily' });
      expect(d2.id).toBe(d1.id);
    });

    it('rolls a transaction back as a whole', async () => {
      const [a] = await tenantPair();
      await expect(
        storage.transaction(async ({ repos }) => {
          await repos.audit.append({ tenantId: a, step: 'tx', outcome: 'info' });
          await repos.shipments.recordIntent(a, { poHeaderId: 'tx', revision: 0, packageSetHash: 'h' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await storage.repos.audit.query({ tenantId: a })).toEqual([]);
      expect(await storage.repos.shipments.listByPo(a, 'tx')).toEqual([]);
    });
  });
}
