/**
 * A two-package shipment is delivered when both packages are: the first delivery stops only that package's
 * subscription, the shipment stays in transit and the other package is still renewed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../domain/types.js';
import { testEngines } from '../storage/test-engines.js';
import { ingestEvents } from './ingest-event.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const engine = testEngines().find((e) => e.skipReason === null && e.name !== 'Oracle');
const [LEAD, SECOND] = ['1ZA1B2C30300000101', '1ZA1B2C30300000102'];
const HOUR = 3_600_000;

describe.skipIf(!engine)('multi-package shipments', () => {
  let kit: TrackingKit;
  beforeAll(async () => {
    kit = await startTrackingKit(engine!);
  }, 120_000);
  afterAll(async () => kit?.close());

  it('are delivered with their last package; the other package stays followed', async () => {
    const repos = kit.storage.repos;
    const { shipment } = await repos.shipments.recordIntent(TENANT, {
      poHeaderId: '300100777',
      revision: 0,
      packageSetHash: 'two',
    });
    await repos.shipments.transition(TENANT, shipment.id, 'intent_recorded', 'submitting');
    await repos.shipments.markShipped(TENANT, shipment.id, 'submitting', {
      trackingNumber: LEAD,
      upsShipmentId: LEAD,
      shipperNumber: 'A1B2C3',
      packages: [
        { seq: 1, trackingNumber: LEAD },
        { seq: 2, trackingNumber: SECOND },
      ],
    });
    const t0 = kit.clock.now().getTime();
    await repos.trackingSubscriptions.recordSubscribed(
      TENANT,
      [LEAD, SECOND].map((trackingNumber) => ({ trackingNumber, shipmentId: shipment.id })),
      kit.clock.now(),
    );
    const delivered = (tn: string, at: number): TrackingEvent => ({
      trackingNumber: tn,
      status: 'delivered',
      upsStatusType: 'D',
      upsStatusCode: 'KB',
      description: 'Delivered',
      occurredAt: new Date(at),
      source: 'track-alert',
    });

    await ingestEvents(kit.deps, TENANT, [delivered(LEAD, t0 + 5 * HOUR)]);
    const midway = await repos.shipments.get(TENANT, shipment.id);
    expect(midway?.trackingStatus).toBe('in_transit');
    expect(midway?.deliveredAt ?? null).toBeNull();
    expect((await repos.trackingSubscriptions.get(TENANT, LEAD))?.status).toBe('stopped');
    const due = await repos.trackingSubscriptions.listDueForRenewal(TENANT, new Date(t0 + 30 * 24 * HOUR));
    expect(due.map((s) => s.trackingNumber)).toEqual([SECOND]);

    await ingestEvents(kit.deps, TENANT, [delivered(SECOND, t0 + 9 * HOUR)]);
    const after = await repos.shipments.get(TENANT, shipment.id);
    expect(after?.trackingStatus).toBe('delivered');
    expect(after?.deliveredAt?.getTime()).toBe(t0 + 9 * HOUR);
    expect((await repos.trackingSubscriptions.get(TENANT, SECOND))?.status).toBe('stopped');
  }, 60_000);
});
