/**
 * Events pushed for a tracking number before its shipment was recorded (e.g. a label recovered after an
 * in-doubt ship) are stored unattached; once the shipment exists they are attached and its status applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../domain/types.js';
import { testEngines } from '../storage/test-engines.js';
import { ingestEvents } from './ingest-event.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const engine = testEngines().find((e) => e.skipReason === null && e.name !== 'Oracle');
const TN = '1ZA1B2C30300000099';
const event = (over: Partial<TrackingEvent>): TrackingEvent => ({
  trackingNumber: TN,
  status: 'in_transit',
  upsStatusType: 'I',
  upsStatusCode: 'OR',
  description: 'Origin Scan',
  occurredAt: new Date(Date.UTC(2026, 2, 2, 20)),
  source: 'track-alert',
  ...over,
});

describe.skipIf(!engine)('events that arrive before their shipment', () => {
  let kit: TrackingKit;
  beforeAll(async () => {
    kit = await startTrackingKit(engine!);
  }, 120_000);
  afterAll(async () => kit?.close());

  it('are attached when the shipment appears, and its status follows them', async () => {
    // Scans after the label (whose status is stamped with the kit's clock).
    const t0 = kit.clock.now().getTime();
    const early = await ingestEvents(kit.deps, TENANT, [
      event({ occurredAt: new Date(t0 + 3_600_000) }),
      event({
        status: 'delivered',
        upsStatusType: 'D',
        upsStatusCode: 'KB',
        occurredAt: new Date(t0 + 20 * 3_600_000),
      }),
    ]);
    expect(early).toMatchObject({ stored: 2, unknown: 2 });
    const repos = kit.storage.repos;
    const { shipment } = await repos.shipments.recordIntent(TENANT, {
      poHeaderId: '300100999',
      revision: 0,
      packageSetHash: 'early',
    });
    await repos.shipments.transition(TENANT, shipment.id, 'intent_recorded', 'submitting');
    await repos.shipments.markShipped(TENANT, shipment.id, 'submitting', {
      trackingNumber: TN,
      upsShipmentId: TN,
      shipperNumber: 'A1B2C3',
      packages: [{ seq: 1, trackingNumber: TN }],
    });

    const report = await subscribeNewLabels(kit.deps, TENANT);
    const events = await kit.storedEvents(TN);
    expect(events.map((e) => e.shipmentId)).toEqual([shipment.id, shipment.id]);
    const after = await repos.shipments.get(TENANT, shipment.id);
    expect(after?.trackingStatus).toBe('delivered');
    // Delivered already: not subscribed to Track Alert.
    expect(report).toMatchObject({ subscribed: 0, calls: 0 });
    expect(await repos.trackingSubscriptions.get(TENANT, TN)).toBeNull();
    // Nothing left to attach the next time.
    await subscribeNewLabels(kit.deps, TENANT);
    expect(await kit.storedEvents(TN)).toHaveLength(2);
  }, 60_000);
});
