/**
 * EVERY difference between PostgreSQL (server or PGlite) and Oracle lives in this file: column types,
 * how booleans and JSON travel, row limits, upsert (ON CONFLICT vs MERGE), insert-returning (RETURNING vs
 * insert-then-select), unique-violation detection, and the job-claim query (FOR UPDATE SKIP LOCKED).
 * Repositories and migrations call these functions and never branch on the engine themselves. Placeholders
 * ($1 vs :1) and identifier quoting are handled by the Kysely dialects' query compilers.
 *
 * Oracle caveat that no code can hide: '' IS NULL there. Callers must not store an empty string in a NOT NULL
 * column or give '' a meaning different from null (normalise UPS's "" to null or a real value first).
 * Time is never taken from the database (no now()/SYSTIMESTAMP): repositories pass the app clock as a bind,
 * so every engine compares the same instants and tests can move the clock.
 */
import {
  sql,
  type RawBuilder,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type SelectQueryBuilder,
} from 'kysely';
import { withExecuteOptions } from 'kysely-oracledb';
import type { EngineName } from './errors.js';

/** Any Kysely handle (the pool or a transaction); dialect helpers work on untyped tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

export type ColumnKind =
  /** App-generated UUIDs. varchar on both engines so a malformed id from a URL is "not found", not a type error. */
  | 'id'
  /** Tenant ids are slugs or UUIDs chosen by configuration. */
  | 'tenant'
  /** Short codes and external keys (states, POHeaderId, tracking numbers): ≤ 64 characters. */
  | 'code'
  /** Names, hashes, references: ≤ 255 characters. */
  | 'name'
  | 'text'
  | 'json'
  | 'bool'
  | 'int'
  | 'timestamp'
  | 'identity';

export interface ColumnOptions {
  nullable?: boolean;
}

export interface SqlDialect {
  readonly engine: EngineName;
  readonly family: 'postgres' | 'oracle';
  /** Adds one column of a portable kind to a CREATE TABLE. */
  column<T extends string>(
    table: CreateTableBuilder<T, never>,
    name: string,
    kind: ColumnKind,
    options?: ColumnOptions,
  ): CreateTableBuilder<T, never>;
  json(value: unknown): string | null;
  parseJson<T>(value: unknown): T;
  bool(value: boolean): boolean | number;
  parseBool(value: unknown): boolean;
  /** Caps a SELECT at n rows (LIMIT on PostgreSQL, FETCH FIRST on Oracle). */
  limit<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
    n: number,
  ): SelectQueryBuilder<DB, TB, O>;
  isUniqueViolation(error: unknown): boolean;
  /** The cheapest statement that proves the server answers. */
  ping(db: AnyDb): Promise<void>;
  /** `column = value` for a big-text column (Oracle cannot compare CLOBs with =). */
  textEquals(column: string, value: string): RawBuilder<boolean>;
}

const PG_TYPES: Record<ColumnKind, string> = {
  id: 'varchar(36)',
  tenant: 'varchar(64)',
  code: 'varchar(64)',
  name: 'varchar(255)',
  text: 'text',
  json: 'jsonb',
  bool: 'boolean',
  int: 'integer',
  timestamp: 'timestamptz',
  identity: 'bigint',
};

const ORACLE_TYPES: Record<ColumnKind, string> = {
  id: 'varchar2(36 char)',
  tenant: 'varchar2(64 char)',
  code: 'varchar2(64 char)',
  name: 'varchar2(255 char)',
  text: 'clob',
  // Portable to 19c ADB: JSON as CLOB with an IS JSON check (the native JSON type needs 21c+).
  json: 'clob',
  // No SQL BOOLEAN before 23ai.
  bool: 'number(1)',
  int: 'number(10)',
  timestamp: 'timestamp with time zone',
  identity: 'number(19)',
};

function addColumn<T extends string>(
  types: Record<ColumnKind, string>,
  family: 'postgres' | 'oracle',
  table: CreateTableBuilder<T, never>,
  name: string,
  kind: ColumnKind,
  options: ColumnOptions = {},
): CreateTableBuilder<T, never> {
  return table.addColumn(name, sql.raw(types[kind]), (col: ColumnDefinitionBuilder) => {
    let c = col;
    if (kind === 'identity') c = c.generatedAlwaysAsIdentity();
    if (!options.nullable) c = c.notNull();
    if (family === 'oracle' && kind === 'json') c = c.check(sql`${sql.ref(name)} is json`);
    if (family === 'oracle' && kind === 'bool') c = c.check(sql`${sql.ref(name)} in (0, 1)`);
    return c;
  });
}

function parseJson<T>(value: unknown): T {
  if (typeof value === 'string') return JSON.parse(value) as T;
  return (value ?? null) as T;
}

function makeDialect(engine: EngineName): SqlDialect {
  const family = engine === 'oracle' ? 'oracle' : 'postgres';
  const types = family === 'oracle' ? ORACLE_TYPES : PG_TYPES;
  return {
    engine,
    family,
    column: (table, name, kind, options) => addColumn(types, family, table, name, kind, options),
    json: (value) => (value === undefined || value === null ? null : JSON.stringify(value)),
    parseJson,
    bool: (value) => (family === 'oracle' ? (value ? 1 : 0) : value),
    parseBool: (value) => value === true || value === 1 || value === '1' || value === 't',
    limit: (query, n) => (family === 'oracle' ? query.fetch(n) : query.limit(n)),
    ping: async (db) => {
      await (family === 'oracle' ? sql`select 1 from dual` : sql`select 1`).execute(db);
    },
    textEquals: (column, value) =>
      family === 'oracle'
        ? sql<boolean>`dbms_lob.compare(${sql.ref(column)}, to_clob(${value})) = 0`
        : sql<boolean>`${sql.ref(column)} = ${value}`,
    isUniqueViolation: (error) => {
      const e = error as { code?: unknown; errorNum?: unknown; message?: unknown } | null;
      if (!e) return false;
      if (family === 'oracle') return e.errorNum === 1 || String(e.message).startsWith('ORA-00001');
      return e.code === '23505';
    },
  };
}

export function dialectFor(engine: EngineName): SqlDialect {
  return makeDialect(engine);
}

// ---------------------------------------------------------------------------------------------------------
// Upsert: INSERT … ON CONFLICT (key) DO UPDATE on PostgreSQL; MERGE INTO … USING dual on Oracle.

export interface UpsertSpec {
  table: string;
  /** Columns of the unique key with their values (never updated: Oracle forbids updating ON columns). */
  key: Row;
  /** Columns written only when the row is new. */
  insert: Row;
  /** Columns written on both paths (values may be `sql` expressions); empty = insert-if-absent. */
  update: Row;
}

export function buildUpsert(d: SqlDialect, db: AnyDb, spec: UpsertSpec) {
  const keys = Object.keys(spec.key);
  const values = { ...spec.key, ...spec.insert, ...spec.update };
  const hasUpdate = Object.keys(spec.update).length > 0;
  if (d.family === 'postgres') {
    return db
      .insertInto(spec.table)
      .values(values)
      .onConflict((oc) =>
        hasUpdate ? oc.columns(keys).doUpdateSet(spec.update) : oc.columns(keys).doNothing(),
      );
  }
  // `dual` unquoted (Kysely would quote a table name); Oracle requires the ON condition in parentheses.
  const dual = sql`dual` as unknown as 'dual';
  const merge = db
    .mergeInto(`${spec.table} as t`)
    .using(dual, (join) =>
      join.on((eb) => eb.parens(eb.and(keys.map((k) => eb(`t.${k}`, '=', spec.key[k]))))),
    );
  return hasUpdate
    ? merge.whenMatched().thenUpdateSet(spec.update).whenNotMatched().thenInsertValues(values)
    : merge.whenNotMatched().thenInsertValues(values);
}

/** Returns true when a row was inserted or updated (false: insert-if-absent found the row). */
export async function upsert(d: SqlDialect, db: AnyDb, spec: UpsertSpec): Promise<boolean> {
  const run = async () => {
    const result = (await buildUpsert(d, db, spec).executeTakeFirst()) as {
      numChangedRows?: bigint;
      numInsertedOrUpdatedRows?: bigint;
    };
    return Number(result.numChangedRows ?? result.numInsertedOrUpdatedRows ?? 0) > 0;
  };
  try {
    return await run();
  } catch (error) {
    // Oracle's MERGE is not atomic against a concurrent insert of the same key: the loser gets ORA-00001
    // and retries once, now finding the row. (ON CONFLICT has no such window.)
    if (d.family === 'oracle' && d.isUniqueViolation(error)) return run();
    throw error;
  }
}

/** INSERT that quietly does nothing when the unique key exists; true when the row is new. */
export async function insertIfAbsent(
  d: SqlDialect,
  db: AnyDb,
  table: string,
  values: Row,
  conflictColumns: string[],
): Promise<boolean> {
  if (d.family === 'postgres') {
    // ON CONFLICT DO NOTHING: catching 23505 instead would abort an enclosing PostgreSQL transaction.
    const result = await db
      .insertInto(table)
      .values(values)
      .onConflict((oc) => oc.columns(conflictColumns).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  try {
    // Oracle rolls back only the failed statement, so the enclosing transaction survives ORA-00001.
    await db.insertInto(table).values(values).execute();
    return true;
  } catch (error) {
    if (d.isUniqueViolation(error)) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Insert returning the stored row: RETURNING * on PostgreSQL; insert then select by key on Oracle
// (Oracle's RETURNING … INTO needs out-binds per column, which Kysely's Oracle dialect does not offer).

export function buildInsertReturning(d: SqlDialect, db: AnyDb, table: string, values: Row, key: Row) {
  if (d.family === 'postgres')
    return { insert: db.insertInto(table).values(values).returningAll(), select: null };
  let select = db.selectFrom(table).selectAll();
  for (const [k, v] of Object.entries(key)) select = select.where(k, '=', v);
  return { insert: db.insertInto(table).values(values), select };
}

export async function insertReturning<T>(
  d: SqlDialect,
  db: AnyDb,
  table: string,
  values: Row,
  key: Row,
): Promise<T> {
  const q = buildInsertReturning(d, db, table, values, key);
  const inserted = await q.insert.execute();
  if (!q.select) return inserted[0] as T;
  return (await q.select.executeTakeFirstOrThrow()) as T;
}

// ---------------------------------------------------------------------------------------------------------
// Job claim. PostgreSQL: one UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING *.
// Oracle rejects FETCH FIRST together with FOR UPDATE (ORA-02014), so it opens the SKIP LOCKED cursor
// without a row limit, lets the driver fetch at most n rows (rows are locked as they are fetched), then
// updates exactly those ids and reads them back — all in one transaction.

export interface ClaimSpec {
  tenantId: string | null;
  kind: string;
  workerId: string;
  leaseMs: number;
  limit: number;
  now: Date;
}

function claimable(db: AnyDb, spec: ClaimSpec) {
  let q = db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', spec.kind)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', spec.now)]),
        eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<', spec.now)]),
      ]),
    );
  if (spec.tenantId !== null) q = q.where('tenant_id', '=', spec.tenantId);
  return q.orderBy('run_at').orderBy('id');
}

function claimSet(spec: ClaimSpec) {
  return {
    state: 'running',
    lease_owner: spec.workerId,
    lease_expires_at: new Date(spec.now.getTime() + spec.leaseMs),
    attempts: sql`${sql.ref('attempts')} + 1`,
    updated_at: spec.now,
  };
}

/** The statements a claim runs, exposed so tests can check the Oracle SQL as text without a database. */
export function buildClaim(d: SqlDialect, db: AnyDb, spec: ClaimSpec, ids: string[] = ['?']) {
  if (d.family === 'postgres') {
    const pick = d.limit(claimable(db, spec), spec.limit).forUpdate().skipLocked();
    return { update: db.updateTable('jobs').set(claimSet(spec)).where('id', 'in', pick).returningAll() };
  }
  return {
    lock: claimable(db, spec).forUpdate().skipLocked(),
    update: db.updateTable('jobs').set(claimSet(spec)).where('id', 'in', ids),
    read: db.selectFrom('jobs').selectAll().where('id', 'in', ids),
  };
}

export async function claimJobs(d: SqlDialect, db: AnyDb, spec: ClaimSpec): Promise<Row[]> {
  if (spec.limit <= 0) return [];
  if (d.family === 'postgres') {
    const q = buildClaim(d, db, spec).update;
    return (await q.execute()) as Row[];
  }
  const run = async (trx: AnyDb): Promise<Row[]> => {
    const lock = claimable(trx, spec)
      .forUpdate()
      .skipLocked()
      .withPlugin(
        withExecuteOptions({ maxRows: spec.limit, fetchArraySize: spec.limit, prefetchRows: spec.limit }),
      );
    const ids = (await lock.execute()).map((r) => String((r as Row).id));
    if (ids.length === 0) return [];
    const q = buildClaim(d, trx, spec, ids);
    await q.update.execute();
    return await q.read!.execute();
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
