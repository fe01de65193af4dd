/**
 * Issue 2, item 5: "a dump of the database contains no plaintext secret that was stored". Runs the vault
 * against the real storage layer on a file-backed PGlite: seals credentials into the connections table,
 * rotates the master key through the repository's compare-and-set, then looks for the secrets in every
 * column of every table and in the raw database files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../storage/index.js';
import { EnvKeyProvider } from './env-key-provider.js';
import { rotateAll } from './rotate-all.js';
import { Vault } from './vault.js';

const secrets = {
  fusionPassword: `fusion-pw-${randomBytes(6).toString('hex')}`,
  upsClientSecret: `ups-cs-${randomBytes(6).toString('hex')}`,
  webhookCredential: `wh-cred-${randomBytes(6).toString('hex')}`,
};
const k1 = randomBytes(32);
const k2 = randomBytes(32);

const dir = mkdtempSync(join(tmpdir(), 'vault-at-rest-'));
let storage: Storage;

beforeAll(async () => {
  storage = await openStorage({ engine: 'pglite', dataDir: join(dir, 'pglite') });
  await storage.migrate();
});

afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every value of every column of every table, as text. */
async function dumpAllTables(): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
    storage.db,
  );
  expect(tables.rows.map((t) => t.table_name)).toContain('connections');
  let dump = '';
  for (const { table_name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(table_name)}`.execute(storage.db);
    dump += `${table_name}\n${JSON.stringify(rows.rows)}\n`;
  }
  return dump;
}

function filesUnder(path: string): string[] {
  return statSync(path).isDirectory()
    ? readdirSync(path).flatMap((name) => filesUnder(join(path, name)))
    : [path];
}

describe('credentials at rest (PGlite)', () => {
  it('stores only sealed values, rotates them in place, and no plaintext secret is in the database', async () => {
    const vault = new Vault(new EnvKeyProvider([{ id: 'k1', key: k1 }]));
    await storage.repos.tenants.ensure({ id: 'acme' });
    const fusion = await storage.repos.connections.save({
      tenantId: 'acme',
      kind: 'fusion',
      sealedCredentials: null,
    });
    const ups = await storage.repos.connections.save({
      tenantId: 'acme',
      kind: 'ups',
      sealedCredentials: null,
    });
    const ctx = (id: string, purpose: string) => ({ tenantId: 'acme', recordId: id, purpose });
    await storage.repos.connections.save({
      tenantId: 'acme',
      kind: 'fusion',
      sealedCredentials: await vault.sealJson(
        { username: 'integration.user', password: secrets.fusionPassword },
        ctx(fusion.id, 'fusion-credentials'),
      ),
    });
    await storage.repos.connections.save({
      tenantId: 'acme',
      kind: 'ups',
      sealedCredentials: await vault.sealJson(
        { clientId: 'ups-app', clientSecret: secrets.upsClientSecret },
        ctx(ups.id, 'ups-credentials'),
      ),
    });

    // Rotation to k2 through the repository's compare-and-set.
    const rotated = new Vault(
      new EnvKeyProvider([
        { id: 'k2', key: k2 },
        { id: 'k1', key: k1 },
      ]),
    );
    const report = await rotateAll(rotated, storage.repos.connections);
    expect(report).toMatchObject({ scanned: 2, rewrapped: 2, conflicts: 0, failed: [] });
    const onlyK2 = new Vault(new EnvKeyProvider([{ id: 'k2', key: k2 }]));
    const fusionRow = (await storage.repos.connections.get('acme', fusion.id))!;
    expect(fusionRow.sealedCredentials!.startsWith('v1.k2.')).toBe(true);
    expect(await onlyK2.openJson(fusionRow.sealedCredentials!, ctx(fusion.id, 'fusion-credentials'))).toEqual(
      {
        username: 'integration.user',
        password: secrets.fusionPassword,
      },
    );
    // A sealed value copied to the other connection's row does not open there.
    await expect(
      onlyK2.open(fusionRow.sealedCredentials!, ctx(ups.id, 'fusion-credentials')),
    ).rejects.toThrow(/another record/);

    const dump = await dumpAllTables();
    expect(dump).toContain('v1.k2.');
    for (const secret of Object.values(secrets)) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
    }
  });

  it('no plaintext secret is in the raw database files either', async () => {
    await storage.close();
    const files = filesUnder(join(dir, 'pglite'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of Object.values(secrets))
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    // The sealed value is there (proves the scan looks at the data that was written).
    expect(files.some((f) => readFileSync(f).includes(Buffer.from('v1.k2.')))).toBe(true);
  });
});
