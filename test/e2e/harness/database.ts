/**
 * The databases the acceptance tests run on: PGlite always (a data directory in a temp dir), PostgreSQL
 * when CONNECTOR_TEST_POSTGRES_URL is set (a schema of its own per test, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env.CONNECTOR_TEST_POSTGRES_URL;
export const POSTGRES_SKIP_REASON = 'CONNECTOR_TEST_POSTGRES_URL is not set (no PostgreSQL server to run on)';

export type EngineName = 'pglite' | 'postgres';

export type DatabaseConfig =
  { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string; schema: string };

/** One database for one test: its config block and how to throw it away. */
export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

export function testDatabase(engine: EngineName, dir: string): TestDatabase {
  if (engine === 'pglite') return { config: { engine, dataDir: `${dir}/pglite` }, drop: async () => {} };
  if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP_REASON);
  const url = POSTGRES_URL;
  const schema = `e2e_${randomBytes(5).toString('hex')}`;
  return {
    config: { engine, url, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
