/**
 * Recovery of in-doubt ship intents when UPS is less tidy than the happy path: its reference indexes lag,
 * the process dies between adopting a shipment and voiding a duplicate, voids fail transiently, label
 * recovery does not name the shipment, and the buyer closes the PO while it waits. In every case one live
 * label per intent remains and nothing is shipped twice.
 */
import { describe, expect, it } from 'vitest';
import { buildPackages } from './build-packages.js';
import { StepFailure } from './failures.js';
import type { PoRecord } from './ports.js';
import { recoverIntent } from './recover-in-doubt.js';
import { shipOnce, type ShipDeps, type ShipInput } from './ship.js';
import { groupHash } from './shipment-groups.js';
import { FakeUps } from './testing/fake-systems.js';
import { DEFAULT_MAPPING, makePo, SUPPLIER_SITE, TENANT, WAREHOUSE } from './testing/fixtures.js';
import { ManualClock, MemoryAudit, MemoryPoStore, MemoryShipments } from './testing/memory-stores.js';
import { voidLeftoverDuplicates } from './void-leftover-duplicates.js';

const CONFIRM = 120_000;
const GRACE = 60_000;

function setup(po = makePo()) {
  const clock = new ManualClock();
  const ups = new FakeUps();
  const shipments = new MemoryShipments(clock);
  const audit = new MemoryAudit();
  const pos = new MemoryPoStore();
  const deps: ShipDeps = {
    tenantId: TENANT,
    ups,
    shipments,
    audit,
    clock,
    confirmAfterMs: CONFIRM,
    submitGraceMs: GRACE,
  };
  const packages = buildPackages(po, DEFAULT_MAPPING);
  const mapping = { ...DEFAULT_MAPPING, ruleId: 'default' };
  const input: ShipInput = {
    po,
    groupKey: 'LOC1',
    mapping,
    addresses: { shipper: WAREHOUSE, shipTo: WAREHOUSE, shipFrom: SUPPLIER_SITE },
    packages,
    packageSetHash: groupHash('LOC1', packages),
    serviceCode: '03',
  };
  const leftovers = () =>
    voidLeftoverDuplicates({
      tenantId: TENANT,
      ups,
      shipments,
      pos,
      audit,
      clock,
      graceMs: GRACE,
      withPoLease: (_id, work) => work(),
    });
  return { clock, ups, shipments, audit, pos, deps, input, mapping, leftovers };
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

/** The pipeline's record of the PO, holding the UPS account the sweep voids with. */
function poRecord(
  input: ShipInput,
  mapping: ShipInput['mapping'],
  clock: ManualClock,
  step: 'ship' | 'done',
): PoRecord {
  return {
    tenantId: TENANT,
    poHeaderId: input.po.poHeaderId,
    orderNumber: 'US1001',
    revision: 0,
    lastUpdateDate: clock.now(),
    state: step === 'done' ? 'done' : 'pending',
    step,
    reason: null,
    attempts: 0,
    nextAttemptAt: null,
    context: { mapping },
  };
}

/** A second label under the intent's reference, as an earlier, lost submission would have made. */
async function secondLabel(ups: FakeUps, input: ShipInput, intentId: string) {
  await ups.ship({
    account: input.mapping.account,
    serviceCode: '03',
    labelFormat: 'GIF',
    shipper: WAREHOUSE,
    shipFrom: SUPPLIER_SITE,
    shipTo: WAREHOUSE,
    packages: input.packages.map((p) => ({ ...p, references: ['US1001', intentId.replace(/-/g, '')] })),
    customerContext: intentId,
  });
}

describe('recovery of in-doubt intents', () => {
  it('a crashed "submitting" row is not absent on its first empty lookup: the window starts there', async () => {
    const { clock, ups, shipments, deps, input } = setup();
    const intent = await shipments.createIntent({
      tenantId: TENANT,
      poHeaderId: input.po.poHeaderId,
      revision: 0,
      packageSetHash: input.packageSetHash,
    });
    await shipments.transition(TENANT, intent.id, 'intent_recorded', 'submitting');
    clock.advance(CONFIRM + 10_000); // found long after the crash
    const row = () => shipments.rows.find((r) => r.id === intent.id)!;

    expect(await recoverIntent(row(), input.mapping.account, deps)).toBe('unknown');
    expect(row().state).toBe('in_doubt');
    clock.advance(CONFIRM - 1_000);
    expect(await recoverIntent(row(), input.mapping.account, deps)).toBe('unknown');
    clock.advance(2_000);
    expect(await recoverIntent(row(), input.mapping.account, deps)).toBe('absent');
    expect(ups.shipCalls).toBe(0);
  });

  it('tracking by reference still empty: label recovery by reference finds the label, which is adopted', async () => {
    const { clock, ups, shipments, deps, input } = setup();
    ups.nextShipFault = 'accept-then-fail';
    await failureOf(shipOnce(input, deps));
    ups.trackingByReferenceLags = true;
    clock.advance(CONFIRM + 1_000);

    const shipped = await shipOnce(input, deps);
    expect(ups.shipCalls).toBe(1);
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(shipped.trackingNumbers).toEqual(ups.ledger[0]!.trackingNumbers);
    expect(shipments.rows[0]!.state).toBe('shipped');
  });

  it('both indexes empty past the window: absent, shipped again under the same intent', async () => {
    const { clock, ups, shipments, deps, input } = setup();
    ups.nextShipFault = 'transient'; // timed out before UPS made anything
    await failureOf(shipOnce(input, deps));
    clock.advance(CONFIRM + 1_000);
    const shipped = await shipOnce(input, deps);
    expect(ups.shipCalls).toBe(2);
    expect(shipped.id).toBe(shipments.rows[0]!.id);
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
  });

  it('a crash right after adopting: the duplicate was recorded first, and the next cycle voids it', async () => {
    const { ups, shipments, audit, pos, deps, input, mapping, clock, leftovers } = setup();
    ups.nextShipFault = 'accept-then-fail';
    await failureOf(shipOnce(input, deps));
    const intent = shipments.rows[0]!;
    await secondLabel(ups, input, intent.id);
    await pos.save(poRecord(input, mapping, clock, 'ship'));
    const record = audit.record.bind(audit);
    audit.record = async (entry) => {
      if (entry.message?.startsWith('adopted UPS shipment')) throw new Error('process killed');
      return record(entry);
    };
    await expect(recoverIntent(intent, mapping.account, deps)).rejects.toThrow('process killed');
    audit.record = record;
    expect(shipments.rows.map((r) => r.state)).toEqual(['shipped', 'void_requested']);
    expect(ups.liveLabelsFor('US1001')).toHaveLength(2);

    // The intent is shipped, so the PO will never come back to recovery: the cycle's sweep voids it.
    expect(await leftovers()).toEqual({ voided: 0, pending: 0 }); // still within the grace period
    clock.advance(GRACE);
    expect(await leftovers()).toEqual({ voided: 1, pending: 0 });
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);
    expect(shipments.rows.map((r) => r.state)).toEqual(['shipped', 'voided']);
  });

  it('a void that fails transiently stays requested and is retried; a hard refusal goes to void_failed', async () => {
    const { ups, shipments, pos, deps, input, mapping, clock, leftovers } = setup();
    ups.nextShipFault = 'accept-then-fail';
    await failureOf(shipOnce(input, deps));
    const intent = shipments.rows[0]!;
    await secondLabel(ups, input, intent.id);
    await pos.save(poRecord(input, mapping, clock, 'done'));
    ups.failVoids = 2;
    expect(await recoverIntent(intent, mapping.account, deps)).toBe('adopted');
    expect(shipments.rows[1]!.state).toBe('void_requested');
    clock.advance(GRACE);
    expect(await leftovers()).toEqual({ voided: 0, pending: 1 }); // second 503
    expect(await leftovers()).toEqual({ voided: 1, pending: 0 });
    expect(ups.liveLabelsFor('US1001')).toHaveLength(1);

    // Hard: UPS no longer knows the shipment (outside the void window).
    const third = await shipments.recordDuplicate(TENANT, intent.id, '1Z999AA10000009999', [
      '1Z999AA10000009999',
    ]);
    clock.advance(GRACE);
    await leftovers();
    expect(shipments.rows.find((r) => r.id === third.id)!.state).toBe('void_failed');
  });

  it('packages whose label recovery does not name the shipment stay with the adopted one, never voided', async () => {
    const po = makePo();
    po.lines = [po.lines[0]!, { ...po.lines[0]!, lineNumber: 2 }];
    const { ups, shipments, deps, input, clock } = setup(po);
    expect(input.packages.length).toBeGreaterThan(0);
    const twoPackages: ShipInput = { ...input, packages: [input.packages[0]!, input.packages[0]!] };
    ups.nextShipFault = 'accept-then-fail';
    await failureOf(shipOnce(twoPackages, deps));
    const recover = ups.recoverLabel.bind(ups);
    ups.recoverLabel = async (account, tn) => {
      const r = await recover(account, tn);
      return r && { ...r, shipmentIdentificationNumber: null };
    };
    clock.advance(CONFIRM + 1_000);
    const shipped = await shipOnce(twoPackages, deps);
    expect(shipped.trackingNumbers).toHaveLength(2);
    expect(ups.ledger[0]!.voided).toBe(false);
    expect(shipments.rows).toHaveLength(1);
    expect(ups.shipCalls).toBe(1);
  });

  it('a PO closed while its intent was in doubt gets no new label once absence is proven', async () => {
    const { ups, deps, input, clock } = setup();
    ups.nextShipFault = 'transient';
    await failureOf(shipOnce(input, deps));
    clock.advance(CONFIRM + 1_000);
    const closed: ShipInput = { ...input, po: { ...input.po, statusCode: 'CLOSED' } };
    const failure = await failureOf(shipOnce(closed, deps));
    expect(failure).toMatchObject({ kind: 'hard', category: 'po-status' });
    expect(failure.message).toContain('CLOSED');
    expect(ups.shipCalls).toBe(1);
  });
});
