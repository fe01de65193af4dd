/**
 * Jobs with leases, shared by several instances on one database. A worker claims due jobs (FOR UPDATE
 * SKIP LOCKED, see dialect.ts), renews its lease with heartbeat, then completes or fails them. A lease
 * that runs out (crashed worker) makes the job claimable again; heartbeat/complete/fail from the old
 * owner then return false.
 */
import type { RepoContext } from './context.js';
import { newId, toDate, toDateOrNull } from './context.js';
import { claimJobs, insertIfAbsent } from '../dialect.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: string;
  tenantId: string;
  kind: string;
  dedupeKey: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  runAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function jobsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toJob = (r: Record<string, unknown>): Job => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    kind: String(r.kind),
    dedupeKey: String(r.dedupe_key),
    payload: d.parseJson(r.payload),
    state: r.state as JobState,
    attempts: Number(r.attempts),
    runAt: toDate(r.run_at),
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: toDateOrNull(r.lease_expires_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  const get = async (tenantId: string, id: string) => {
    const row = await db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toJob(row) : null;
  };
  const byDedupe = async (tenantId: string, kind: string, dedupeKey: string) =>
    toJob(
      await db
        .selectFrom('jobs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirstOrThrow(),
    );
  const owned = (tenantId: string, id: string, workerId: string) =>
    db
      .updateTable('jobs')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', workerId);

  return {
    get,
    /**
     * Queues a job. With a dedupeKey, at most one job per (tenant, kind, key) exists: enqueueing again
     * while it is queued or running returns it unchanged; once done or failed it is queued again.
     */
    async enqueue(
      tenantId: string,
      kind: string,
      payload: unknown = null,
      options: { runAt?: Date; dedupeKey?: string } = {},
    ): Promise<Job> {
      const now = ctx.now();
      const id = newId();
      const dedupeKey = options.dedupeKey ?? id;
      const runAt = options.runAt ?? now;
      const created = await insertIfAbsent(
        d,
        db,
        'jobs',
        {
          tenant_id: tenantId,
          id,
          kind,
          dedupe_key: dedupeKey,
          payload: d.json(payload),
          state: 'queued',
          attempts: 0,
          run_at: runAt,
          lease_owner: null,
          lease_expires_at: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        },
        ['tenant_id', 'kind', 'dedupe_key'],
      );
      if (!created) {
        await db
          .updateTable('jobs')
          .set({
            state: 'queued',
            payload: d.json(payload),
            run_at: runAt,
            attempts: 0,
            last_error: null,
            lease_owner: null,
            lease_expires_at: null,
            updated_at: now,
          })
          .where('tenant_id', '=', tenantId)
          .where('kind', '=', kind)
          .where('dedupe_key', '=', dedupeKey)
          .where('state', 'in', ['done', 'failed'])
          .execute();
      }
      return byDedupe(tenantId, kind, dedupeKey);
    },
    /** Claims up to `limit` due jobs of `kind` (null tenant = any tenant), including ones whose lease ran out. */
    async claim(
      tenantId: string | null,
      kind: string,
      workerId: string,
      leaseMs: number,
      limit: number,
    ): Promise<Job[]> {
      const rows = await claimJobs(d, db, { tenantId, kind, workerId, leaseMs, limit, now: ctx.now() });
      return rows
        .map(toJob)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
    },
    /** Extends the lease; false when the lease was lost (expired and claimed by another worker). */
    async heartbeat(tenantId: string, id: string, workerId: string, leaseMs: number): Promise<boolean> {
      const now = ctx.now();
      const r = await owned(tenantId, id, workerId)
        .set({ lease_expires_at: new Date(now.getTime() + leaseMs), updated_at: now })
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async complete(tenantId: string, id: string, workerId: string): Promise<boolean> {
      const r = await owned(tenantId, id, workerId)
        .set({ state: 'done', lease_owner: null, lease_expires_at: null, updated_at: ctx.now() })
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Failure: queued again at retryAt, or failed for good when retryAt is null. */
    async fail(
      tenantId: string,
      id: string,
      workerId: string,
      error: string,
      retryAt: Date | null,
    ): Promise<boolean> {
      const r = await owned(tenantId, id, workerId)
        .set({
          state: retryAt ? 'queued' : 'failed',
          run_at: retryAt ?? ctx.now(),
          last_error: error,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: ctx.now(),
        })
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async list(
      tenantId: string,
      options: { kind?: string; state?: JobState; limit?: number } = {},
    ): Promise<Job[]> {
      let q = db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId);
      if (options.kind) q = q.where('kind', '=', options.kind);
      if (options.state) q = q.where('state', '=', options.state);
      return (await d.limit(q.orderBy('run_at').orderBy('id'), options.limit ?? 100).execute()).map(toJob);
    },
  };
}

export type JobsRepository = ReturnType<typeof jobsRepository>;
