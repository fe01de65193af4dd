/**
 * The engines the storage tests run on: PGlite always, PostgreSQL when CONNECTOR_TEST_POSTGRES_URL is set
 * (a fresh schema per run, dropped afterwards), Oracle when ORACLE_USER / ORACLE_PASSWORD /
 * ORACLE_CONNECT_STRING are set. Used by tests only.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage, type Storage, type StorageOptions, type StorageRuntime } from './index.js';

export interface TestEngine {
  name: string;
  /** Why the engine is skipped, or null when it is reachable by configuration. */
  skipReason: string | null;
  open(runtime?: StorageRuntime): Promise<Storage>;
  /** Removes what open() created (the PostgreSQL schema). */
  cleanup(): Promise<void>;
}

const pgUrl = process.env.CONNECTOR_TEST_POSTGRES_URL;
const oracle = {
  user: process.env.ORACLE_USER,
  password: process.env.ORACLE_PASSWORD,
  connectString: process.env.ORACLE_CONNECT_STRING,
};

export function uniqueSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export function postgresOptions(schema: string, poolSize?: number): StorageOptions {
  return { engine: 'postgres', url: pgUrl ?? '', schema, ...(poolSize ? { poolSize } : {}) };
}

export async function dropSchema(schema: string): Promise<void> {
  if (!pgUrl) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

export function testEngines(): TestEngine[] {
  const schema = uniqueSchema();
  return [
    {
      name: 'PGlite (in memory)',
      skipReason: null,
      open: (runtime) => openStorage({ engine: 'pglite' }, runtime),
      cleanup: async () => undefined,
    },
    {
      name: 'PostgreSQL',
      skipReason: pgUrl ? null : 'CONNECTOR_TEST_POSTGRES_URL is not set',
      open: (runtime) => openStorage(postgresOptions(schema), runtime),
      cleanup: () => dropSchema(schema),
    },
    {
      name: 'Oracle',
      skipReason:
        oracle.user && oracle.password && oracle.connectString
          ? null
          : 'ORACLE_USER, ORACLE_PASSWORD and ORACLE_CONNECT_STRING are not set',
      open: (runtime) =>
        openStorage(
          {
            engine: 'oracle',
            user: oracle.user ?? '',
            password: oracle.password ?? '',
            connectString: oracle.connectString ?? '',
            ...(process.env.ORACLE_WALLET_DIR ? { walletDir: process.env.ORACLE_WALLET_DIR } : {}),
            ...(process.env.ORACLE_WALLET_PASSWORD
              ? { walletPassword: process.env.ORACLE_WALLET_PASSWORD }
              : {}),
          },
          runtime,
        ),
      cleanup: async () => undefined,
    },
  ];
}
