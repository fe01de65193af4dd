/**
 * The pipeline over real HTTP: the Fusion and UPS sandboxes on loopback, the real Fusion and UPS clients,
 * real storage on PGlite. Seeded POs are polled, selected, validated, rated, shipped once and written
 * back; a UPS "accepted but the response failed" fault is recovered without a second label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isFrozen as frozen,
  SANDBOX_TENANT as TENANT,
  selectedBySeed,
  startSandboxPipeline,
  type SandboxPipeline,
} from './testing/sandbox-harness.js';

let h: SandboxPipeline;
/** POs added through the Fusion scenario API on top of the seed. */
const extra: { badAddress?: string; secondDay?: string } = {};

beforeAll(async () => {
  h = await startSandboxPipeline({ poCount: 40, seed: 11 });
  extra.badAddress = await h.addPo({
    shipViaUps: true,
    shipToLocationCode: 'PHX-NEW',
    lines: [{ item: 'HW-1020', quantity: 3 }],
  });
  extra.secondDay = await h.addPo({
    carrier: 'UPS_2DA',
    carrierOn: 'schedule',
    lines: [{ item: 'AS54888', quantity: 2 }],
  });
  // UPS makes the label but the answer never arrives: the first ship call ends in doubt.
  await h.upsFault({ endpoint: 'ship', kind: 'accept-then-fail', times: 1 });
  await h.runUntilQuiet();
}, 120_000);

afterAll(async () => h?.close());

describe('pipeline against the Fusion and UPS sandboxes', () => {
  it('ships every selected PO once per ship-to location and writes the ASN and status back to Fusion', async () => {
    const summary = await h.fusionSummary();
    const selected = summary.filter(selectedBySeed);
    expect(selected.length).toBeGreaterThan(5);
    let done = 0;
    for (const p of selected) {
      const record = await h.storage.repos.purchaseOrders.latest(TENANT, String(p.POHeaderId));
      const l = await h.ledger(p.OrderNumber);
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
    const summary = await h.fusionSummary();
    const second = summary.find((p) => String(p.POHeaderId) === extra.secondDay)!;
    expect(await h.storage.repos.purchaseOrders.latest(TENANT, extra.secondDay!)).toMatchObject({
      state: 'done',
    });
    expect((await h.ledger(second.OrderNumber)).shipments.map((s) => s.serviceCode)).toEqual(['02']);

    const bad = summary.find((p) => String(p.POHeaderId) === extra.badAddress)!;
    const record = await h.storage.repos.purchaseOrders.latest(TENANT, extra.badAddress!);
    expect(record).toMatchObject({
      state: 'flagged',
      reason: expect.stringMatching(/^address: address needs correction: ship-to/),
    });
    expect(bad.shipmentStatus).toBe('ADDRESS_NEEDS_CORRECTION');
    expect((await h.ledger(bad.OrderNumber)).liveShipments).toBe(0);
  });

  it('recovers the accepted-but-failed ship: one live label per PO, and no label outside a shipped PO', async () => {
    const all = await h.ledger();
    expect(all.shipments.length).toBe(all.liveShipments);
    const shippedRows = await h.storage.db
      .selectFrom('shipments')
      .select(['state', 'duplicate_of'])
      .where('tenant_id', '=', TENANT)
      .execute();
    expect(shippedRows.filter((r) => r.state === 'written_back')).toHaveLength(all.liveShipments);
    const recovered = await h.storage.repos.audit.query({ tenantId: TENANT, step: 'recover-in-doubt' });
    expect(recovered.some((e) => e.message?.startsWith('adopted UPS shipment'))).toBe(true);
  });

  it('records unselected POs as ignored with the reason', async () => {
    const summary = await h.fusionSummary();
    const unselected = summary.filter((s) => s.StatusCode === 'OPEN' && !selectedBySeed(s));
    expect(unselected.length).toBeGreaterThan(0);
    for (const p of unselected) {
      const record = await h.storage.repos.purchaseOrders.latest(TENANT, String(p.POHeaderId));
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({
        state: 'ignored',
        reason: expect.stringContaining('no selection rule matched'),
      });
      expect((await h.ledger(p.OrderNumber)).liveShipments).toBe(0);
    }
  });

  it('ships nothing new on three more polls', async () => {
    const before = await h.ledger();
    for (let i = 0; i < 3; i++) await h.pipeline.runCycle(TENANT);
    const after = await h.ledger();
    expect(after.shipments.length).toBe(before.shipments.length);
    expect(after.liveLabels).toBe(before.liveLabels);
  });
});
