/**
 * Purchase orders seen by the poller, one row per (tenant, POHeaderId, revision). The pipeline resumes a
 * PO at `step`; moving between steps is a compare-and-set on the step so two workers never run the same
 * step of the same PO. `context` accumulates step outputs (mapping, validated address, packages, quote id).
 */
import type { RepoContext } from './context.js';
import { inTransaction, toDate, toDateOrNull } from './context.js';
import { insertIfAbsent } from '../dialect.js';

/**
 * pending: the pipeline should run `step`; retry_wait: transient failure, due at nextAttemptAt;
 * ignored: not selected (reason); flagged: hard problem shown on the PO (reason), waits for a change or an
 * admin; done: shipped and written back; superseded: a newer revision took over.
 */
export type PoState = 'pending' | 'retry_wait' | 'ignored' | 'flagged' | 'done' | 'superseded';

export interface PurchaseOrderRecord {
  tenantId: string;
  poHeaderId: string;
  revision: number;
  poNumber: string | null;
  state: PoState;
  step: string;
  reason: string | null;
  attempts: number;
  transientFailures: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastUpdateDate: Date | null;
  payloadHash: string | null;
  payload: unknown;
  context: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface SeenPo {
  poHeaderId: string;
  revision: number;
  poNumber?: string | null;
  lastUpdateDate?: Date | null;
  payload: unknown;
  /** Hash of what matters for shipping; a different hash on the same revision reports `changed`. */
  payloadHash?: string | null;
  /** Step a new PO starts at. */
  firstStep?: string;
}

type Key = { tenantId: string; poHeaderId: string; revision: number };

export function purchaseOrdersRepository(ctx: RepoContext) {
  const { d } = ctx;
  const toRecord = (r: Record<string, unknown>): PurchaseOrderRecord => ({
    tenantId: String(r.tenant_id),
    poHeaderId: String(r.po_header_id),
    revision: Number(r.revision),
    poNumber: (r.po_number as string | null) ?? null,
    state: r.state as PoState,
    step: String(r.step),
    reason: (r.reason as string | null) ?? null,
    attempts: Number(r.attempts),
    transientFailures: Number(r.transient_failures),
    nextAttemptAt: toDateOrNull(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    lastUpdateDate: toDateOrNull(r.last_update_date),
    payloadHash: (r.payload_hash as string | null) ?? null,
    payload: d.parseJson(r.payload),
    context: d.parseJson<Record<string, unknown> | null>(r.context) ?? {},
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  const read = async (c: RepoContext, k: Key, lock = false) => {
    let q = c.db
      .selectFrom('purchase_orders')
      .selectAll()
      .where('tenant_id', '=', k.tenantId)
      .where('po_header_id', '=', k.poHeaderId)
      .where('revision', '=', k.revision);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? toRecord(row) : null;
  };
  const key = (k: Key) => ({ tenant_id: k.tenantId, po_header_id: k.poHeaderId, revision: k.revision });

  return {
    get: (tenantId: string, poHeaderId: string, revision: number) =>
      read(ctx, { tenantId, poHeaderId, revision }),

    /** The highest revision seen of a PO. */
    async latest(tenantId: string, poHeaderId: string): Promise<PurchaseOrderRecord | null> {
      const row = await d
        .limit(
          ctx.db
            .selectFrom('purchase_orders')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .where('po_header_id', '=', poHeaderId)
            .orderBy('revision', 'desc'),
          1,
        )
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    /** Records a polled PO once per revision. `changed`: same revision, different payload hash. */
    async recordSeen(
      tenantId: string,
      po: SeenPo,
    ): Promise<{ po: PurchaseOrderRecord; created: boolean; changed: boolean }> {
      return inTransaction(ctx, async (tx) => {
        const now = tx.now();
        const k = { tenantId, poHeaderId: po.poHeaderId, revision: po.revision };
        const created = await insertIfAbsent(
          d,
          tx.db,
          'purchase_orders',
          {
            ...key(k),
            po_number: po.poNumber ?? null,
            state: 'pending',
            step: po.firstStep ?? 'select',
            reason: null,
            attempts: 0,
            transient_failures: 0,
            next_attempt_at: null,
            last_error: null,
            last_update_date: po.lastUpdateDate ?? null,
            payload_hash: po.payloadHash ?? null,
            payload: d.json(po.payload),
            context: d.json({}),
            created_at: now,
            updated_at: now,
          },
          ['tenant_id', 'po_header_id', 'revision'],
        );
        const current = (await read(tx, k, !created))!;
        if (created || (po.payloadHash ?? null) === current.payloadHash)
          return { po: current, created, changed: false };
        await tx.db
          .updateTable('purchase_orders')
          .set({
            payload: d.json(po.payload),
            payload_hash: po.payloadHash ?? null,
            last_update_date: po.lastUpdateDate ?? null,
            updated_at: now,
          })
          .where('tenant_id', '=', tenantId)
          .where('po_header_id', '=', po.poHeaderId)
          .where('revision', '=', po.revision)
          .execute();
        return { po: (await read(tx, k))!, created: false, changed: true };
      });
    },

    /** Newest first; for the operator list. */
    async list(
      tenantId: string,
      options: { state?: PoState; limit?: number; offset?: number } = {},
    ): Promise<PurchaseOrderRecord[]> {
      let q = ctx.db.selectFrom('purchase_orders').selectAll().where('tenant_id', '=', tenantId);
      if (options.state) q = q.where('state', '=', options.state);
      q = q.orderBy('updated_at', 'desc').orderBy('po_header_id').orderBy('revision', 'desc');
      if (options.offset) q = q.offset(options.offset);
      return (await d.limit(q, options.limit ?? 100).execute()).map(toRecord);
    },

    /** POs the runner should work on now: pending, or retry_wait whose time has come. */
    async listDue(tenantId: string | null, limit = 100): Promise<PurchaseOrderRecord[]> {
      const now = ctx.now();
      let q = ctx.db
        .selectFrom('purchase_orders')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('state', '=', 'pending'),
            eb.and([eb('state', '=', 'retry_wait'), eb('next_attempt_at', '<=', now)]),
          ]),
        );
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
      return (await d.limit(q.orderBy('updated_at').orderBy('po_header_id'), limit).execute()).map(toRecord);
    },

    /**
     * Moves a PO from step `fromStep` to `toStep` (compare-and-set), merging `context`. False when another
     * worker moved it first or it is no longer pending/retry_wait.
     */
    async advance(
      k: Key,
      change: {
        fromStep: string;
        toStep: string;
        state?: PoState;
        reason?: string | null;
        context?: Record<string, unknown>;
      },
    ): Promise<boolean> {
      return inTransaction(ctx, async (tx) => {
        const current = await read(tx, k, true);
        if (!current || current.step !== change.fromStep) return false;
        if (current.state !== 'pending' && current.state !== 'retry_wait') return false;
        const r = await tx.db
          .updateTable('purchase_orders')
          .set({
            step: change.toStep,
            state: change.state ?? 'pending',
            reason: change.reason === undefined ? current.reason : change.reason,
            context: d.json({ ...current.context, ...change.context }),
            next_attempt_at: null,
            transient_failures: 0,
            last_error: null,
            attempts: current.attempts + 1,
            updated_at: tx.now(),
          })
          .where('tenant_id', '=', k.tenantId)
          .where('po_header_id', '=', k.poHeaderId)
          .where('revision', '=', k.revision)
          .where('step', '=', change.fromStep)
          .where('state', 'in', ['pending', 'retry_wait'])
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      });
    },

    /** Ends processing for now: ignored / flagged / done / superseded, with the reason shown to operators. */
    async finish(
      k: Key,
      outcome: {
        state: Exclude<PoState, 'pending' | 'retry_wait'>;
        reason?: string | null;
        error?: string | null;
      },
    ) {
      const r = await ctx.db
        .updateTable('purchase_orders')
        .set({
          state: outcome.state,
          reason: outcome.reason ?? null,
          last_error: outcome.error ?? null,
          next_attempt_at: null,
          updated_at: ctx.now(),
        })
        .where('tenant_id', '=', k.tenantId)
        .where('po_header_id', '=', k.poHeaderId)
        .where('revision', '=', k.revision)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * A transient failure at the current step: retry at `nextAttemptAt`, or flag the PO once
     * `maxTransientFailures` is reached. Returns the new state.
     */
    async recordTransientFailure(
      k: Key,
      failure: { error: string; nextAttemptAt: Date; maxTransientFailures: number },
    ): Promise<PoState | null> {
      return inTransaction(ctx, async (tx) => {
        const current = await read(tx, k, true);
        if (!current) return null;
        const failures = current.transientFailures + 1;
        const state: PoState = failures >= failure.maxTransientFailures ? 'flagged' : 'retry_wait';
        await tx.db
          .updateTable('purchase_orders')
          .set({
            state,
            transient_failures: failures,
            next_attempt_at: state === 'retry_wait' ? failure.nextAttemptAt : null,
            last_error: failure.error,
            reason:
              state === 'flagged'
                ? `gave up after ${failures} transient failures at ${current.step}`
                : current.reason,
            updated_at: tx.now(),
          })
          .where('tenant_id', '=', k.tenantId)
          .where('po_header_id', '=', k.poHeaderId)
          .where('revision', '=', k.revision)
          .execute();
        return state;
      });
    },

    /** Admin retry or a changed PO: back to pending at `step`, counters cleared. */
    async reopen(k: Key, step: string, reason: string | null = null): Promise<boolean> {
      const r = await ctx.db
        .updateTable('purchase_orders')
        .set({
          state: 'pending',
          step,
          reason,
          transient_failures: 0,
          next_attempt_at: null,
          last_error: null,
          updated_at: ctx.now(),
        })
        .where('tenant_id', '=', k.tenantId)
        .where('po_header_id', '=', k.poHeaderId)
        .where('revision', '=', k.revision)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type PurchaseOrdersRepository = ReturnType<typeof purchaseOrdersRepository>;
