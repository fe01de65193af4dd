import { describe, expect, it } from 'vitest';
import { buildPackages } from './build-packages.js';
import { groupHash } from './shipment-groups.js';
import { StepFailure } from './failures.js';
import { recoverIntent } from './recover-in-doubt.js';
import { shipOnce, type ShipDeps, type ShipInput } from './ship.js';
import { FakeUps } from './testing/fake-systems.js';
import { DEFAULT_MAPPING, makePo, SUPPLIER_SITE, TENANT, WAREHOUSE } from './testing/fixtures.js';
import { ManualClock, MemoryAudit, MemoryShipments } from './testing/memory-stores.js';

function setup(confirmAfterMs = 0, submitGraceMs = 60_000) {
  const clock = new ManualClock();
  const ups = new FakeUps();
  const shipments = new MemoryShipments(clock);
  const audit = new MemoryAudit();
  const deps: ShipDeps = { tenantId: TENANT, ups, shipments, audit, clock, confirmAfterMs, submitGraceMs };
  const po = makePo();
  const packages = buildPackages(po, DEFAULT_MAPPING);
  const input: ShipInput = {
    po,
    groupKey: 'LOC1',
    mapping: { ...DEFAULT_MAPPING, ruleId: 'default' },
    addresses: { shipper: WAREHOUSE, shipTo: WAREHOUSE, shipFrom: SUPPLIER_SITE },
    packages,
    packageSetHash: groupHash('LOC1', packages),
    serviceCode: '03',
  };
  return { clock, ups, shipments, audit, deps, input, po };
}

async function failureOf(p: Promise<unknown>): Promise<StepFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StepFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('ship exactly once', () => {
  it('persists the intent before calling UPS and sends its id as CustomerContext and reference', async () => {
    const { ups, shipments, deps, input } = setup();
    const statesAtCall: string[] = [];
    const ship = ups.ship.bind(ups);
    ups.ship = async (order) => {
      statesAtCall.push(...shipments.rows.map((r) => r.state));
      return ship(order);
    };
    const shipped = await shipOnce(input, deps);
    expect(statesAtCall).toEqual(['submitting']);
    const row = shipments.rows[0]!;
    expect(row).toMatchObject({
      state: 'shipped',
      poHeaderId: '300100',
      revision: 0,
      packageSetHash: input.packageSetHash,
    });
    expect(ups.ledger[0]!.customerContext).toBe(row.id);
    expect(ups.ledger[0]!.references).toEqual(['US1001', row.id.replace(/-/g, '')]);
    expect(shipments.labels.get(row.id)).toHaveLength(1);
    expect(shipped.trackingNumbers).toEqual(ups.ledger[0]!.trackingNumbers);
  });

  it('a second run adopts the live shipment instead of calling UPS again', async () => {
    const { ups, deps, input } = setup();
    const first = await shipOnce(input, deps);
    const second = await shipOnce(input, deps);
    expect(second).toEqual(first);
    expect(ups.shipCalls).toBe(1);
  });

  it('UPS accepted but the response failed: in doubt, then recovery adopts the label and never ships twice', async () => {
    const { ups, shipments, deps, input } = setup();
    ups.nextShipFault = 'accept-then-fail';
    const failure = await failureOf(shipOnce(input, deps));
    expect(failure).toMatchObject({ kind: 'transient', category: 'in-doubt' });
    expect(shipments.rows[0]!.state).toBe('in_doubt');

    const shipped = await shipOnce(input, deps);
    expect(ups.shipCalls).toBe(1);
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(shipped.trackingNumbers).toEqual(ups.ledger[0]!.trackingNumbers);
    expect(shipments.rows.map((r) => r.state)).toEqual(['shipped']);
    expect(shipments.labels.get(shipments.rows[0]!.id)).toHaveLength(1);
  });

  it('a crash between UPS accepting and our commit leaves "submitting"; the next run recovers instead of shipping', async () => {
    const { ups, shipments, deps, input, clock } = setup();
    shipments.failNextRecordShipped = true; // the process dies after /ship returned, before the commit
    await expect(shipOnce(input, deps)).rejects.toThrow('simulated crash before commit');
    expect(shipments.rows[0]!.state).toBe('submitting');
    expect(ups.ledger).toHaveLength(1);

    // Within the grace period the row might still be in flight elsewhere: left alone, nothing shipped.
    expect((await failureOf(shipOnce(input, deps))).kind).toBe('transient');
    expect(shipments.rows[0]!.state).toBe('submitting');
    clock.advance(60_000);
    await shipOnce(input, deps);
    expect(ups.shipCalls).toBe(1);
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(shipments.rows[0]!.state).toBe('shipped');
  });

  it('waits out the confirmation window before treating "not found" as absent, then ships under the same intent', async () => {
    const { ups, shipments, deps, input, clock } = setup(120_000);
    ups.nextShipFault = 'transient'; // timed out before UPS made anything
    await failureOf(shipOnce(input, deps));
    const intentId = shipments.rows[0]!.id;

    const early = await failureOf(shipOnce(input, deps));
    expect(early.message).toContain('in doubt');
    expect(ups.shipCalls).toBe(1);

    clock.advance(121_000);
    const shipped = await shipOnce(input, deps);
    expect(ups.shipCalls).toBe(2);
    expect(shipped.id).toBe(intentId);
    expect(ups.ledger[0]!.customerContext).toBe(intentId);
    expect(shipments.rows).toHaveLength(1);
  });

  it('voids duplicates found by reference and keeps exactly one live label', async () => {
    const { ups, shipments, deps, input, audit } = setup();
    ups.nextShipFault = 'accept-then-fail';
    await failureOf(shipOnce(input, deps));
    const intent = shipments.rows[0]!;
    // A second label under the same reference (e.g. an earlier process re-sent before this one existed).
    await ups.ship({
      account: input.mapping.account,
      serviceCode: '03',
      labelFormat: 'GIF',
      shipper: WAREHOUSE,
      shipFrom: SUPPLIER_SITE,
      shipTo: WAREHOUSE,
      packages: input.packages.map((p) => ({ ...p, references: ['US1001', intent.id.replace(/-/g, '')] })),
      customerContext: intent.id,
    });
    expect(ups.liveLabelsFor('US1001')).toHaveLength(2);

    expect(await recoverIntent(shipments.rows[0]!, input.mapping.account, deps)).toBe('adopted');
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(shipments.rows.map((r) => [r.state, r.duplicateOf === null])).toEqual([
      ['shipped', true],
      ['voided', false],
    ]);
    expect(
      audit.entries.some(
        (e) => e.outcome === 'alert' && e.message?.startsWith('voided duplicate UPS shipment'),
      ),
    ).toBe(true);
  });

  it("a hard UPS rejection marks the intent failed and flags with UPS's message; a retry reuses the intent", async () => {
    const { ups, shipments, deps, input } = setup();
    ups.nextShipFault = 'hard';
    const failure = await failureOf(shipOnce(input, deps));
    expect(failure).toMatchObject({ kind: 'hard', message: '120207: Missing/Invalid ShipTo PostalCode' });
    expect(shipments.rows[0]!.state).toBe('failed');
    await shipOnce(input, deps);
    expect(shipments.rows).toHaveLength(1);
    expect(shipments.rows[0]!.state).toBe('shipped');
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
  });

  it('never lets two workers submit the same intent', async () => {
    const { ups, deps, input } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const ship = ups.ship.bind(ups);
    ups.ship = async (order) => {
      await gate;
      return ship(order);
    };
    const first = shipOnce(input, deps);
    await new Promise((r) => setTimeout(r, 5));
    const second = failureOf(shipOnce(input, deps)); // sees "submitting" → must not call /ship
    release();
    await first;
    expect((await second).kind).toBe('transient');
    expect(ups.shipCalls).toBe(1);
  });
});
