/**
 * The command line as an operator meets it, in real child processes: bad input gives one line that says
 * what and where and a non-zero exit without writing anything; SIGTERM stops the service gracefully.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tenantSchema } from '../config/schema-tenant.js';
import { openStorage } from '../storage/index.js';
import { EnvKeyProvider, Vault } from '../vault/index.js';
import { loadTenant, saveTenant } from '../service/tenant-store.js';

const MAIN = resolve(import.meta.dirname, 'main.ts');
// Children run in temp dirs, where a bare `--import tsx` would not resolve: name the loader by its path.
const TSX = pathToFileURL(resolve(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs')).href;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cli-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runCli(args: string[], env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CONNECTOR_LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

describe('bad input on the command line', () => {
  it('a config typo: one line naming the key, exit 2, nothing written', () => {
    const cwd = tempDir();
    const r = runCli(['print-config'], { CONNECTOR_PORT: '80a' }, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CONNECTOR_PORT/);
    expect(r.stderr).toMatch(/80a/);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('an unknown key in the config file is refused with a suggestion', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'c.yaml'), 'sever:\n  port: 9000\n');
    const r = runCli(['--config', join(cwd, 'c.yaml'), 'print-config'], {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sever/);
    expect(r.stderr).toMatch(/server/);
  });

  it('an unreachable database: one line naming the engine and the place, never the password', () => {
    const cwd = tempDir();
    const r = runCli(
      ['migrate'],
      { CONNECTOR_DB_ENGINE: 'postgres', CONNECTOR_DATABASE_URL: 'postgres://app:hunter2pw@127.0.0.1:1/db' },
      cwd,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/postgres/i);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(r.stderr).not.toContain('hunter2pw');
  });

  it('a corrupted data directory: one line naming the directory', () => {
    const cwd = tempDir();
    const pgdir = join(cwd, 'data', 'pglite');
    mkdirSync(pgdir, { recursive: true });
    writeFileSync(join(pgdir, 'PG_VERSION'), 'not a version\n');
    writeFileSync(join(pgdir, 'postgresql.conf'), randomBytes(512));
    const r = runCli(['migrate'], {}, cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(pgdir);
  }, 90_000);

  it('a wrong master key stops the start before any work, naming the key', async () => {
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    const rightKey = randomBytes(32);
    const storage = await openStorage({ engine: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      await storage.migrate();
      const vault = new Vault(new EnvKeyProvider([{ id: 'k1', key: rightKey }], 'CONNECTOR_MASTER_KEY'));
      const tenant = tenantSchema.parse({
        id: 'acme',
        fusion: {
          baseUrl: 'https://acme.fa.example.com',
          auth: { kind: 'basic', username: 'u', password: 'p' },
        },
        ups: { clientId: 'c', clientSecret: 's' },
      });
      await saveTenant(storage, vault, tenant);
    } finally {
      await storage.close();
    }
    writeFileSync(join(cwd, 'c.yaml'), 'sandbox:\n  mode: never\n');
    const r = runCli(
      ['--config', join(cwd, 'c.yaml'), 'sync', '--once'],
      { CONNECTOR_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}` },
      cwd,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/master key|key id k1/i);
  }, 90_000);
});

describe('rotate-keys', () => {
  it('re-wraps every stored credential under the newly active key; the old key can then go', async () => {
    const cwd = tempDir();
    const pgdir = join(cwd, 'data', 'pglite');
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const tenant = tenantSchema.parse({
      id: 'acme',
      fusion: {
        baseUrl: 'https://acme.fa.example.com',
        auth: { kind: 'basic', username: 'u', password: 'p' },
      },
      ups: { clientId: 'c', clientSecret: 's' },
    });
    let storage = await openStorage({ engine: 'pglite', dataDir: pgdir });
    try {
      await storage.migrate();
      await saveTenant(
        storage,
        new Vault(new EnvKeyProvider([{ id: 'k1', key: k1 }], 'CONNECTOR_MASTER_KEYS')),
        tenant,
      );
    } finally {
      await storage.close();
    }
    const keyring = `k2:${k2.toString('base64')},k1:${k1.toString('base64')}`;
    const r = runCli(['rotate-keys'], { CONNECTOR_MASTER_KEYS: keyring }, cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/connections: 2 re-wrapped, 0 already on key "k2", 0 failed/);

    storage = await openStorage({ engine: 'pglite', dataDir: pgdir });
    try {
      const sealed = await storage.repos.connections.listSealedCredentials();
      expect(sealed).toHaveLength(2);
      for (const s of sealed) expect(s.sealed).toMatch(/^v1\.k2\./);
      // Only k2 left in the keyring: everything still opens.
      const onlyK2 = new Vault(new EnvKeyProvider([{ id: 'k2', key: k2 }], 'CONNECTOR_MASTER_KEYS'));
      const loaded = await loadTenant(storage, onlyK2, 'acme');
      expect(loaded?.config.fusion.auth).toMatchObject({ password: 'p' });
    } finally {
      await storage.close();
    }
  }, 90_000);
});

describe('graceful shutdown', () => {
  it('SIGTERM stops the running service cleanly with exit code 0', async () => {
    const cwd = tempDir();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'start'], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CONNECTOR_PORT: String(port),
        CONNECTOR_LOG_LEVEL: 'info',
      },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (!out.includes('listening on') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('listening on');
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/shutdown complete/);
    expect(out).toMatch(/"part":"storage"/);
  }, 120_000);
});
