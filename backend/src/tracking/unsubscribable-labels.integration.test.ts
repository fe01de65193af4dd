/**
 * Labels that cannot be subscribed (Track Alert v1 without a webhook URL) are not forgotten: they are
 * followed in Quantum View fallback and reconciled through the Tracking API at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { listTrackingAlerts } from './tracking-alerts.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { listFollowedNumbers } from './tracking-queries.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const engine = testEngines().find((e) => e.skipReason === null && e.name !== 'Oracle');

describe.skipIf(!engine)('labels Track Alert cannot take', () => {
  let kit: TrackingKit;
  beforeAll(async () => {
    kit = await startTrackingKit(engine!);
  }, 120_000);
  afterAll(async () => kit?.close());

  it('go to Quantum View fallback and reconcile instead of being retried silently', async () => {
    kit.setSettings({ trackAlert: { enabled: true, version: 'v1' } });
    delete (kit.settings as { webhookUrl?: string }).webhookUrl;
    const labels = await kit.createLabels(2);
    const report = await subscribeNewLabels(kit.deps, TENANT);
    expect(report.subscribed).toBe(0);
    expect(report.error).toMatch(/server\.publicUrl/);
    const numbers = labels.map((l) => l.trackingNumber).sort();
    const alerts = await listTrackingAlerts(kit.storage, TENANT);
    expect(alerts.fallback.map((s) => s.trackingNumber).sort()).toEqual(numbers);
    expect((await listFollowedNumbers(kit.storage, TENANT)).sort()).toEqual(numbers);
    // Reconciled at once: the manifest scan UPS already has is stored.
    for (const tn of numbers) expect((await kit.storedEvents(tn)).length, tn).toBeGreaterThan(0);
    // Not offered again each cycle: nothing left unsubscribed.
    expect(await subscribeNewLabels(kit.deps, TENANT)).toMatchObject({ subscribed: 0, calls: 0 });
    expect((await subscribeNewLabels(kit.deps, TENANT)).error).toBeUndefined();
  }, 120_000);
});
