import { describe, expect, it } from 'vitest';
import { applySeen, pollTenant, type PollDeps } from './poll.js';
import type { PoRecord } from './ports.js';
import { FakeFusion } from './testing/fake-systems.js';
import { makePo, TENANT } from './testing/fixtures.js';
import { ManualClock, MemoryAudit, MemoryPoStore, MemoryWatermarks } from './testing/memory-stores.js';

const at = (iso: string) => new Date(iso);

function setup(pageSize = 2) {
  const fusion = new FakeFusion();
  const pos = new MemoryPoStore();
  const watermarks = new MemoryWatermarks();
  const deps: PollDeps = {
    tenantId: TENANT,
    fusion,
    pos,
    watermarks,
    audit: new MemoryAudit(),
    clock: new ManualClock(at('2026-03-02T10:00:00Z')),
    settings: { overlapMs: 5 * 60_000, pageSize, initialLookbackMs: 24 * 3600_000 },
  };
  return { fusion, pos, watermarks, deps };
}

const seed = (
  fusion: FakeFusion,
  id: string,
  updated: string,
  extra: Partial<ReturnType<typeof makePo>> = {},
) => fusion.put(makePo({ poHeaderId: id, orderNumber: `US${id}`, lastUpdateDate: at(updated), ...extra }));

describe('poll', () => {
  it('records every OPEN PO across pages and advances the watermark to the newest LastUpdateDate', async () => {
    const { fusion, pos, watermarks, deps } = setup(2);
    seed(fusion, '1', '2026-03-02T09:00:00Z');
    seed(fusion, '2', '2026-03-02T09:10:00Z');
    seed(fusion, '3', '2026-03-02T09:20:00Z');
    seed(fusion, '4', '2026-03-02T09:30:00Z', { statusCode: 'PENDING APPROVAL' });
    const r = await pollTenant(deps);
    expect(r.queued).toEqual(['1', '2', '3']);
    expect(r.requests).toBe(2);
    expect(await watermarks.get(TENANT)).toEqual(at('2026-03-02T09:20:00Z'));
    expect(await pos.get(TENANT, '2')).toMatchObject({ state: 'pending', step: 'select', revision: 0 });
  });

  it('costs one request when idle, and re-reading the overlap queues nothing twice', async () => {
    const { fusion, deps } = setup(10);
    seed(fusion, '1', '2026-03-02T09:58:00Z');
    expect((await pollTenant(deps)).queued).toEqual(['1']);
    fusion.listRequests = 0;
    const again = await pollTenant(deps); // 09:58 is inside the 5-minute overlap: re-read, deduplicated
    expect(again).toMatchObject({ requests: 1, seen: 1, queued: [] });
    expect(fusion.listRequests).toBe(1);
  });

  it('misses no PO when a PO already read closes or changes while the listing goes on (keyset, not offset)', async () => {
    const { fusion, pos, deps } = setup(2);
    for (const [id, t] of [
      ['1', '09:00'],
      ['2', '09:10'],
      ['3', '09:20'],
      ['4', '09:30'],
      ['5', '09:40'],
      ['6', '09:50'],
    ] as const)
      seed(fusion, id, `2026-03-02T${t}:00Z`);
    const list = fusion.listChangedSince.bind(fusion);
    let pages = 0;
    fusion.listChangedSince = async (since, page) => {
      const result = await list(since, page);
      pages += 1;
      // After page 1 (POs 1, 2): a buyer closes PO 1. After page 2: PO 2 is changed again (moves to the end).
      if (pages === 1) fusion.pos.get('1')!.statusCode = 'CLOSED';
      if (pages === 2) fusion.pos.get('2')!.lastUpdateDate = at('2026-03-02T09:55:00Z');
      return result;
    };
    await pollTenant(deps);
    for (const id of ['1', '2', '3', '4', '5', '6'])
      expect(await pos.get(TENANT, id), `PO ${id}`).not.toBeNull();
    expect((await pos.get(TENANT, '2'))?.lastUpdateDate).toEqual(at('2026-03-02T09:55:00Z'));
  });

  it('still moves on when a whole page carries one timestamp (the cursor cannot advance)', async () => {
    const { fusion, pos, deps } = setup(2);
    for (const id of ['1', '2', '3', '4', '5']) seed(fusion, id, '2026-03-02T09:00:00Z');
    // A Fusion whose timestamps are finer than the q literal: the equality branch never matches, so the
    // cursor alone would return the same page forever.
    const list = fusion.listChangedSince.bind(fusion);
    let requests = 0;
    fusion.listChangedSince = async (since, page) => {
      requests += 1;
      if (requests > 10) throw new Error('looping');
      return list(since, { ...page, after: null });
    };
    const r = await pollTenant(deps);
    expect(r.seen).toBe(5);
    for (const id of ['1', '2', '3', '4', '5']) expect(await pos.get(TENANT, id)).not.toBeNull();
  });

  it("keeps an operator's void flagged across PO changes; other flags start over", () => {
    const base: PoRecord = {
      tenantId: TENANT,
      poHeaderId: '1',
      orderNumber: 'US1',
      revision: 1,
      lastUpdateDate: at('2026-03-02T09:00:00Z'),
      state: 'flagged',
      step: 'ship',
      reason: 'shipment voided by an operator: wrong address',
      attempts: 0,
      nextAttemptAt: null,
      context: { flagKind: 'operator-void' },
    };
    const changed = {
      poHeaderId: '1',
      orderNumber: 'US1',
      revision: 2,
      lastUpdateDate: at('2026-03-02T09:30:00Z'),
      statusCode: 'OPEN',
    };
    expect(applySeen(TENANT, base, changed).record).toMatchObject({
      state: 'flagged',
      step: 'ship',
      revision: 2,
    });
    const addressFlag = { ...base, context: { flagKind: 'address' } };
    expect(applySeen(TENANT, addressFlag, changed).record).toMatchObject({
      state: 'pending',
      step: 'select',
    });
  });

  it('asks for LastUpdateDate after watermark minus overlap', async () => {
    const { fusion, watermarks, deps } = setup(10);
    await watermarks.set(TENANT, at('2026-03-02T09:00:00Z'));
    const asked: Date[] = [];
    const list = fusion.listChangedSince.bind(fusion);
    fusion.listChangedSince = async (since, page) => (asked.push(since), list(since, page));
    await pollTenant(deps);
    expect(asked).toEqual([at('2026-03-02T08:55:00Z')]);
  });

  it('does not move the watermark past a page that was not durably recorded', async () => {
    const { fusion, pos, watermarks, deps } = setup(2);
    for (const [id, t] of [
      ['1', '09:00'],
      ['2', '09:10'],
      ['3', '09:20'],
      ['4', '09:30'],
    ] as const)
      seed(fusion, id, `2026-03-02T${t}:00Z`);
    const save = pos.save.bind(pos);
    pos.save = async (r: PoRecord) => {
      if (r.poHeaderId === '3') throw new Error('database went away');
      return save(r);
    };
    await expect(pollTenant(deps)).rejects.toThrow('database went away');
    expect(await watermarks.get(TENANT)).toEqual(at('2026-03-02T09:10:00Z'));
    pos.save = save;
    const r = await pollTenant(deps);
    expect(r.queued).toEqual(['3', '4']);
    expect(await watermarks.get(TENANT)).toEqual(at('2026-03-02T09:30:00Z'));
  });

  it('leaves a PO that a worker holds for the next poll and keeps the watermark below it', async () => {
    const { fusion, pos, watermarks, deps } = setup(10);
    seed(fusion, '1', '2026-03-02T09:00:00Z');
    seed(fusion, '2', '2026-03-02T09:10:00Z');
    seed(fusion, '3', '2026-03-02T09:20:00Z');
    let busy = true;
    deps.claim = async (id) => (id === '2' && busy ? null : async () => undefined);
    const r = await pollTenant(deps);
    expect(r.queued).toEqual(['1', '3']);
    expect(await pos.get(TENANT, '2')).toBeNull();
    expect(await watermarks.get(TENANT)).toEqual(new Date(at('2026-03-02T09:10:00Z').getTime() - 1));
    busy = false;
    expect((await pollTenant(deps)).queued).toEqual(['2']);
    expect(await watermarks.get(TENANT)).toEqual(at('2026-03-02T09:20:00Z'));
  });

  it('treats a new revision of a flagged PO as a reason to try again, but never re-ships a done PO', () => {
    const base = makePo();
    const summary = {
      poHeaderId: base.poHeaderId,
      orderNumber: base.orderNumber,
      revision: 1,
      lastUpdateDate: at('2026-03-02T11:00:00Z'),
      statusCode: 'OPEN',
    };
    const record: PoRecord = {
      tenantId: TENANT,
      poHeaderId: base.poHeaderId,
      orderNumber: base.orderNumber,
      revision: 0,
      lastUpdateDate: base.lastUpdateDate,
      state: 'flagged',
      step: 'address',
      reason: 'address: address needs correction',
      attempts: 1,
      nextAttemptAt: null,
      context: { flagKind: 'address' },
    };
    expect(applySeen(TENANT, record, summary).record).toMatchObject({
      state: 'pending',
      step: 'select',
      revision: 1,
      attempts: 0,
      reason: null,
      context: {},
    });
    const done = applySeen(TENANT, { ...record, state: 'done', step: 'done' }, summary).record;
    expect(done).toMatchObject({ state: 'done', step: 'done', revision: 1 });
    const shipping = applySeen(
      TENANT,
      {
        ...record,
        state: 'retrying',
        step: 'ship',
        context: {
          groups: [
            {
              shipToLocationId: 'LOC1',
              rate: { serviceCode: '03', total: { amount: '1', currency: 'USD' } },
            },
          ],
        },
      },
      summary,
    ).record;
    expect(shipping).toMatchObject({ state: 'retrying', step: 'ship' });
    expect(shipping?.context.groups?.[0]?.rate).toBeDefined();
    expect(
      applySeen(TENANT, { ...record, revision: 1, lastUpdateDate: summary.lastUpdateDate }, summary),
    ).toEqual({ outcome: 'unchanged', record: null });
  });
});
