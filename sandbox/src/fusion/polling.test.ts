/* eslint-disable @typescript-eslint/no-explicit-any -- tests read Fusion JSON loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startClient, type FusionTestClient } from './test-client.js';

/** The connector's poll: changed since the watermark, Open, oldest first (fusion.md §5.2). */
async function poll(c: FusionTestClient, since: string): Promise<any[]> {
  const q = encodeURIComponent(`LastUpdateDate > '${since}' and StatusCode = 'OPEN'`);
  const out: any[] = [];
  for (let offset = 0; ; offset += 50) {
    const page = await c.get(
      `${API}/purchaseOrders?q=${q}&orderBy=LastUpdateDate:asc,POHeaderId:asc&limit=50&offset=${offset}&fields=POHeaderId,Revision,LastUpdateDate&onlyData=true`,
    );
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    if (!page.body.hasMore) return out;
  }
}

describe('polling by LastUpdateDate', () => {
  let c: FusionTestClient;
  beforeAll(async () => {
    c = await startClient({ poCount: 80 });
  });
  afterAll(() => c.close());

  it('sees a PO that was created earlier and approved after the last poll', async () => {
    const created = await c.scenario('POST', '/purchase-orders', {
      status: 'INCOMPLETE',
      approveInSeconds: 900,
      createdSecondsAgo: 3600,
      shipViaUps: true,
    });
    const id = created.header.POHeaderId;
    const watermark = new Date(c.sandbox.clock.nowMs()).toISOString();
    expect((await poll(c, watermark)).map((p) => p.POHeaderId)).not.toContain(id);

    c.sandbox.clock.advance(600_000);
    expect((await poll(c, watermark)).map((p) => p.POHeaderId)).not.toContain(id);

    c.sandbox.clock.advance(301_000);
    const seen = await poll(c, watermark);
    const mine = seen.find((p) => p.POHeaderId === id);
    expect(mine).toBeDefined();
    // Seeded POs awaiting approval may have become Open in the same window; all of them are new.
    for (const p of seen) expect(Date.parse(p.LastUpdateDate)).toBeGreaterThan(Date.parse(watermark));
    // Polling on CreationDate alone would have missed it: it was created before the watermark.
    expect(Date.parse(created.header.CreationDate)).toBeLessThan(Date.parse(watermark));
  });

  it('sees a revised PO again with its new revision, and an idle poll returns nothing', async () => {
    // Let every seeded approval happen first, so nothing else changes after the watermark.
    c.sandbox.clock.advance(4 * 3600_000);
    const open = (await poll(c, '2000-01-01T00:00:00Z'))[0];
    const watermark = new Date(c.sandbox.clock.nowMs()).toISOString();
    expect(await poll(c, watermark)).toEqual([]);
    c.sandbox.clock.advance(5_000);
    await c.scenario('PATCH', `/purchase-orders/${open.POHeaderId}`, {
      header: { ShipToLocationCode: 'SJC-WH' },
    });
    const seen = await poll(c, watermark);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ POHeaderId: open.POHeaderId, Revision: open.Revision + 1 });
  });

  it('orders pages stably so a watermark can advance page by page', async () => {
    const everything = await poll(c, '2000-01-01T00:00:00Z');
    const times = everything.map((p) => Date.parse(p.LastUpdateDate));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(everything.map((p) => p.POHeaderId)).size).toBe(everything.length);
  });
});

describe('approval on the clock', () => {
  it('does not approve a PO that was canceled while it waited', async () => {
    const c = await startClient({ poCount: 0 });
    try {
      const po = await c.scenario('POST', '/purchase-orders', { status: 'INCOMPLETE', approveInSeconds: 60 });
      await c.scenario('POST', `/purchase-orders/${po.header.POHeaderId}/cancel`);
      c.sandbox.clock.advance(120_000);
      expect((await c.get(`${API}/purchaseOrders/${po.header.POHeaderId}`)).body.StatusCode).toBe('CANCELED');
      const other = await c.scenario('POST', '/purchase-orders', {
        status: 'PENDING APPROVAL',
        approveInSeconds: 60,
      });
      c.sandbox.clock.advance(61_000);
      expect((await c.get(`${API}/purchaseOrders/${other.header.POHeaderId}`)).body.StatusCode).toBe('OPEN');
    } finally {
      await c.close();
    }
  });
});
