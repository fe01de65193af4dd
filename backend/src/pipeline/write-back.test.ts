import { describe, expect, it } from 'vitest';
import type { Shipped } from './ship.js';
import { FakeFusion } from './testing/fake-systems.js';
import { makePo, TENANT } from './testing/fixtures.js';
import { ManualClock, MemoryAudit, MemoryShipments, MemoryWriteBacks } from './testing/memory-stores.js';
import {
  writeBackShipments,
  writeFlagStatus,
  type WriteBackDeps,
  type TrackingWriteKind,
} from './write-back.js';

async function setup(kinds: TrackingWriteKind[]) {
  const clock = new ManualClock();
  const fusion = new FakeFusion();
  const shipments = new MemoryShipments(clock);
  const intent = await shipments.createIntent({
    tenantId: TENANT,
    poHeaderId: '300100',
    revision: 0,
    packageSetHash: 'h',
  });
  await shipments.transition(TENANT, intent.id, 'intent_recorded', 'submitting');
  await shipments.recordShipped(TENANT, intent.id, 'submitting', {
    shipmentIdentificationNumber: '1ZAAA',
    trackingNumbers: ['1ZAAA'],
    labels: [],
  });
  const shipped: Shipped = {
    id: intent.id,
    shipmentIdentificationNumber: '1ZAAA',
    trackingNumbers: ['1ZAAA'],
  };
  const deps: WriteBackDeps = {
    tenantId: TENANT,
    fusion,
    writeBacks: new MemoryWriteBacks(),
    shipments,
    audit: new MemoryAudit(),
    clock,
    kinds,
    trackingUrl: (tn) => `https://www.ups.com/track?tracknum=${tn}`,
    attachmentTitle: 'UPS tracking',
  };
  return { fusion, shipments, deps, shipped, po: makePo() };
}

describe('write-back', () => {
  it('writes tracking and status as one change order when the status segments carry the tracking number', async () => {
    const { fusion, deps, shipped, po } = await setup(['flexfield']);
    await writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], {
      ...deps,
      statusCarriesTracking: true,
    });
    expect(fusion.flexfieldWrites).toEqual([]);
    expect(fusion.statuses).toEqual([
      { poHeaderId: '300100', status: { status: 'shipped', trackingNumbers: ['1ZAAA'] } },
    ]);
  });

  it('writes each configured kind and the shipped status once, even when run again', async () => {
    const { fusion, shipments, deps, shipped, po } = await setup(['asn', 'flexfield', 'attachment']);
    await writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps);
    await writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps);
    expect(fusion.asns).toHaveLength(1);
    expect(fusion.asns[0]).toMatchObject({
      shipmentNumber: '1ZAAA',
      trackingNumber: '1ZAAA',
      shippedDate: new Date('2026-03-02T10:00:00Z'),
    });
    expect(fusion.flexfieldWrites).toEqual([{ poHeaderId: '300100', trackingNumbers: ['1ZAAA'] }]);
    expect(fusion.attachments).toEqual([
      { poHeaderId: '300100', title: 'UPS tracking 1ZAAA', url: 'https://www.ups.com/track?tracknum=1ZAAA' },
    ]);
    expect(fusion.statuses).toEqual([
      { poHeaderId: '300100', status: { status: 'shipped', trackingNumbers: ['1ZAAA'] } },
    ]);
    expect(shipments.rows[0]!.state).toBe('written_back');
  });

  it('an ASN whose response was lost is found by ShipmentNumber on retry, not posted twice', async () => {
    const { fusion, deps, shipped, po } = await setup(['asn']);
    fusion.loseNextAsnResponse = true;
    await expect(
      writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps),
    ).rejects.toMatchObject({
      kind: 'transient',
      category: 'write-back',
    });
    await writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps);
    expect(fusion.asns).toHaveLength(1);
  });

  it('a pending change order is transient; a frozen PO is hard', async () => {
    const { fusion, deps, shipped, po } = await setup(['flexfield']);
    fusion.flexfieldFault = 'pending_change_order';
    await expect(
      writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps),
    ).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('pending change order'),
    });
    fusion.flexfieldFault = 'frozen';
    await expect(
      writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps),
    ).rejects.toMatchObject({
      kind: 'hard',
      message: expect.stringContaining('the PO is frozen'),
    });
    await writeBackShipments(po, [{ shipToLocationId: 'LOC1', shipment: shipped }], deps);
    expect(fusion.flexfieldWrites).toHaveLength(1);
  });

  it('writes a flag status once per PO revision', async () => {
    const { fusion, deps, po } = await setup([]);
    const status = { status: 'address_needs_correction', reason: 'ambiguous' } as const;
    await writeFlagStatus(po, status, deps);
    await writeFlagStatus(po, status, deps);
    await writeFlagStatus({ ...po, revision: 1 }, status, deps);
    expect(fusion.statuses).toHaveLength(2);
  });
});
