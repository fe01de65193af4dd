/** Bad input when opening storage: one clear line naming engine and place, never a password. */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage, StorageError } from './index.js';

describe('opening storage with bad input', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('reports an unreachable PostgreSQL server with host and port, without the password', async () => {
    const error = await openStorage({
      engine: 'postgres',
      url: 'postgres://app:s3cret-pw@127.0.0.1:1/test',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    const message = (error as StorageError).message;
    expect(message).toMatch(/^storage \(postgres at 127\.0\.0\.1:1\/test\): cannot connect .*ECONNREFUSED/);
    expect(message).not.toContain('s3cret-pw');
    expect(message.split('\n')).toHaveLength(1);
    expect((error as StorageError).engine).toBe('postgres');
  });

  it('rejects a schema name that is not a plain identifier before connecting', async () => {
    await expect(
      openStorage({ engine: 'postgres', url: 'postgres://u@127.0.0.1:1/test', schema: 'x; drop table y' }),
    ).rejects.toThrow(/schema "x; drop table y" must match/);
  });

  it('reports a corrupted PGlite data directory, naming the directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pglite-corrupt-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'PG_VERSION'), 'garbage\n');
    await mkdir(path.join(dir, 'global'));
    await writeFile(path.join(dir, 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const error = await openStorage({ engine: 'pglite', dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(
      new RegExp(`^storage \\(pglite at ${dir}\\): cannot open`),
    );
    expect((error as StorageError).message.split('\n')).toHaveLength(1);
  });

  it('reports an unreachable Oracle listener with the connect string, without the password', async () => {
    const error = await openStorage({
      engine: 'oracle',
      user: 'app',
      password: 'oracle-s3cret',
      connectString: '127.0.0.1:1/FREEPDB1',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    const message = (error as StorageError).message;
    expect(message).toMatch(/^storage \(oracle at 127\.0\.0\.1:1\/FREEPDB1\): cannot connect .*NJS-/);
    expect(message).not.toContain('oracle-s3cret');
  });
});
