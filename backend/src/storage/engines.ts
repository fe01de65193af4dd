/**
 * Opening a connection for each engine: PGlite (embedded), PostgreSQL (pg Pool), Oracle (oracledb thin pool).
 * SQL differences are not here but in dialect.ts; this file only knows how to connect and how each driver
 * needs to be wrapped so Kysely's transaction and migration contracts hold.
 */
import { mkdir } from 'node:fs/promises';
import {
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely as KyselyType,
  type MigrationLockOptions,
  type QueryCompiler,
  type TransactionSettings,
  type CompiledQuery,
  type QueryResult,
} from 'kysely';
import { OracleAdapter, OracleDialect } from 'kysely-oracledb';
import { StorageError, type EngineName } from './errors.js';
import { acquirePgliteLock } from './pglite-lock.js';
import type { Database } from './schema.js';

export type StorageOptions =
  | { engine: 'pglite'; /** undefined = in-memory */ dataDir?: string }
  | { engine: 'postgres'; url: string; schema?: string; poolSize?: number }
  | {
      engine: 'oracle';
      user: string;
      password: string;
      /** Easy Connect or TNS alias incl. TLS, e.g. tcps://host:1522/service_high?ssl_server_dn_match=yes */
      connectString: string;
      /** Directory holding tnsnames.ora / ewallet.pem for mTLS; omit for TLS without a wallet. */
      walletDir?: string;
      walletPassword?: string;
      poolMax?: number;
    };

export interface OpenedEngine {
  db: Kysely<Database>;
  engine: EngineName;
  /** Human-readable place, never with credentials. */
  target: string;
  /** PostgreSQL schema the tables live in (undefined = default search path). */
  schema?: string;
  /** Called on close after db.destroy(), e.g. to close PGlite. */
  dispose: () => Promise<void>;
}

export function describeTarget(options: StorageOptions): string {
  switch (options.engine) {
    case 'pglite':
      return options.dataDir ?? 'memory';
    case 'postgres': {
      try {
        const u = new URL(options.url);
        const base = `${u.hostname}:${u.port || '5432'}${u.pathname}`;
        return options.schema ? `${base} schema ${options.schema}` : base;
      } catch {
        return 'an unparseable PostgreSQL URL';
      }
    }
    case 'oracle':
      return `${options.connectString.replace(/\/\/[^@/]*@/, '//')}${options.walletDir ? ` (wallet ${options.walletDir})` : ''}`;
  }
}

export async function openEngine(options: StorageOptions): Promise<OpenedEngine> {
  const target = describeTarget(options);
  switch (options.engine) {
    case 'pglite':
      return openPglite(options.dataDir, target);
    case 'postgres':
      return openPostgres(options, target);
    case 'oracle':
      return openOracle(options, target);
  }
}

async function openPglite(dataDir: string | undefined, target: string): Promise<OpenedEngine> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const release = dataDir ? acquirePgliteLock(dataDir) : () => undefined;
  let pglite: InstanceType<typeof PGlite>;
  try {
    pglite = await PGlite.create(dataDir ? { dataDir } : {});
    await pglite.query('select 1');
  } catch (error) {
    release();
    throw new StorageError(
      'pglite',
      target,
      'cannot open the data directory (corrupted, from another PGlite version, or not a PGlite directory)',
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    target,
    dispose: async () => {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        release();
      }
    },
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(
  options: Extract<StorageOptions, { engine: 'postgres' }>,
  target: string,
): Promise<OpenedEngine> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new StorageError(
      'postgres',
      target,
      `schema "${options.schema}" must match ${String(SCHEMA_NAME)}`,
    );
  }
  const pg = await import('pg');
  const pool = new pg.default.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // Every connection resolves unqualified table names in our schema; no SQL is rewritten.
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  if (options.schema) {
    let client;
    try {
      client = await pool.connect();
      await client.query(`create schema if not exists ${options.schema}`);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StorageError('postgres', target, 'cannot connect', { cause: error });
    } finally {
      client?.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', target, schema: options.schema, dispose: async () => undefined };
}

async function openOracle(
  options: Extract<StorageOptions, { engine: 'oracle' }>,
  target: string,
): Promise<OpenedEngine> {
  const oracledb = (await import('oracledb')).default;
  let pool;
  try {
    pool = await oracledb.createPool({
      user: options.user,
      password: options.password,
      connectString: options.connectString,
      ...(options.walletDir
        ? {
            configDir: options.walletDir,
            walletLocation: options.walletDir,
            walletPassword: options.walletPassword,
          }
        : {}),
      poolMin: 0,
      poolMax: options.poolMax ?? 10,
      poolIncrement: 1,
      connectTimeout: 15,
    });
  } catch (error) {
    throw new StorageError('oracle', target, 'cannot create the connection pool', { cause: error });
  }
  const inner = new OracleDialect({
    pool,
    // Our own schema only: the introspector (used by the migrator) otherwise scans every visible schema.
    generator: { schemas: [options.user.toUpperCase()] },
    // CLOB columns (JSON, labels, big text) come back as strings, not LOB streams.
    executeOptions: {
      fetchTypeHandler: (meta: { dbType?: unknown }) =>
        meta.dbType === oracledb.DB_TYPE_CLOB ? { type: oracledb.STRING } : undefined,
    },
  });
  const db = new Kysely<Database>({ dialect: new OracleAutoCommitDialect(inner) });
  return { db, engine: 'oracle', target, dispose: async () => undefined };
}

/**
 * kysely-oracledb runs every statement with autoCommit off and its beginTransaction is a no-op, so a
 * statement outside a transaction would never commit. This wrapper commits single statements and leaves
 * statements inside `db.transaction()` to the transaction's commit. It also gives the migrator a lock
 * (the library's throws "Not implemented") and turns off CREATE … IF NOT EXISTS, which 19c lacks.
 */
class OracleAutoCommitDialect implements Dialect {
  constructor(private readonly inner: OracleDialect) {}
  createDriver(): Driver {
    return new OracleAutoCommitDriver(this.inner.createDriver());
  }
  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }
  createAdapter() {
    return new OracleMigratableAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: KyselyType<any>) {
    return this.inner.createIntrospector(db);
  }
}

const DEFAULT_LOCK: MigrationLockOptions = {
  lockTable: 'kysely_migration_lock',
  lockRowId: 'migration_lock',
};

class OracleMigratableAdapter extends OracleAdapter {
  override get supportsCreateIfNotExists(): boolean {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override acquireMigrationLock(db: KyselyType<any>, options?: MigrationLockOptions): Promise<void> {
    return acquireOracleMigrationLock(db, options ?? DEFAULT_LOCK);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override releaseMigrationLock(db: KyselyType<any>, options?: MigrationLockOptions): Promise<void> {
    return releaseOracleMigrationLock(db, options ?? DEFAULT_LOCK);
  }
}

class WrappedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const withOptions = compiledQuery as CompiledQuery & { executeOptions?: Record<string, unknown> };
    return this.inner.executeQuery<R>({
      ...compiledQuery,
      executeOptions: { ...withOptions.executeOptions, autoCommit: !this.inTransaction },
    } as CompiledQuery);
  }
  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

class OracleAutoCommitDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init() {
    return this.inner.init();
  }
  async acquireConnection() {
    return new WrappedConnection(await this.inner.acquireConnection());
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    (connection as WrappedConnection).inTransaction = true;
    await this.inner.beginTransaction((connection as WrappedConnection).inner, settings);
  }
  async commitTransaction(connection: DatabaseConnection) {
    try {
      await this.inner.commitTransaction((connection as WrappedConnection).inner);
    } finally {
      (connection as WrappedConnection).inTransaction = false;
    }
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    try {
      await this.inner.rollbackTransaction((connection as WrappedConnection).inner);
    } finally {
      (connection as WrappedConnection).inTransaction = false;
    }
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as WrappedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}

const LOCK_WAIT_MS = 60_000;

// DDL commits on Oracle, so a row lock would not survive the migration; a flag row set by a conditional
// UPDATE (committed immediately) does. A crash mid-migration leaves it set: the error says how to clear it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function acquireOracleMigrationLock(db: KyselyType<any>, options: MigrationLockOptions): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const result = await db
      .updateTable(options.lockTable)
      .set({ is_locked: 1 })
      .where('id', '=', options.lockRowId)
      .where('is_locked', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return;
    if (Date.now() > deadline) {
      throw new Error(
        `migration lock "${options.lockTable}" held for over ${LOCK_WAIT_MS / 1000}s; if no other instance is ` +
          `migrating, clear it: update "${options.lockTable}" set "is_locked" = 0`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function releaseOracleMigrationLock(db: KyselyType<any>, options: MigrationLockOptions): Promise<void> {
  await db.updateTable(options.lockTable).set({ is_locked: 0 }).where('id', '=', options.lockRowId).execute();
}
