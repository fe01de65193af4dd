/**
 * A voided label is followed no more: its subscription is not renewed, not offered to Track Alert again
 * from Quantum View fallback, and reconcile does not ask the Tracking API about it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { reconcile } from './reconcile.js';
import { FALLBACK_RETRY_MS, renewDueSubscriptions } from './renew-subscriptions.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const engine = testEngines().find((e) => e.skipReason === null && e.name !== 'Oracle');

describe.skipIf(!engine)('voided labels', () => {
  let kit: TrackingKit;
  let labels: Array<{ trackingNumber: string; shipmentId: string }>;
  const subs = () => kit.storage.repos.trackingSubscriptions;

  beforeAll(async () => {
    kit = await startTrackingKit(engine!);
    labels = await kit.createLabels(4);
    kit.hold(
      labels.map((l) => l.trackingNumber),
      30,
    );
    expect(await subscribeNewLabels(kit.deps, TENANT)).toMatchObject({ subscribed: 4 });
  }, 120_000);
  afterAll(async () => kit?.close());

  it('stops the subscription, is not renewed, not retried from fallback and not reconciled', async () => {
    const [live, voidedActive, liveFallback, voidedFallback] = labels as [
      (typeof labels)[number],
      (typeof labels)[number],
      (typeof labels)[number],
      (typeof labels)[number],
    ];
    await subs().markFallback(TENANT, liveFallback.trackingNumber, 'refused');
    await subs().markFallback(TENANT, voidedFallback.trackingNumber, 'refused');
    for (const l of [voidedActive, voidedFallback]) {
      await kit.storage.repos.shipments.transition(TENANT, l.shipmentId, 'shipped', 'void_requested');
      await kit.storage.repos.shipments.transition(TENANT, l.shipmentId, 'void_requested', 'voided');
    }

    // Before any job has stopped them, reconcile already leaves the voided numbers out.
    const checked = await reconcile(kit.deps, TENANT);
    expect(checked.checked).toBe(2);

    await kit.advanceDays(13);
    expect(FALLBACK_RETRY_MS).toBeLessThan(13 * 86_400_000);
    const report = await renewDueSubscriptions(kit.deps, TENANT);
    expect(report).toMatchObject({ due: 1, renewed: 1, resumed: 1 });
    for (const l of [voidedActive, voidedFallback])
      expect((await subs().get(TENANT, l.trackingNumber))?.status, l.trackingNumber).toBe('stopped');
    expect((await subs().get(TENANT, live.trackingNumber))?.status).toBe('active');
    expect((await subs().get(TENANT, liveFallback.trackingNumber))?.status).toBe('active');
    const atUps = await kit.scenario<{
      subscriptions: Array<{ trackingNumber: string; subscribedAtMs: number }>;
    }>('GET', '/subscriptions');
    const renewedAt = new Map(atUps.subscriptions.map((s) => [s.trackingNumber, s.subscribedAtMs]));
    const now = kit.clock.now().getTime();
    expect(renewedAt.get(live.trackingNumber)).toBe(now);
    expect(renewedAt.get(voidedActive.trackingNumber)).not.toBe(now);
    expect(renewedAt.get(voidedFallback.trackingNumber)).not.toBe(now);
  }, 120_000);
});
