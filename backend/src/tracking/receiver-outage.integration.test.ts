/**
 * Issue 5 acceptance: the receiver is down for a while and UPS (the sandbox) drops the pushes, as UPS does —
 * no redelivery. Reconciliation through the Tracking API restores every missed event, and stores nothing
 * twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { reconcile } from './reconcile.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { activityKey, startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

interface Delivery {
  trackingNumber: string;
  status: string;
}

for (const engine of testEngines().filter((e) => e.name !== 'Oracle')) {
  describe.skipIf(engine.skipReason !== null)(
    `Receiver outage and reconciliation on ${engine.name}${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      let kit: TrackingKit;
      beforeAll(async () => {
        kit = await startTrackingKit(engine, { seed: 3 });
      }, 60_000);
      afterAll(async () => kit?.close());

      it('restores every event pushed while the receiver was down', async () => {
        const labels = await kit.createLabels(12);
        expect((await subscribeNewLabels(kit.deps, TENANT)).subscribed).toBe(12);
        for (const l of labels)
          await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'next' });
        await kit.scenario('POST', '/webhooks/push');
        const storedBefore = await kit.countRows('tracking_events');
        expect(storedBefore).toBe(12);

        await kit.receiverDown();
        for (const [i, l] of labels.entries()) {
          if (i % 3 === 0)
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'exception' });
          await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'deliver' });
        }
        const { deliveries } = await kit.scenario<{ deliveries: Delivery[] }>('POST', '/webhooks/push');
        const lost = deliveries.filter((d) => d.status === 'failed');
        expect(lost.length).toBe(12 * 2 + 4 * 2); // out for delivery + delivered, exception + new date
        await kit.receiverUp();
        expect(await kit.countRows('tracking_events')).toBe(storedBefore);

        const report = await reconcile(kit.deps, TENANT, { reason: 'receiver was down' });
        expect(report.failed).toEqual([]);
        // Every missed event but the 4 type U updates (Track Alert only, ups.md §5: the Tracking API shows
        // their date as RDD), plus the manifests (before the subscriptions), nothing already stored again.
        expect(report.stored).toBe(lost.length - 4 + 12);
        for (const [i, l] of labels.entries()) {
          const atUps = (await kit.sandboxEvents(l.trackingNumber))
            .filter((e) => e.type !== 'U')
            .map(activityKey)
            .sort();
          const stored = (await kit.storedEvents(l.trackingNumber)).map(activityKey).sort();
          expect(stored, l.trackingNumber).toEqual(atUps);
          const shipment = await kit.storage.repos.shipments.get(TENANT, l.shipmentId);
          expect(shipment?.trackingStatus).toBe('delivered');
          expect((await kit.storage.repos.trackingSubscriptions.get(TENANT, l.trackingNumber))?.status).toBe(
            'stopped',
          );
          if (i % 3 === 0) expect(stored.some((k) => k.endsWith('|X'))).toBe(true);
        }
        // A second reconciliation finds nothing new.
        expect(
          (await reconcile(kit.deps, TENANT, { trackingNumbers: labels.map((l) => l.trackingNumber) }))
            .stored,
        ).toBe(0);
      }, 120_000);
    },
  );
}
