/**
 * A Quantum View page saved but not processed because storage failed stays unprocessed (attempt counted),
 * no new unread data is taken meanwhile, and the next run processes it: nothing lost, nothing twice.
 * Only an unreadable page is set aside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/index.js';
import { testEngines } from '../storage/test-engines.js';
import { pollQuantumView } from './quantum-view-fallback.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import type { TrackingDeps } from './tracking-deps.js';
import { activityKey, startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const engine = testEngines().find((e) => e.skipReason === null && e.name !== 'Oracle');

describe.skipIf(!engine)('Quantum View page retry', () => {
  let kit: TrackingKit;
  let tn: string;
  beforeAll(async () => {
    kit = await startTrackingKit(engine!);
    const [label] = await kit.createLabels(1);
    tn = label!.trackingNumber;
    await subscribeNewLabels(kit.deps, TENANT);
    await kit.storage.repos.trackingSubscriptions.markFallback(TENANT, tn, 'test');
    await kit.receiverDown(); // only Quantum View carries the events
  }, 120_000);
  afterAll(async () => {
    await kit?.receiverUp();
    await kit?.close();
  });

  /** The same deps, with the shipment lookup failing as a lost database connection would. */
  const failingDeps = (): TrackingDeps => {
    const repos = kit.storage.repos;
    const storage = Object.assign(Object.create(kit.storage) as Storage, {
      repos: {
        ...repos,
        shipments: {
          ...repos.shipments,
          findByTrackingNumber: () => Promise.reject(new Error('connection terminated')),
        },
      },
    });
    return { ...kit.deps, storage };
  };

  it('keeps the page after a storage error and processes it on the next run', async () => {
    await kit.advanceDays(1);
    await kit.scenario('POST', `/packages/${tn}/move`, { action: 'exception' });
    await kit.advanceDays(1);
    await kit.scenario('POST', `/packages/${tn}/move`, { action: 'deliver' });
    await kit.advanceDays(1);
    await kit.scenario('GET', '/quantum-view/files');
    const before = await kit.storedEvents(tn);

    const failed = await pollQuantumView(failingDeps(), TENANT);
    expect(failed.error).toMatch(/connection terminated/);
    const waiting = await kit.storage.repos.quantumView.listUnprocessed(TENANT);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.error).toMatch(/^attempt 1: connection terminated/);
    expect(await kit.storedEvents(tn)).toHaveLength(before.length);
    // A second failure counts; the leftover blocks new unread data (none fetched).
    expect((await pollQuantumView(failingDeps(), TENANT)).pages).toBe(0);
    expect((await kit.storage.repos.quantumView.listUnprocessed(TENANT))[0]!.error).toMatch(/^attempt 2:/);

    const ok = await pollQuantumView(kit.deps, TENANT);
    expect(ok.error).toBeUndefined();
    expect(await kit.storage.repos.quantumView.listUnprocessed(TENANT)).toHaveLength(0);
    const after = await kit.storedEvents(tn);
    expect(after.map((e) => e.upsStatusType)).toEqual(expect.arrayContaining(['X', 'D']));
    expect(new Set(after.map(activityKey)).size).toBe(after.length);
    expect((await kit.storage.repos.shipments.findByTrackingNumber(TENANT, tn))?.trackingStatus).toBe(
      'delivered',
    );
    // Again: nothing new, nothing twice.
    await pollQuantumView(kit.deps, TENANT);
    expect(await kit.storedEvents(tn)).toHaveLength(after.length);
  }, 120_000);

  it('sets an unreadable page aside with the reason, and goes on', async () => {
    await kit.storage.repos.quantumView.saveRaw(TENANT, { subscriptionName: '*', raw: '{not json' });
    const report = await pollQuantumView(kit.deps, TENANT);
    expect(report.error).toBeUndefined();
    expect(await kit.storage.repos.quantumView.listUnprocessed(TENANT)).toHaveLength(0);
    const rows = await kit.storage.db
      .selectFrom('quantum_view_pages')
      .select(['error', 'processed_at'])
      .where('raw', '=', '{not json')
      .execute();
    expect(rows[0]?.error).toMatch(/^cannot be read:/);
  }, 60_000);
});
