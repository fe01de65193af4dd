import type { Kysely } from 'kysely';
import type { SqlDialect } from '../dialect.js';
import type { Database } from '../schema.js';

/** What every repository is built from: a pool or a transaction, the dialect, and the clock. */
export interface RepoContext {
  db: Kysely<Database>;
  d: SqlDialect;
  now: () => Date;
}

/** Runs fn in the current transaction, or in a new one when ctx.db is the pool. */
export function inTransaction<T>(ctx: RepoContext, fn: (tx: RepoContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

export const newId = (): string => crypto.randomUUID();

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
