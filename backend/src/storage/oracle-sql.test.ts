/**
 * No Oracle database is reachable here, so the Oracle SQL is at least checked as text: the statements
 * dialect.ts builds for the job claim, upsert (MERGE) and insert-returning, and the whole schema DDL, are
 * compiled with kysely-oracledb's compiler (no connection) and compared with reviewed snapshots.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { OracleAdapter, OracleIntrospector, OracleQueryCompiler } from 'kysely-oracledb';
import { describe, expect, it } from 'vitest';
import { buildClaim, buildInsertReturning, buildUpsert, dialectFor, type AnyDb } from './dialect.js';
import { initialMigration } from './migrations/001-initial.js';

function recordingDb(family: 'oracle' | 'postgres'): { db: AnyDb; log: string[] } {
  const log: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => (family === 'oracle' ? new OracleAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createQueryCompiler: () =>
        family === 'oracle' ? new OracleQueryCompiler() : new PostgresQueryCompiler(),
      createIntrospector: (k) =>
        family === 'oracle' ? new OracleIntrospector(k) : new PostgresIntrospector(k),
    },
    log: (event) => {
      log.push(event.query.sql);
    },
  }) as AnyDb;
  return { db, log };
}

const text = (q: { compile(): CompiledQuery }) => {
  const c = q.compile();
  return { sql: c.sql, parameters: c.parameters.map((p) => (p instanceof Date ? p.toISOString() : p)) };
};

const oracle = dialectFor('oracle');
const postgres = dialectFor('pglite');
const now = new Date('2026-03-01T12:00:00.000Z');
const claim = { tenantId: 'acme', kind: 'poll', workerId: 'w1', leaseMs: 30_000, limit: 5, now };

describe('Oracle SQL as compiled by dialect.ts', () => {
  it('claims jobs without FETCH FIRST next to FOR UPDATE (ORA-02014)', () => {
    const { db } = recordingDb('oracle');
    const q = buildClaim(oracle, db, claim, ['id-1', 'id-2']);
    const lock = text(q.lock!);
    expect(lock.sql).toMatch(/for update skip locked$/);
    expect(lock.sql).not.toMatch(/fetch|limit|rownum/i);
    expect({ lock, update: text(q.update), read: text(q.read!) }).toMatchSnapshot();
  });

  it('claims jobs on PostgreSQL in one UPDATE … IN (SELECT … LIMIT … FOR UPDATE SKIP LOCKED) RETURNING', () => {
    const { db } = recordingDb('postgres');
    const q = text(buildClaim(postgres, db, { ...claim, tenantId: null }).update);
    expect(q.sql).toMatch(/limit \$\d+ for update skip locked\) returning \*$/);
    expect(q).toMatchSnapshot();
  });

  it('upserts with MERGE INTO … USING dual ON (…) on Oracle and ON CONFLICT on PostgreSQL', () => {
    const spec = {
      table: 'tracking_subscriptions',
      key: { tenant_id: 'acme', tracking_number: '1Z1' },
      insert: { shipment_id: 's1' },
      update: { status: 'active', expires_at: now },
    };
    const merge = text(buildUpsert(oracle, recordingDb('oracle').db, spec));
    expect(merge.sql).toMatch(/^merge into "tracking_subscriptions" "t" using dual on \(/);
    expect(merge.sql).not.toMatch(/update set[^]*"tracking_number" =/);
    const onConflict = text(buildUpsert(postgres, recordingDb('postgres').db, spec));
    expect(onConflict.sql).toMatch(/on conflict \("tenant_id", "tracking_number"\) do update set/);
    expect({ merge, onConflict }).toMatchSnapshot();
    const insertOnly = text(buildUpsert(oracle, recordingDb('oracle').db, { ...spec, update: {} }));
    expect(insertOnly.sql).not.toMatch(/when matched/);
  });

  it('inserts then selects by key on Oracle instead of RETURNING', () => {
    const values = { tenant_id: 'acme', id: 'r1', name: 'x' };
    const q = buildInsertReturning(oracle, recordingDb('oracle').db, 'tenants', values, { id: 'r1' });
    expect(text(q.insert).sql).not.toMatch(/returning/);
    expect({ insert: text(q.insert), select: text(q.select!) }).toMatchSnapshot();
    const pg = buildInsertReturning(postgres, recordingDb('postgres').db, 'tenants', values, { id: 'r1' });
    expect(text(pg.insert).sql).toMatch(/returning \*$/);
    expect(pg.select).toBeNull();
  });

  it('compares CLOBs with dbms_lob.compare and limits rows with FETCH FIRST', () => {
    const { db } = recordingDb('oracle');
    const cas = db
      .updateTable('connections')
      .set({ sealed_credentials: 'new' })
      .where('id', '=', 'c1')
      .where(oracle.textEquals('sealed_credentials', 'old'));
    expect(text(cas).sql).toContain('dbms_lob.compare("sealed_credentials", to_clob(:3)) = 0');
    const page = oracle.limit(db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc'), 10);
    expect(text(page).sql).toMatch(/order by "seq" desc fetch first :1 rows only$/);
  });

  it('creates the schema with Oracle column types (CLOB + IS JSON, NUMBER(1), identity, TSTZ)', async () => {
    const { db, log } = recordingDb('oracle');
    await initialMigration(oracle).up(db);
    const ddl = log.join(';\n');
    expect(ddl).not.toMatch(/jsonb|boolean|timestamptz|\btext\b|if not exists/);
    expect(ddl).toContain('"payload" clob check ("payload" is json)');
    expect(ddl).toContain('"seq" number(19) generated always as identity not null');
    expect(ddl).toMatchSnapshot();
  });
});
