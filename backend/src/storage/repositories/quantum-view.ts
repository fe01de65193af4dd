/**
 * Raw Quantum View pages, persisted before they are processed, so a crash between fetch and processing
 * (Quantum View hands out each event once per bookmark cycle) loses nothing: unprocessed pages are
 * replayed on restart.
 */
import type { RepoContext } from './context.js';
import { newId, toDate, toDateOrNull } from './context.js';

export interface QuantumViewPage {
  id: string;
  tenantId: string;
  subscriptionName: string;
  bookmark: string | null;
  raw: string;
  receivedAt: Date;
  processedAt: Date | null;
  error: string | null;
}

export function quantumViewRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toPage = (r: Record<string, unknown>): QuantumViewPage => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    subscriptionName: String(r.subscription_name),
    bookmark: (r.bookmark as string | null) ?? null,
    raw: String(r.raw),
    receivedAt: toDate(r.received_at),
    processedAt: toDateOrNull(r.processed_at),
    error: (r.error as string | null) ?? null,
  });
  return {
    /** `raw` is the response body text exactly as received. */
    async saveRaw(
      tenantId: string,
      page: { subscriptionName: string; bookmark?: string | null; raw: string },
    ): Promise<QuantumViewPage> {
      const row = {
        tenant_id: tenantId,
        id: newId(),
        subscription_name: page.subscriptionName,
        bookmark: page.bookmark ?? null,
        raw: page.raw,
        received_at: ctx.now(),
        processed_at: null,
        error: null,
      };
      await db.insertInto('quantum_view_pages').values(row).execute();
      return toPage(row);
    },
    /** Oldest first, so events are replayed in the order they were fetched. */
    async listUnprocessed(tenantId: string, limit = 50): Promise<QuantumViewPage[]> {
      const q = db
        .selectFrom('quantum_view_pages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('processed_at', 'is', null)
        .orderBy('received_at')
        .orderBy('id');
      return (await d.limit(q, limit).execute()).map(toPage);
    },
    /** Marks a page processed (error = quarantined: it cannot be read, never retried). */
    async markProcessed(tenantId: string, id: string, error: string | null = null): Promise<boolean> {
      const r = await db
        .updateTable('quantum_view_pages')
        .set({ processed_at: ctx.now(), error })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('processed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /**
     * Processing failed for a reason that may pass (storage, network): the page stays unprocessed for the
     * next run; `error` keeps the attempt count and the last problem ("attempt 3: …").
     */
    async recordFailedAttempt(tenantId: string, id: string, previousError: string | null, error: string) {
      const attempts = Number(/^attempt (\d+):/.exec(previousError ?? '')?.[1] ?? 0) + 1;
      await db
        .updateTable('quantum_view_pages')
        .set({ error: `attempt ${attempts}: ${error}`.slice(0, 2000) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('processed_at', 'is', null)
        .execute();
      return attempts;
    },
    /** The bookmark of the newest stored page of a subscription, to continue paging after a restart. */
    async lastBookmark(tenantId: string, subscriptionName: string): Promise<string | null> {
      const q = db
        .selectFrom('quantum_view_pages')
        .select('bookmark')
        .where('tenant_id', '=', tenantId)
        .where('subscription_name', '=', subscriptionName)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc');
      const row = await d.limit(q, 1).executeTakeFirst();
      return row?.bookmark ?? null;
    },
  };
}

export type QuantumViewRepository = ReturnType<typeof quantumViewRepository>;
