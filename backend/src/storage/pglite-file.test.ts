/** The embedded default: a PGlite data directory survives a restart, and a failing migration leaves nothing behind. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from './index.js';
import { initialMigration } from './migrations/001-initial.js';

describe('PGlite with a data directory', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // A file-backed PGlite takes 3–15 s to initdb on a busy 2-core machine; two opens + migrations need headroom.
  it(
    'keeps data and migration state across a restart; a failing migration is rolled back whole',
    { timeout: 120_000 },
    async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'pglite-file-'));
      const first = await openStorage({ engine: 'pglite', dataDir: dir });
      try {
        expect(await first.pendingMigrations()).toEqual(['001-initial']);
        expect(await first.migrate()).toEqual(['001-initial']);
        await first.repos.tenants.ensure({ id: 'acme', name: 'Acme' });

        const broken = new Migrator({
          db: first.db,
          provider: {
            getMigrations: async () => ({
              '001-initial': initialMigration(first.dialect),
              '002-broken': {
                up: async (db) => {
                  await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
                  await db
                    .insertInto('tenants' as never)
                    .values({ id: 'ghost' } as never)
                    .execute();
                },
              },
            }),
          },
        });
        const { error } = await broken.migrateToLatest();
        expect(error).toBeDefined();
        const leftovers = await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`.execute(
          first.db,
        );
        expect(leftovers.rows[0]?.n).toBe(0);
        expect((await broken.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)).toEqual([
          '002-broken',
        ]);
      } finally {
        await first.close();
      }

      const second = await openStorage({ engine: 'pglite', dataDir: dir });
      try {
        expect(await second.pendingMigrations()).toEqual([]);
        expect((await second.repos.tenants.get('acme'))?.name).toBe('Acme');
        expect(await second.repos.tenants.get('ghost')).toBeNull();
      } finally {
        await second.close();
      }
    },
  );
});
