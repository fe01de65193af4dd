import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from './engines.js';
import { lockPathFor } from './pglite-lock.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'pglite-lock-')), 'pglite');

describe('PGlite data-directory lock', () => {
  it('refuses a second open of the same directory, and allows it after close', async () => {
    const dir = freshDir();
    const first = await openEngine({ engine: 'pglite', dataDir: dir });
    expect(existsSync(lockPathFor(dir))).toBe(true);
    await expect(openEngine({ engine: 'pglite', dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${process.pid} on host .*; stop it first`),
    );
    await first.db.destroy();
    await first.dispose();
    expect(existsSync(lockPathFor(dir))).toBe(false);
    const second = await openEngine({ engine: 'pglite', dataDir: dir });
    await second.db.destroy();
    await second.dispose();
  }, 60_000);

  it('takes over a stale lock left by a dead process on this host', async () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: new Date().toISOString() }),
    );
    const opened = await openEngine({ engine: 'pglite', dataDir: dir });
    await opened.db.destroy();
    await opened.dispose();
  }, 60_000);

  it('takes over a lock carrying its own pid that it does not hold (a container restarted as pid 1)', async () => {
    const dir = freshDir();
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }),
    );
    const opened = await openEngine({ engine: 'pglite', dataDir: dir });
    await opened.db.destroy();
    await opened.dispose();
  }, 60_000);

  it('refuses a lock held by a live process on this host', async () => {
    const dir = freshDir();
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: process.ppid, hostname: hostname(), startedAt: new Date().toISOString() }),
    );
    await expect(openEngine({ engine: 'pglite', dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid} on host`),
    );
    expect(existsSync(lockPathFor(dir))).toBe(true);
  }, 60_000);
});
