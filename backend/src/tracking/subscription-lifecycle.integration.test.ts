/**
 * Issue 5 acceptance, over real HTTP against the UPS sandbox: 300 labels subscribed in ≤ 3 calls; 13 days
 * later every undelivered subscription renewed and no delivered one; a renewal forced to fail puts the
 * numbers into Quantum View fallback with an alert, and Quantum View carries the later events — nothing lost
 * or stored twice across the switch (Track Alert, Quantum View and Tracking API all see the same activities).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { pollQuantumView } from './quantum-view-fallback.js';
import { reconcile } from './reconcile.js';
import { renewDueSubscriptions } from './renew-subscriptions.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { listTrackingAlerts } from './tracking-alerts.js';
import { activityKey, startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const DAY = 86_400_000;
/** Activities Quantum View reports (Origin, Delivery, Exception, Generic UD/VM); other scans it does not. */
const QV_REPORTED = (e: { type: string; code: string }) =>
  e.code === 'OR' || e.type === 'D' || e.type === 'X' || e.type === 'U' || e.type === 'MV';

interface SandboxSubscription {
  trackingNumber: string;
  version: string;
  subscribedAtMs: number;
  expiresAtMs: number;
  destination?: { url: string };
}

for (const engine of testEngines().filter((e) => e.name !== 'Oracle')) {
  describe.skipIf(engine.skipReason !== null)(
    `Track Alert subscriptions, renewal and Quantum View fallback on ${engine.name}${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
    () => {
      let kit: TrackingKit;
      let labels: Array<{ trackingNumber: string; shipmentId: string; poHeaderId: string }>;
      let held: string[];
      let moving: string[];
      const subscriptions = async () =>
        new Map(
          (
            await kit.scenario<{ subscriptions: SandboxSubscription[] }>('GET', '/subscriptions')
          ).subscriptions.map((s) => [s.trackingNumber, s]),
        );
      const expectSameActivities = async (
        tn: string,
        filter: (e: { type: string; code: string }) => boolean = () => true,
      ) => {
        const atUps = (await kit.sandboxEvents(tn)).filter(filter).map(activityKey).sort();
        const stored = (await kit.storedEvents(tn))
          .filter(
            (e) => filter({ type: e.upsStatusType, code: e.upsStatusCode }) || e.source === 'quantum-view',
          )
          .map(activityKey)
          .sort();
        expect(stored, tn).toEqual(atUps);
      };

      beforeAll(async () => {
        kit = await startTrackingKit(engine);
        labels = await kit.createLabels(300);
        held = labels.slice(0, 200).map((l) => l.trackingNumber);
        moving = labels.slice(200).map((l) => l.trackingNumber);
      }, 120_000);
      afterAll(async () => kit?.close());

      it('subscribes 300 new labels in at most 3 calls, with expiry 14 days after subscribing', async () => {
        const report = await subscribeNewLabels(kit.deps, TENANT);
        expect(report).toMatchObject({ subscribed: 300, invalid: [] });
        expect(report.calls).toBeLessThanOrEqual(3);
        const atUps = await subscriptions();
        for (const l of labels) {
          expect(atUps.get(l.trackingNumber)).toMatchObject({
            version: 'v1',
            destination: { url: kit.settings.webhookUrl },
          });
          const sub = await kit.storage.repos.trackingSubscriptions.get(TENANT, l.trackingNumber);
          expect(sub?.status).toBe('active');
          expect(sub!.expiresAt.getTime() - sub!.subscribedAt.getTime()).toBe(14 * DAY);
        }
        // Nothing new: no call at all.
        expect((await subscribeNewLabels(kit.deps, TENANT)).calls).toBe(0);
      }, 120_000);

      it('13 days later renews every undelivered subscription and no delivered one', async () => {
        kit.hold(held, 40);
        await kit.advanceDays(13);
        for (const tn of moving) {
          const shipment = await kit.storage.repos.shipments.findByTrackingNumber(TENANT, tn);
          expect(shipment?.trackingStatus, tn).toBe('delivered');
          expect((await kit.storage.repos.trackingSubscriptions.get(TENANT, tn))?.status).toBe('stopped');
          await expectSameActivities(tn, (e) => e.type !== 'M'); // the manifest predates the subscription
        }
        const before = await subscriptions();
        const report = await renewDueSubscriptions(kit.deps, TENANT);
        expect(report).toMatchObject({ due: 200, renewed: 200, fallback: [] });
        expect(report.calls).toBeLessThanOrEqual(2);
        const after = await subscriptions();
        const now = kit.clock.now().getTime();
        for (const tn of held) {
          expect(after.get(tn)!.subscribedAtMs).toBe(now);
          expect((await kit.storage.repos.trackingSubscriptions.get(TENANT, tn))?.expiresAt.getTime()).toBe(
            now + 14 * DAY,
          );
        }
        for (const tn of moving) expect(after.get(tn)!.subscribedAtMs).toBe(before.get(tn)!.subscribedAtMs);
      }, 180_000);

      it('a failed renewal moves to Quantum View fallback with an alert; later events arrive once', async () => {
        await kit.scenario('POST', '/faults', { endpoint: 'track-alert', kind: 'server-error', times: 100 });
        await kit.advanceDays(13);
        const report = await renewDueSubscriptions(kit.deps, TENANT);
        expect(report).toMatchObject({ due: 200, renewed: 0 });
        expect(report.fallback.sort()).toEqual([...held].sort());
        const alerts = await listTrackingAlerts(kit.storage, TENANT, { limit: 1000 });
        expect(alerts.fallback.map((s) => s.trackingNumber).sort()).toEqual([...held].sort());
        expect(alerts.alerts.filter((a) => a.step === 'tracking-renew')).toHaveLength(200);
        await kit.scenario('DELETE', '/faults');

        // The held packages move after their subscriptions lapsed at UPS: no push reaches us any more.
        const pushedBefore = (await kit.scenario<{ deliveries: unknown[] }>('GET', '/webhooks/deliveries'))
          .deliveries.length;
        // A day at a time, each day closing a Quantum View file; the fallback poller runs every sixth day,
        // so a poll has several files to page through (bookmarks) and none is older than UPS's 7 days.
        await kit.scenario('PUT', '/settings', { qvPageLimitBytes: 1000 });
        let mostPages = 0;
        for (let day = 1; day <= 30; day += 1) {
          await kit.advanceDays(1);
          // Exceptions (Exception + Generic "updated delivery date" records) on two days, ten packages each.
          if (day === 15 || day === 17) {
            for (const tn of held.slice(day === 15 ? 0 : 10, day === 15 ? 10 : 20)) {
              await kit.scenario('POST', `/packages/${tn}/move`, { action: 'exception' });
            }
          }
          await kit.scenario('GET', '/quantum-view/files');
          if (day % 6 === 0) {
            const poll = await pollQuantumView(kit.deps, TENANT);
            expect(poll.error).toBeUndefined();
            mostPages = Math.max(mostPages, poll.pages);
          }
        }
        const pushedAfter = (await kit.scenario<{ deliveries: unknown[] }>('GET', '/webhooks/deliveries'))
          .deliveries.length;
        expect(pushedAfter).toBe(pushedBefore);
        expect(mostPages).toBeGreaterThan(1); // bookmark paging happened
        expect(await kit.storage.repos.quantumView.listUnprocessed(TENANT)).toHaveLength(0);
        for (const tn of held) {
          expect(
            (await kit.storage.repos.shipments.findByTrackingNumber(TENANT, tn))?.trackingStatus,
            tn,
          ).toBe('delivered');
          const viaQv = (await kit.storedEvents(tn)).filter((e) => e.source === 'quantum-view');
          expect(
            viaQv.map((e) => e.upsStatusType),
            tn,
          ).toEqual(expect.arrayContaining(['D', 'I']));
          if (held.indexOf(tn) < 20)
            expect(
              viaQv.map((e) => e.upsStatusType),
              tn,
            ).toEqual(expect.arrayContaining(['X', 'U']));
          // Every activity Quantum View reports, and everything seen before the switch, stored exactly once.
          const atUps = (await kit.sandboxEvents(tn)).filter((e) => QV_REPORTED(e) || e.type === 'M');
          const stored = (await kit.storedEvents(tn)).map(activityKey);
          for (const e of atUps)
            expect(
              stored.filter((k) => k === activityKey(e)),
              `${tn} ${e.code}`,
            ).toHaveLength(1);
          expect(new Set(stored).size, tn).toBe(stored.length);
        }
        // Quantum View also re-reported the packages Track Alert had carried: recognised, not stored twice
        // (and it brought their manifest, which predates the subscription).
        for (const tn of moving) await expectSameActivities(tn);

        // Scans Quantum View does not report come from the Tracking API; still nothing twice.
        await reconcile(kit.deps, TENANT, { trackingNumbers: held });
        for (const tn of held) await expectSameActivities(tn);
        // A second poll finds nothing new and stores nothing.
        const eventsBefore = await kit.countRows('tracking_events');
        await pollQuantumView(kit.deps, TENANT, {
          replaySince: new Date(kit.clock.now().getTime() - 2 * DAY),
        });
        expect(await kit.countRows('tracking_events')).toBe(eventsBefore);
      }, 300_000);
    },
  );
}
