/**
 * Poll watermarks per tenant and source. The poller queries LastUpdateDate > watermark − overlap, so it
 * sees the POs at the watermark instant again; `idsAtWatermark` (the POHeaderIds seen at exactly that
 * instant) lets it skip those without missing a PO that shares the same second.
 */
import type { RepoContext } from './context.js';
import { inTransaction, toDate } from './context.js';

export interface Watermark {
  tenantId: string;
  source: string;
  lastUpdateDate: Date;
  idsAtWatermark: string[];
  updatedAt: Date;
}

export function watermarksRepository(ctx: RepoContext) {
  const toWatermark = (c: RepoContext, r: Record<string, unknown>): Watermark => ({
    tenantId: String(r.tenant_id),
    source: String(r.source),
    lastUpdateDate: toDate(r.last_update_date),
    idsAtWatermark: c.d.parseJson<string[] | null>(r.ids_at_watermark) ?? [],
    updatedAt: toDate(r.updated_at),
  });
  const read = async (c: RepoContext, tenantId: string, source: string, lock: boolean) => {
    let q = c.db
      .selectFrom('poll_watermarks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('source', '=', source);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? toWatermark(c, row) : null;
  };
  return {
    get: (tenantId: string, source: string) => read(ctx, tenantId, source, false),
    /**
     * Moves the watermark forward after a page is durably recorded. An older instant is ignored (returns
     * the stored one); the same instant merges the ids; a newer instant replaces them.
     */
    async advance(
      tenantId: string,
      source: string,
      to: { lastUpdateDate: Date; idsAtWatermark: string[] },
    ): Promise<Watermark> {
      return inTransaction(ctx, async (tx) => {
        const current = await read(tx, tenantId, source, true);
        const now = tx.now();
        const target = to.lastUpdateDate.getTime();
        if (!current) {
          await tx.db
            .insertInto('poll_watermarks')
            .values({
              tenant_id: tenantId,
              source,
              last_update_date: to.lastUpdateDate,
              ids_at_watermark: tx.d.json([...new Set(to.idsAtWatermark)].sort()),
              updated_at: now,
            })
            .execute();
          return (await read(tx, tenantId, source, false))!;
        }
        const at = current.lastUpdateDate.getTime();
        if (target < at) return current;
        const ids =
          target === at
            ? [...new Set([...current.idsAtWatermark, ...to.idsAtWatermark])]
            : [...new Set(to.idsAtWatermark)];
        await tx.db
          .updateTable('poll_watermarks')
          .set({
            last_update_date: to.lastUpdateDate,
            ids_at_watermark: tx.d.json(ids.sort()),
            updated_at: now,
          })
          .where('tenant_id', '=', tenantId)
          .where('source', '=', source)
          .execute();
        return (await read(tx, tenantId, source, false))!;
      });
    },
    /** Operator reset (re-poll from an instant); unlike advance, may move backwards. */
    async reset(tenantId: string, source: string, lastUpdateDate: Date): Promise<void> {
      await inTransaction(ctx, async (tx) => {
        await tx.db
          .deleteFrom('poll_watermarks')
          .where('tenant_id', '=', tenantId)
          .where('source', '=', source)
          .execute();
        await tx.db
          .insertInto('poll_watermarks')
          .values({
            tenant_id: tenantId,
            source,
            last_update_date: lastUpdateDate,
            ids_at_watermark: tx.d.json([]),
            updated_at: tx.now(),
          })
          .execute();
      });
    },
  };
}

export type WatermarksRepository = ReturnType<typeof watermarksRepository>;
