import { describe, expect, it } from 'vitest';
import { createPipeline } from './runner.js';
import { createHarness, makePo, TENANT, testSettings, WAREHOUSE } from './testing/fixtures.js';

const seedPos = (h: ReturnType<typeof createHarness>) => {
  h.fusion.put(
    makePo({ poHeaderId: '1', orderNumber: 'US1', lastUpdateDate: new Date('2026-03-02T09:01:00Z') }),
  );
  h.fusion.put(
    makePo({
      poHeaderId: '2',
      orderNumber: 'US2',
      carrier: 'FedEx',
      lastUpdateDate: new Date('2026-03-02T09:02:00Z'),
    }),
  );
  const bad = makePo().lines[0]!;
  h.fusion.put(
    makePo({
      poHeaderId: '3',
      orderNumber: 'US3',
      lastUpdateDate: new Date('2026-03-02T09:03:00Z'),
      lines: [{ ...bad, schedules: [{ ...bad.schedules[0]!, shipToLocationId: 'BAD' }] }],
    }),
  );
  h.fusion.locations.set('BAD', {
    lines: ['1 Nowhere'],
    city: 'Nowhere',
    stateProvince: 'NY',
    postalCode: '00000',
    countryCode: 'US',
  });
  h.ups.validation = (a) =>
    a.city === 'Nowhere'
      ? {
          result: 'ambiguous',
          candidates: [
            { ...a, city: 'Newhere' },
            { ...a, city: 'Nowhen' },
          ],
        }
      : { result: 'valid', address: a };
};

describe('runner', () => {
  it('ships selected POs once, ignores the rest with a reason, flags bad addresses; later cycles ship nothing new', async () => {
    const h = createHarness();
    seedPos(h);
    const cycle = await h.pipeline.runCycle(TENANT);
    expect(cycle.processed).toEqual({ '1': 'done', '2': 'ignored', '3': 'flagged' });

    expect(h.ups.liveLabelsFor('US1')).toHaveLength(1);
    expect(h.fusion.asns.map((a) => a.po.orderNumber)).toEqual(['US1']);
    expect(h.fusion.asns[0]).toMatchObject({
      trackingNumber: h.ups.ledger[0]!.trackingNumbers[0],
      lines: [{ poLineId: 'L1', lineLocationId: 'LL1', quantity: 4 }],
    });
    expect(h.fusion.statuses).toHaveLength(2);
    expect(h.fusion.statuses).toEqual(
      expect.arrayContaining([
        { poHeaderId: '1', status: { status: 'shipped', trackingNumbers: h.ups.ledger[0]!.trackingNumbers } },
        {
          poHeaderId: '3',
          status: {
            status: 'address_needs_correction',
            reason: expect.stringContaining('ship-to address is ambiguous (2 candidates)'),
          },
        },
      ]),
    );
    expect(await h.pos.get(TENANT, '2')).toMatchObject({
      state: 'ignored',
      reason: expect.stringContaining('carrier: FedEx'),
    });
    const flagged = await h.pos.get(TENANT, '3');
    expect(flagged).toMatchObject({
      state: 'flagged',
      step: 'address',
      reason: expect.stringMatching(/^address: address needs correction/),
    });
    expect(flagged?.context.addressCandidates?.[0]?.candidates.map((c) => c.city)).toEqual([
      'Newhere',
      'Nowhen',
    ]);
    expect(h.shipments.rows.map((r) => r.state)).toEqual(['written_back']);
    expect(h.rates.quotes).toHaveLength(1);

    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      const again = await h.pipeline.runCycle(TENANT);
      expect(again.processed).toEqual({});
    }
    expect(h.ups.shipCalls).toBe(1);
    expect(h.fusion.statuses).toHaveLength(2);

    const steps = h.audit.forPo('1').map((e) => `${e.step}:${e.outcome}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'poll:info',
        'select:ok',
        'map:ok',
        'address:ok',
        'packages:ok',
        'rate:ok',
        'ship:ok',
        'write-back:ok',
      ]),
    );
  });

  it('retries a flagged address when the PO changes in Fusion', async () => {
    const h = createHarness();
    seedPos(h);
    await h.pipeline.runCycle(TENANT);
    const po = await h.fusion.getPurchaseOrder('3');
    po.lines[0]!.schedules[0]!.shipToLocationId = 'LOC1';
    h.fusion.put({ ...po, revision: 1, lastUpdateDate: new Date('2026-03-02T09:59:00Z') });
    h.clock.advance(60_000);
    const cycle = await h.pipeline.runCycle(TENANT);
    expect(cycle.processed).toEqual({ '3': 'done' });
    expect(h.ups.liveLabelsFor('US3')).toHaveLength(1);
  });

  it('does not loop when writing the flag status itself creates a new PO revision', async () => {
    const h = createHarness();
    h.fusion.statusBumpsRevision = true;
    h.fusion.now = () => h.clock.now();
    seedPos(h);
    await h.pipeline.runCycle(TENANT);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(60_000);
      await h.pipeline.runCycle(TENANT);
    }
    const toThree = h.fusion.statuses.filter((s) => s.poHeaderId === '3');
    expect(toThree).toHaveLength(1);
    expect(await h.pos.get(TENANT, '3')).toMatchObject({ state: 'flagged', revision: 1 });
    expect(h.ups.liveLabelsFor('US1')).toHaveLength(1);
  });

  it('retries transient failures with backoff and flags them at the cap', async () => {
    const h = createHarness(
      testSettings({ backoff: { baseMs: 60_000, maxMs: 600_000, maxAttempts: 3, jitter: 0 } }),
    );
    h.fusion.put(makePo());
    const rate = h.ups.rate.bind(h.ups);
    let failures = 2;
    h.ups.rate = async (q) => {
      if (failures-- > 0)
        throw Object.assign(new Error('503 Service Unavailable'), { kind: 'transient', system: 'ups' });
      return rate(q);
    };
    await h.pipeline.runCycle(TENANT);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      state: 'retrying',
      step: 'rate',
      attempts: 1,
      nextAttemptAt: new Date('2026-03-02T10:01:00Z'),
    });
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({}); // not due yet
    h.clock.advance(60_000);
    await h.pipeline.runCycle(TENANT);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      state: 'retrying',
      attempts: 2,
      nextAttemptAt: new Date('2026-03-02T10:03:00Z'),
    });
    h.clock.advance(120_000);
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'done' });
    expect(h.audit.forPo('300100').filter((e) => e.outcome === 'retry')).toHaveLength(2);

    const h2 = createHarness(testSettings({ backoff: { baseMs: 1, maxMs: 1, maxAttempts: 2, jitter: 0 } }));
    h2.fusion.put(makePo());
    h2.ups.rate = async () => {
      throw Object.assign(new Error('503 Service Unavailable'), { kind: 'transient', system: 'ups' });
    };
    await h2.pipeline.runCycle(TENANT);
    h2.clock.advance(10);
    await h2.pipeline.runCycle(TENANT);
    expect(await h2.pos.get(TENANT, '300100')).toMatchObject({
      state: 'flagged',
      reason: 'ups: gave up after 2 attempts: 503 Service Unavailable',
    });
    expect(h2.fusion.statuses[0]?.status).toMatchObject({ status: 'failed' });
  });

  it("flags hard UPS errors with UPS's message, and retryPo ships after the cause is fixed", async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    h.ups.nextShipFault = 'hard';
    await h.pipeline.runCycle(TENANT);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      state: 'flagged',
      step: 'ship',
      reason: 'ship: 120207: Missing/Invalid ShipTo PostalCode',
    });
    expect(h.fusion.statuses[0]?.status).toEqual({
      status: 'failed',
      reason: 'ship: 120207: Missing/Invalid ShipTo PostalCode',
    });
    expect(await h.pipeline.retryPo(TENANT, '300100')).toBe('done');
    expect(h.ups.liveLabelsFor('US1001')).toHaveLength(1);
  });

  it('resumes at the persisted step: an accepted-but-failed ship is recovered next cycle without a second label', async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    h.ups.nextShipFault = 'accept-then-fail';
    await h.pipeline.runCycle(TENANT);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({ state: 'retrying', step: 'ship' });
    const validations = h.audit.entries.filter((e) => e.step === 'address').length;
    h.clock.advance(60_000);
    await h.pipeline.runCycle(TENANT);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({ state: 'done' });
    expect(h.audit.entries.filter((e) => e.step === 'address').length).toBe(validations); // earlier steps not repeated
    expect(h.ups.shipCalls).toBe(1);
    expect(h.ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(h.fusion.asns).toHaveLength(1);
  });

  it('two workers never process the same PO at once', async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    h.fusion.put(makePo({ poHeaderId: '9', orderNumber: 'US9' }));
    await h.pos.save({
      tenantId: TENANT,
      poHeaderId: '9',
      orderNumber: 'US9',
      revision: 0,
      lastUpdateDate: new Date('2026-03-02T09:00:00Z'),
      state: 'pending',
      step: 'select',
      reason: null,
      attempts: 0,
      nextAttemptAt: null,
      context: {},
    });
    const other = h.newWorker('worker-2');
    const ship = h.ups.ship.bind(h.ups);
    h.ups.ship = async (o) => {
      await new Promise((r) => setTimeout(r, 20));
      return ship(o);
    };
    const outcomes = await Promise.all([h.pipeline.processPo(TENANT, '9'), other.processPo(TENANT, '9')]);
    expect(outcomes.sort()).toEqual(['busy', 'done']);
    expect(h.ups.liveLabelsFor('US9')).toHaveLength(1);
  });

  it('dry-runs a PO: account, ship-from, packages and rate, without a label or any write', async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    const result = await h.pipeline.dryRun(TENANT, '300100');
    expect(result).toMatchObject({
      selected: true,
      mapping: { account: { shipperNumber: 'A1B2C3' }, serviceCode: '03' },
      shipments: [
        {
          shipToLocationId: 'LOC1',
          addresses: { shipFrom: { city: 'San Jose' }, shipTo: { city: 'Albany' } },
          packages: [{ weight: { value: 40, unit: 'LBS' } }],
          rate: { total: { amount: '12.34', currency: 'USD' } },
        },
      ],
    });
    expect(result.stoppedAt).toBeUndefined();
    expect(h.ups.shipCalls).toBe(0);
    expect(h.rates.quotes).toHaveLength(0);
    expect(h.shipments.rows).toHaveLength(0);
    const ignored = await h.pipeline.dryRun(TENANT, '300100').then(() => {
      h.fusion.put(makePo({ carrier: 'DHL' }));
      return h.pipeline.dryRun(TENANT, '300100');
    });
    expect(ignored).toMatchObject({ selected: false, stoppedAt: 'select' });
  });
});

describe('operator void', () => {
  it('voids the live label, flags the PO, and an admin retry ships it again under a new intent', async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    await h.pipeline.runCycle(TENANT);
    const first = h.shipments.rows[0]!;
    expect(await h.pipeline.voidShipment(TENANT, first.id, 'wrong box')).toBe('voided');
    expect(h.ups.liveLabelsFor('US1001')).toHaveLength(0);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      state: 'flagged',
      step: 'ship',
      reason: 'shipment voided by an operator: wrong box',
    });
    h.clock.advance(60_000);
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({});
    expect(await h.pipeline.retryPo(TENANT, '300100')).toBe('done');
    expect(h.ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(h.shipments.rows.map((r) => r.state)).toEqual(['voided', 'written_back']);
    expect(h.shipments.rows[1]!.packageSetHash).toBe(`${first.packageSetHash}:v1`);
    await expect(h.pipeline.voidShipment(TENANT, first.id, 'again')).rejects.toThrow(
      /is voided; only a live label/,
    );
  });
});

describe('frozen POs', () => {
  it('flags a selected PO that is frozen instead of shipping a label it could not write back', async () => {
    const h = createHarness();
    h.fusion.put(makePo({ frozen: true }));
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'flagged' });
    expect(h.ups.shipCalls).toBe(0);
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      reason: expect.stringContaining('frozen: the PO is frozen in Fusion'),
    });
  });
});

describe('several ship-to locations', () => {
  it('ships one UPS shipment per ship-to location, each with its own ASN lines, and writes the status once', async () => {
    const h = createHarness();
    h.fusion.locations.set('LOC2', { ...WAREHOUSE, name: 'Acme East', city: 'Buffalo', postalCode: '14201' });
    const po = makePo();
    const line = po.lines[0]!;
    po.lines.push({
      ...line,
      poLineId: 'L2',
      lineNumber: 2,
      schedules: [{ ...line.schedules[0]!, lineLocationId: 'LL2', shipToLocationId: 'LOC2' }],
    });
    h.fusion.put(po);
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'done' });
    expect(h.ups.ledger).toHaveLength(2);
    expect(h.ups.liveLabelsFor('US1001')).toHaveLength(2);
    expect(h.fusion.asns.map((a) => a.lines.map((l) => l.lineLocationId))).toEqual([['LL1'], ['LL2']]);
    expect(h.fusion.statuses).toEqual([
      {
        poHeaderId: '300100',
        status: { status: 'shipped', trackingNumbers: h.ups.ledger.flatMap((e) => e.trackingNumbers) },
      },
    ]);
    expect(h.shipments.rows.map((r) => r.state)).toEqual(['written_back', 'written_back']);

    // The second group fails hard once; the first group's label is adopted, never re-shipped.
    const h2 = createHarness();
    h2.fusion.locations.set('LOC2', { ...WAREHOUSE, city: 'Buffalo' });
    h2.fusion.put(po);
    const ship = h2.ups.ship.bind(h2.ups);
    let calls = 0;
    h2.ups.ship = async (order) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('503'), { kind: 'transient', name: 'UpsError' });
      return ship(order);
    };
    await h2.pipeline.runCycle(TENANT);
    h2.clock.advance(10 * 60_000);
    expect((await h2.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'done' });
    expect(h2.ups.ledger).toHaveLength(2);
    expect(h2.ups.liveLabelsFor('US1001')).toHaveLength(2);
  });
});

describe('poll and workers', () => {
  it('the poll never overwrites the record of a PO a worker holds, and sets an audit scope per step', async () => {
    const h = createHarness();
    const scopes: string[] = [];
    const pipeline = createPipeline({
      ...h,
      owner: 'scoped',
      random: () => 0,
      tenant: async () => ({ fusion: h.fusion, ups: h.ups, settings: h.settings }),
      scope: (s, fn) => {
        scopes.push(`${s.poHeaderId ?? '-'}:${s.step}`);
        return fn();
      },
    });
    h.fusion.put(makePo());
    await h.leases.tryAcquire(TENANT, 'po:300100', 'someone-else', 60_000);
    const first = await pipeline.runCycle(TENANT);
    expect(first.poll?.queued).toEqual([]);
    expect(await h.pos.get(TENANT, '300100')).toBeNull();
    await h.leases.release(TENANT, 'po:300100', 'someone-else');
    expect((await pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'done' });
    expect(scopes).toEqual(
      expect.arrayContaining([
        '-:poll',
        '300100:read-po',
        '300100:select',
        '300100:address',
        '300100:ship',
        '300100:write-back',
      ]),
    );
  });
});

describe('status changes between poll and processing', () => {
  it('does not ship a PO canceled after it was polled, and picks it up again when it is reopened', async () => {
    const h = createHarness();
    h.fusion.put(makePo());
    const get = h.fusion.getPurchaseOrder.bind(h.fusion);
    h.fusion.getPurchaseOrder = async (id) => ({ ...(await get(id)), statusCode: 'CANCELED' });
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'ignored' });
    expect(await h.pos.get(TENANT, '300100')).toMatchObject({
      reason: 'the PO is CANCELED in Fusion, not OPEN',
    });
    expect(h.ups.shipCalls).toBe(0);
    h.fusion.getPurchaseOrder = get;
    h.fusion.put(makePo({ lastUpdateDate: new Date('2026-03-02T09:58:00Z') }));
    expect((await h.pipeline.runCycle(TENANT)).processed).toEqual({ '300100': 'done' });
  });
});
