import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../clock.js';
import { ITEMS } from './seed-items.js';
import { seedFusion } from './seed-generator.js';
import { DEFAULT_DFF, FusionState } from './state.js';
import { rawPurchaseOrder } from './scenario-routes.js';
import { startClient } from './test-client.js';

const AT = new Date('2026-11-28T12:00:00Z');

function generate(seed: number, poCount: number): FusionState {
  const clock = new SandboxClock();
  clock.freeze(AT);
  const state = new FusionState(clock, DEFAULT_DFF, seed);
  seedFusion(state, { seed, poCount });
  return state;
}

const snapshot = (s: FusionState) => JSON.stringify([...s.purchaseOrders.values()].map(rawPurchaseOrder));

describe('seed generator', () => {
  it('is deterministic for a seed and clock reading, and differs across seeds', () => {
    expect(snapshot(generate(11, 50))).toBe(snapshot(generate(11, 50)));
    expect(snapshot(generate(11, 50))).not.toBe(snapshot(generate(12, 50)));
    const reseeded = generate(11, 50);
    seedFusion(reseeded, { seed: 11, poCount: 50 });
    expect(snapshot(reseeded)).toBe(snapshot(generate(11, 50)));
  });

  it('produces a realistic mix a connector can select from and ignore', () => {
    const pos = [...generate(3, 400).purchaseOrders.values()];
    const count = (pred: (p: (typeof pos)[number]) => boolean) => pos.filter(pred).length;
    const upsOnSchedule = (p: (typeof pos)[number]) =>
      p.header.Carrier === null && p.lines.some((l) => l.schedules.some((s) => s.row.Carrier === 'UPS'));
    expect(count((p) => p.dff.shipViaUps === 'Y')).toBeGreaterThan(100);
    expect(count((p) => p.dff.shipViaUps === 'N')).toBeGreaterThan(0);
    expect(count((p) => p.header.Carrier === 'UPS' && p.dff.__FLEX_Context === null)).toBeGreaterThan(10);
    expect(count(upsOnSchedule)).toBeGreaterThan(10);
    expect(count((p) => p.header.Carrier === 'FedEx')).toBeGreaterThan(5);
    expect(
      count((p) => p.header.Carrier === null && p.dff.__FLEX_Context === null && !upsOnSchedule(p)),
    ).toBeGreaterThan(20);
    const statuses = new Set(pos.map((p) => p.header.StatusCode));
    for (const s of ['OPEN', 'INCOMPLETE', 'PENDING APPROVAL', 'CLOSED', 'CANCELED'])
      expect(statuses).toContain(s);
    expect(count((p) => p.header.StatusCode === 'OPEN')).toBeGreaterThan(pos.length / 2);
    expect(count((p) => p.header.FrozenFlag === true)).toBeGreaterThan(0);
    // POs awaiting approval become Open later on the clock.
    for (const p of pos.filter((x) => x.header.StatusCode === 'INCOMPLETE'))
      expect(p.approveAtMs).toBeGreaterThan(AT.getTime());
    expect(count((p) => String(p.header.ShipToLocationAddress).startsWith('999 Nowhere Rd'))).toBeGreaterThan(
      0,
    );
    expect(count((p) => p.header.ProcurementBU === 'US2 Business Unit')).toBeGreaterThan(20);
  });

  it('keeps amounts, quantities, dates and accounts consistent', () => {
    const state = generate(5, 150);
    for (const p of state.purchaseOrders.values()) {
      const lineSum = p.lines.reduce((s, l) => s + Number(l.row.Ordered), 0);
      expect(Number(p.header.Ordered)).toBeCloseTo(lineSum, 2);
      expect(Date.parse(String(p.header.LastUpdateDate))).toBeGreaterThanOrEqual(
        Date.parse(String(p.header.CreationDate)),
      );
      expect(Date.parse(String(p.header.LastUpdateDate))).toBeLessThanOrEqual(AT.getTime());
      expect(p.header.ShipToLocationAddress).toMatch(/, United States$/);
      for (const l of p.lines) {
        const schedQty = l.schedules.reduce((s, x) => s + Number(x.row.Quantity), 0);
        expect(schedQty).toBe(l.row.Quantity);
        const item = ITEMS.find((i) => i.number === l.row.Item)!;
        expect(item).toBeDefined();
        for (const s of l.schedules) {
          expect(s.distributions.reduce((sum, d) => sum + Number(d.row.Quantity), 0)).toBe(s.row.Quantity);
          for (const d of s.distributions) {
            const segments = String(d.row.POChargeAccount).split('-');
            expect(segments).toHaveLength(5);
            expect(['510', '520', '610', '740', '830']).toContain(segments[1]);
          }
        }
      }
    }
  });

  it('gives items master weights, some in kilograms and some unknown', () => {
    const items = [...generate(5, 1).items.values()].map((i) => i.row);
    expect(items.find((i) => i.ItemNumber === 'AS54888')).toMatchObject({
      UnitWeightQuantity: 18.5,
      WeightUOMValue: 'Pound',
    });
    expect(items.some((i) => i.WeightUOMValue === 'Kilogram')).toBe(true);
    expect(items.some((i) => i.UnitWeightQuantity === null)).toBe(true);
    expect(items.some((i) => Number(i.UnitWeightQuantity) > 150)).toBe(true);
  });
});

describe('scenario summary of purchase orders', () => {
  it('tells tests which POs carry a UPS flag and which addresses UPS should refuse', async () => {
    const c = await startClient({ seed: 4, poCount: 150 });
    try {
      const rows: Array<Record<string, unknown>> = await c.scenario('GET', '/purchase-orders');
      expect(rows).toHaveLength(150);
      expect(rows.filter((r) => r.shipViaUps === 'Y').length).toBeGreaterThan(30);
      expect(rows.some((r) => r.shipToVerdict === 'invalid' || r.supplierSiteVerdict === 'invalid')).toBe(
        true,
      );
      expect(rows.every((r) => ['valid', 'ambiguous', 'invalid'].includes(String(r.shipToVerdict)))).toBe(
        true,
      );
      expect(
        rows.filter((r) => r.headerCarrier === null && (r.scheduleCarriers as string[]).includes('UPS'))
          .length,
      ).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });
});
