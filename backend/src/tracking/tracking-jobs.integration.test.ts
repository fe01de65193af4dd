/**
 * The job factory and schedule: one run per tenant across instances (leases), a failed Quantum View poll
 * followed by a replay of the missed window, and a schedule whose stop() waits for work in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../storage/test-engines.js';
import { createTrackingJobs, scheduleTracking } from './tracking-jobs.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';

const pglite = testEngines()[0]!;

describe('tracking jobs', () => {
  let kit: TrackingKit;
  beforeAll(async () => {
    kit = await startTrackingKit(pglite, { seed: 8 });
  }, 60_000);
  afterAll(async () => kit?.close());

  it('runs a job once when two instances start it together', async () => {
    await kit.createLabels(3);
    const [a, b] = await Promise.all([
      createTrackingJobs(kit.deps).subscribeNew(TENANT),
      createTrackingJobs(kit.deps).subscribeNew(TENANT),
    ]);
    expect([a, b].filter((r) => r === null)).toHaveLength(1);
    expect((a ?? b)?.subscribed).toBe(3);
  });

  it('replays the missed Quantum View window after a failed poll, also after a restart', async () => {
    const jobs = createTrackingJobs(kit.deps);
    const [first] = await kit.storage.repos.trackingSubscriptions.listDueForRenewal(
      TENANT,
      new Date('2100-01-01T00:00:00Z'),
    );
    await kit.storage.repos.trackingSubscriptions.markFallback(TENANT, first!.trackingNumber, 'test');
    await kit.scenario('POST', '/faults', { endpoint: 'quantum-view', kind: 'server-error', times: 20 });
    const failed = await jobs.pollFallback(TENANT);
    expect(failed?.error).toBeTruthy();
    await kit.scenario('DELETE', '/faults');
    await kit.scenario('POST', `/packages/${first!.trackingNumber}/move`, { action: 'next' });
    // Another instance (or this one restarted) still knows a replay is due: the start point is stored.
    const replay = await createTrackingJobs(kit.deps).pollFallback(TENANT);
    expect(replay).toMatchObject({ replayed: true });
    expect(replay?.error).toBeUndefined();
    expect(replay?.pages).toBeGreaterThan(0);
    expect((await jobs.pollFallback(TENANT))?.replayed).toBe(false);
  });

  it('offers numbers in fallback to Track Alert again after a while, and resumes them', async () => {
    const jobs = createTrackingJobs(kit.deps);
    const [inFallback] = await kit.storage.repos.trackingSubscriptions.listFallback(TENANT);
    expect(inFallback).toBeDefined();
    expect((await jobs.renewDue(TENANT))?.resumed).toBe(0); // too soon
    await kit.advanceDays(7 / 24);
    const report = await jobs.renewDue(TENANT);
    expect(report).toMatchObject({ due: 0, resumed: 1, fallback: [] });
    const sub = await kit.storage.repos.trackingSubscriptions.get(TENANT, inFallback!.trackingNumber);
    expect(sub).toMatchObject({ status: 'active', fallback: false });
    expect(sub!.subscribedAt.getTime()).toBe(kit.clock.now().getTime());
  });

  it('schedules per tenant, reconciles at start, and stop() waits for it', async () => {
    const schedule = scheduleTracking(createTrackingJobs(kit.deps), {
      tenants: [TENANT],
      renewalCron: '17 * * * *',
      quantumViewIntervalSeconds: 900,
    });
    await schedule.stop();
    const entries = await kit.storage.repos.audit.query({ tenantId: TENANT, step: 'tracking-reconcile' });
    expect(entries.some((e) => e.message?.startsWith('scheduled:'))).toBe(true);
  });
});
