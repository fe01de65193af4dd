/**
 * Issue 5 acceptance: Fusion shows the delivered and exception statuses for each PO concerned. Over real
 * HTTP: UPS sandbox → our webhook → storage → write-back queue → Fusion client → Fusion sandbox (header DFF
 * through a change order, or a text attachment per status, the default without a status segment). Each change
 * is written once: duplicates and a second flush change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DFF, startFusionSandbox } from '../../../sandbox/src/fusion/index.js';
import { createFusionClient } from '../fusion/fusion-client.js';
import { testEngines } from '../storage/test-engines.js';
import { fusionStatusWriter } from './fusion-status-writer.js';
import { subscribeNewLabels } from './subscribe-new-labels.js';
import { startTrackingKit, TENANT, type TrackingKit } from './tracking-test-kit.js';
import { flushStatusWriteBacks } from './write-tracking-status.js';

interface FusionSummary {
  POHeaderId: number;
  StatusCode: string;
  FrozenFlag: boolean | string | null;
  Revision: number;
  shipmentStatus: string | null;
  attachmentTitles: string[];
  trackingNumber: string | null;
  pendingChangeOrder: string | null;
}

/** What Fusion shows: the DFF status segment, or the newest status attachment for that tracking number. */
function statusShown(p: FusionSummary, mechanism: 'flexfield' | 'attachment', trackingNumber: string) {
  if (mechanism === 'flexfield') return p.shipmentStatus;
  const titles = p.attachmentTitles.filter((t) => t.startsWith('UPS ') && t.includes(trackingNumber));
  return titles.at(-1)?.split(' ')[1] ?? null;
}

for (const mechanism of ['flexfield', 'attachment'] as const)
  for (const engine of testEngines().filter((e) => e.name !== 'Oracle')) {
    describe.skipIf(engine.skipReason !== null)(
      `Tracking statuses written back to Fusion as ${mechanism} on ${engine.name}${engine.skipReason ? ` (skipped: ${engine.skipReason})` : ''}`,
      () => {
        let fusion: Awaited<ReturnType<typeof startFusionSandbox>>;
        let kit: TrackingKit;
        const summary = async () => {
          const res = await fetch(`${fusion.baseUrl}/_sandbox/fusion/purchase-orders`);
          return new Map(((await res.json()) as FusionSummary[]).map((p) => [String(p.POHeaderId), p]));
        };

        beforeAll(async () => {
          fusion = await startFusionSandbox({ poCount: 30, seed: 21 });
          const client = createFusionClient({
            baseUrl: fusion.baseUrl,
            auth: { kind: 'basic', username: 'sandbox.buyer', password: 'sandbox-password' },
          });
          const writer = fusionStatusWriter(client, mechanism, {
            context: DEFAULT_DFF.context,
            status: DEFAULT_DFF.statusSegment,
            trackingNumber: DEFAULT_DFF.trackingSegment,
          });
          kit = await startTrackingKit(engine, { statusWriter: writer, seed: 4 });
        }, 60_000);
        afterAll(async () => {
          await kit?.close();
          await fusion?.close();
        });

        it('shows DELIVERED and EXCEPTION on each PO, each change written once', async () => {
          const open = [...(await summary()).values()].filter(
            (p) =>
              p.StatusCode === 'OPEN' &&
              !(p.FrozenFlag === true || p.FrozenFlag === 'Y') &&
              !p.pendingChangeOrder,
          );
          expect(open.length).toBeGreaterThanOrEqual(6);
          const pos = open.slice(0, 6).map((p) => String(p.POHeaderId));
          const labels = await kit.createLabels(6, pos);
          await subscribeNewLabels(kit.deps, TENANT);
          for (const [i, l] of labels.entries()) {
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'next' });
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, {
              action: i < 3 ? 'deliver' : 'exception',
            });
          }
          await kit.scenario('POST', '/webhooks/push');

          const first = await flushStatusWriteBacks(kit.deps, TENANT);
          expect(first.failed).toBe(0);
          expect(first.written).toBeGreaterThanOrEqual(6);
          const after = await summary();
          for (const [i, l] of labels.entries()) {
            const po = after.get(l.poHeaderId)!;
            expect(statusShown(po, mechanism, l.trackingNumber), l.poHeaderId).toBe(
              i < 3 ? 'DELIVERED' : 'EXCEPTION',
            );
            if (mechanism === 'flexfield') expect(po.trackingNumber).toBe(l.trackingNumber);
          }

          // The same events again (UPS duplicates, a replay) and another flush: Fusion is not touched again.
          const revisions = new Map([...after].map(([id, p]) => [id, p.Revision]));
          await kit.scenario('PUT', '/webhooks/behaviour', { duplicateProbability: 1 });
          for (const l of labels.slice(3))
            await kit.scenario('POST', `/packages/${l.trackingNumber}/move`, { action: 'deliver' });
          await kit.scenario('POST', '/webhooks/push');
          const second = await flushStatusWriteBacks(kit.deps, TENANT);
          expect(second).toMatchObject({ failed: 0 });
          const final = await summary();
          for (const l of labels)
            expect(statusShown(final.get(l.poHeaderId)!, mechanism, l.trackingNumber)).toBe('DELIVERED');
          // Only the three newly delivered POs changed, each by one change order.
          for (const [i, l] of labels.entries()) {
            expect(final.get(l.poHeaderId)!.Revision - revisions.get(l.poHeaderId)!, l.poHeaderId).toBe(
              i < 3 ? 0 : 1,
            );
          }
          expect(await flushStatusWriteBacks(kit.deps, TENANT)).toEqual({
            written: 0,
            skipped: 0,
            failed: 0,
          });
          const records = await kit.storage.repos.writeBacks.listByPo(TENANT, labels[0]!.poHeaderId);
          expect(new Set(records.map((r) => r.changeKey)).size).toBe(records.length);
          expect(records.every((r) => r.state === 'done')).toBe(true);
        }, 120_000);
      },
    );
  }
