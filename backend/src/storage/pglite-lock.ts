/**
 * Exclusive lock on a PGlite data directory: PGlite is a single-process embedded Postgres, and two openers
 * (even two in one process) corrupt it. The lock file sits beside the directory, never inside (PGlite owns it).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StorageError } from './errors.js';

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: string;
}

export function lockPathFor(dataDir: string): string {
  const abs = resolve(dataDir);
  return join(dirname(abs), `${basename(abs)}.lock`);
}

/** Lock files this process holds: a second open in this process is just as corrupting as one elsewhere. */
const heldHere = new Set<string>();

/**
 * Our own pid without an entry in heldHere is stale: a container restarted after SIGKILL runs again as
 * pid 1 on the same hostname, and must not take its predecessor's lock for its own.
 */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readLock(path: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

/** Takes the lock or throws; returns the release function. */
export function acquirePgliteLock(dataDir: string): () => void {
  const path = lockPathFor(dataDir);
  const target = resolve(dataDir);
  const content = JSON.stringify({
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  } satisfies LockContent);
  if (heldHere.has(path)) {
    throw new StorageError(
      'pglite',
      target,
      `data directory ${target} is in use by process ${process.pid} on host ${hostname()}; stop it first (lock ${path})`,
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, content);
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readLock(path);
    // Kept simple: only a dead pid on this host (what SIGKILL leaves) is stale. A lock from another host
    // (shared volume) is always refused, since we cannot check that pid.
    if (held && (held.hostname !== hostname() || pidAlive(held.pid))) {
      throw new StorageError(
        'pglite',
        target,
        `data directory ${target} is in use by process ${held.pid} on host ${held.hostname}; stop it first (lock ${path})`,
      );
    }
    if (!held && attempt > 0) break;
    rmSync(path, { force: true });
  }
  throw new StorageError(
    'pglite',
    target,
    `cannot take the lock ${path}; remove it if no process uses the directory`,
  );
}
