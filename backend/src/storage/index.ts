/**
 * Storage: one repository layer over PGlite (embedded default), PostgreSQL and Oracle Autonomous Database.
 *
 * Why Kysely: it is a query builder, not an ORM, so the SQL stays visible and the repositories stay small;
 * it has maintained dialects for all three engines (PostgresDialect over `pg`, kysely-pglite-dialect,
 * kysely-oracledb over oracledb thin); it compiles placeholders, quoting, FETCH FIRST and MERGE per engine,
 * so the remaining differences fit in one file (dialect.ts) without string-replacing SQL; it types every
 * query against schema.ts; and it ships a migrator we feed with in-code, dialect-aware migrations. Knex,
 * the alternative, drops SKIP LOCKED and has no upsert on its oracledb client.
 */
import { Migrator, type Kysely } from 'kysely';
import { dialectFor, type SqlDialect } from './dialect.js';
import { openEngine, type StorageOptions } from './engines.js';
import { StorageError, type EngineName } from './errors.js';
import { migrationProvider } from './migrations/index.js';
import { makeRepositories, type Repositories } from './repositories/index.js';
import type { RepoContext } from './repositories/context.js';
import type { Database } from './schema.js';

export type { StorageOptions } from './engines.js';
export { StorageError, ConflictError, NotFoundError } from './errors.js';
export type { Database } from './schema.js';
export type { Repositories } from './repositories/index.js';
export type { SqlDialect } from './dialect.js';
export type { Tenant } from './repositories/tenants.js';
export type { Connection, ConnectionKind, SealedCredential } from './repositories/connections.js';
export type { WebhookCredential, WebhookCredentialKind } from './repositories/webhook-credentials.js';
export type { MappingRule, MappingRuleInput, RuleSet } from './repositories/mapping-rules.js';
export type { Watermark } from './repositories/watermarks.js';
export type { PoState, PurchaseOrderRecord, SeenPo } from './repositories/purchase-orders.js';
export type { IntentKey, Shipment, ShippedPackage, ShippedResult } from './repositories/shipments.js';
export type { Label, PackageRecord } from './repositories/packages.js';
export type { RateQuote } from './repositories/quotes.js';
export type { SubscriptionStatus, TrackingSubscription } from './repositories/tracking-subscriptions.js';
export { SUBSCRIPTION_TTL_MS } from './repositories/tracking-subscriptions.js';
export type { StoredTrackingEvent } from './repositories/tracking-events.js';
export { gmtParts } from './repositories/tracking-events.js';
export type { QuantumViewPage } from './repositories/quantum-view.js';
export type {
  WriteBack,
  WriteBackKind,
  WriteBackMethod,
  WriteBackState,
} from './repositories/write-backs.js';
export type { AuditQuery } from './repositories/audit.js';
export type { Job, JobState } from './repositories/jobs.js';

export interface StorageRuntime {
  /** The clock every repository stamps and compares with (tests and the sandbox clock may replace it). */
  now?: () => Date;
}

export interface TransactionScope {
  db: Kysely<Database>;
  repos: Repositories;
}

export interface Storage {
  readonly engine: EngineName;
  /** Where the data lives, without credentials (for logs and /ready). */
  readonly target: string;
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  readonly repos: Repositories;
  /** Applies pending migrations; each runs in a transaction where the engine has transactional DDL. */
  migrate(): Promise<string[]>;
  /** Names of migrations not yet applied (empty = schema current); for /ready. */
  pendingMigrations(): Promise<string[]>;
  /** Throws StorageError when the database does not answer. */
  ping(): Promise<void>;
  /** Runs fn in one transaction; repositories in the scope share it. */
  transaction<T>(fn: (scope: TransactionScope) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStorage(options: StorageOptions, runtime: StorageRuntime = {}): Promise<Storage> {
  const opened = await openEngine(options);
  const { db, engine, target } = opened;
  const d = dialectFor(engine);
  const now = runtime.now ?? (() => new Date());
  const ctx: RepoContext = { db, d, now };
  const migrator = new Migrator({
    db,
    provider: migrationProvider(d),
    ...(opened.schema ? { migrationTableSchema: opened.schema } : {}),
  });
  const fail = (what: string, error: unknown) => new StorageError(engine, target, what, { cause: error });
  let closed = false;

  const storage: Storage = {
    engine,
    target,
    db,
    dialect: d,
    repos: makeRepositories(ctx),
    async migrate() {
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw fail(failed ? `migration ${failed} failed` : 'migrations failed', error);
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async pendingMigrations() {
      try {
        const all = await migrator.getMigrations();
        return all.filter((m) => !m.executedAt).map((m) => m.name);
      } catch (error) {
        throw fail('cannot read migration status', error);
      }
    },
    async ping() {
      try {
        await d.ping(db);
      } catch (error) {
        throw fail('database does not answer', error);
      }
    },
    transaction(fn) {
      return db.transaction().execute((trx) => fn({ db: trx, repos: makeRepositories({ ...ctx, db: trx }) }));
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await opened.dispose();
    },
  };

  try {
    await d.ping(db);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw fail(connectFailure(engine), error);
  }
  return storage;
}

function connectFailure(engine: EngineName): string {
  return engine === 'pglite'
    ? 'cannot open the database'
    : 'cannot connect (check host, port, credentials and TLS)';
}
