/**
 * Exactly once under faults, over real HTTP: UPS accepts shipments and drops the answer, answers 5xx and
 * 429, revokes tokens mid-run; Fusion answers 503 on polls and ASNs. Every PO must still end shipped with
 * one live label per ship-to location, and the retries must show in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_TENANT as TENANT,
  selectedBySeed,
  startSandboxPipeline,
  type SandboxPipeline,
} from './testing/sandbox-harness.js';

let h: SandboxPipeline;

beforeAll(async () => {
  h = await startSandboxPipeline({ poCount: 30, seed: 23 });
  await h.upsFault({ endpoint: 'ship', kind: 'accept-then-fail', probability: 0.5, times: 6 });
  await h.upsFault({ endpoint: 'ship', kind: 'server-error', status: 503, probability: 0.3, times: 4 });
  await h.upsFault({ endpoint: '*', kind: 'rate-limit', probability: 0.2, times: 10 });
  await h.upsFault({ endpoint: 'rating', kind: 'revoke-token', times: 1 });
  h.fusionSandbox.sandbox.faults.add({
    endpoint: 'purchaseOrders',
    method: 'GET',
    kind: 'error',
    status: 503,
    skip: 2,
    times: 3,
  });
  h.fusionSandbox.sandbox.faults.add({
    endpoint: 'receivingReceiptRequests',
    method: 'POST',
    kind: 'error',
    status: 503,
    times: 2,
  });
  await h.runUntilQuiet(30);
}, 180_000);

afterAll(async () => h?.close());

describe('pipeline under UPS and Fusion faults', () => {
  it('ends with every shippable PO shipped once per ship-to location and no stray label', async () => {
    const summary = await h.fusionSummary();
    let done = 0;
    let liveExpected = 0;
    for (const p of summary.filter(selectedBySeed)) {
      const record = await h.storage.repos.purchaseOrders.latest(TENANT, String(p.POHeaderId));
      const live = (await h.ledger(p.OrderNumber)).liveShipments;
      if (record?.state === 'flagged') {
        expect(record.reason, `PO ${p.OrderNumber}`).toMatch(/^(weight|frozen|address): /);
        expect(live).toBe(0);
        continue;
      }
      expect(record, `PO ${p.OrderNumber}`).toMatchObject({ state: 'done' });
      expect(live, `live UPS shipments for ${p.OrderNumber}`).toBe(p.shipToLocationCodes.length);
      liveExpected += live;
      done += 1;
    }
    expect(done).toBeGreaterThan(3);
    const all = await h.ledger();
    // Labels made while the answer was lost were adopted (or voided as duplicates), never left live.
    expect(all.liveShipments).toBe(liveExpected);
  });

  it('shows the faults and their recovery in the audit trail', async () => {
    const recovery = await h.storage.repos.audit.query({
      tenantId: TENANT,
      step: 'recover-in-doubt',
      limit: 500,
    });
    expect(recovery.some((e) => e.message?.startsWith('adopted UPS shipment'))).toBe(true);
    const retries = await h.storage.repos.audit.query({ tenantId: TENANT, outcome: 'retry', limit: 500 });
    expect(retries.length).toBeGreaterThan(0);
  });
});
