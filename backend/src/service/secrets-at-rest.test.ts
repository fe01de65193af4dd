/**
 * End to end through the composition root: a tenant configured with real-looking secrets runs a full
 * cycle against the sandboxes (tokens fetched, labels bought, audit written), and afterwards neither any
 * table nor any raw file of the database holds one of those secrets or a token the sandboxes issued.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_CENTER_SEGMENT_INDEX, DEFAULT_DFF, startSandboxes } from '@fusion-ups/sandbox';
import { loadConfigDetailed } from '../config/index.js';
import { createLogger } from '../logging/index.js';
import { createTrackingJobs } from '../tracking/tracking-jobs.js';
import { signShipmentLink } from '../tracking/timeline.js';
import { credentialsOf } from '../tracking/webhook-credentials.js';
import { openConnector } from './connector.js';
import { sandboxTenant } from './sandbox-tenant.js';
import { trackingDepsFor } from './tracking-wiring.js';

const secrets = {
  fusionPassword: `fp-${randomBytes(8).toString('hex')}`,
  upsClientSecret: `ucs-${randomBytes(8).toString('hex')}`,
  apiToken: `op-${randomBytes(16).toString('hex')}`,
};

const dir = mkdtempSync(join(tmpdir(), 'secrets-at-rest-'));
let sandboxes: Awaited<ReturnType<typeof startSandboxes>>;
const issuedTokens: string[] = [];
const trackingSecrets: string[] = [];

beforeAll(async () => {
  sandboxes = await startSandboxes({ poCount: 30, seed: 5 });
  // The sandboxes accept only their demo credentials; register ours as additional users/clients.
  await fetch(`${sandboxes.fusion.baseUrl}/_sandbox/fusion/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'secret.buyer', password: secrets.fusionPassword, dataAccess: 'all' }),
  });
  sandboxes.ups.sandbox.state.clients.set('secret-client', {
    clientId: 'secret-client',
    clientSecret: secrets.upsClientSecret,
    shipperNumbers: ['A1B2C3'],
  });
}, 60_000);

afterAll(async () => {
  await sandboxes?.close();
  rmSync(dir, { recursive: true, force: true });
});

function filesUnder(path: string): string[] {
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((n) => filesUnder(join(path, n))) : [path];
}

describe('secrets at rest after a full cycle', () => {
  it('stores no configured secret and no issued token in any table or file', async () => {
    const tenant = sandboxTenant({
      fusionBaseUrl: sandboxes.fusion.baseUrl,
      upsBaseUrl: sandboxes.ups.baseUrl,
      fusion: { username: 'secret.buyer', password: secrets.fusionPassword },
      ups: { clientId: 'secret-client', clientSecret: secrets.upsClientSecret, shipperNumber: 'A1B2C3' },
      shipViaUpsSegment: DEFAULT_DFF.shipViaUpsSegment,
      trackingSegment: DEFAULT_DFF.trackingSegment,
      statusSegment: DEFAULT_DFF.statusSegment,
      costCenterSegment: COST_CENTER_SEGMENT_INDEX + 1,
    });
    const file = join(dir, 'connector.json');
    writeFileSync(
      file,
      JSON.stringify({
        dataDir: dir,
        sandbox: { mode: 'never' },
        tenants: [{ ...tenant, apiToken: secrets.apiToken }],
      }),
    );
    const loaded = loadConfigDetailed({
      configFile: file,
      env: { CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64') },
    });
    const connector = await openConnector(loaded, { logger: createLogger({ level: 'error' }) });
    let dump = '';
    try {
      const result = await connector.pipeline.runCycle('sandbox');
      expect(Object.values(result.processed)).toContain('done');
      issuedTokens.push(...sandboxes.ups.sandbox.state.tokens.keys());
      expect(issuedTokens.length).toBeGreaterThan(0);

      // The tracking side's own secrets: the Track Alert v1 credential (sent to UPS in a real subscribe
      // call, so it passes through the audit trail), the v2 client secret and a token we issue with it,
      // and the key that signs tracking links.
      const deps = trackingDepsFor(connector, () => 'http://127.0.0.1:9');
      const subscribed = await createTrackingJobs(deps).subscribeNew('sandbox');
      expect(subscribed?.subscribed).toBeGreaterThan(0);
      const creds = credentialsOf(deps);
      const v2 = await creds.v2Client('sandbox');
      trackingSecrets.push(
        await creds.v1Credential('sandbox'),
        v2.clientSecret,
        await creds.issueAccessToken('sandbox', v2.clientId),
        Buffer.from(await creds.linkKey('sandbox')).toString('base64url'),
      );
      const [shipment] = await connector.storage.repos.shipments.listInStates('sandbox', ['written_back']);
      expect(shipment).toBeDefined();
      await signShipmentLink(deps, 'sandbox', shipment!.id);

      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(connector.storage.db);
      for (const { table_name } of tables.rows) {
        const rows = await sql`select * from ${sql.table(table_name)}`.execute(connector.storage.db);
        dump += `${table_name}\n${JSON.stringify(rows.rows)}\n`;
      }
      // The dump is real: it holds the tenant, the sealed connections and the audit of the calls made.
      expect(dump).toMatch(/audit_log/);
      expect(dump).toMatch(/security\/v1\/oauth\/token/);
      expect(dump).toMatch(/v1\.[A-Za-z0-9_-]+\./);
    } finally {
      await connector.close();
    }
    expect(trackingSecrets).toHaveLength(4);
    for (const secret of [...Object.values(secrets), ...issuedTokens, ...trackingSecrets]) {
      expect(dump.includes(secret), `table dump contains ${secret.slice(0, 6)}…`).toBe(false);
    }
    const needles = [...Object.values(secrets), ...issuedTokens, ...trackingSecrets].map((s) =>
      Buffer.from(s, 'utf8'),
    );
    for (const path of filesUnder(join(dir, 'pglite'))) {
      const bytes = readFileSync(path);
      for (const needle of needles) {
        expect(bytes.includes(needle), `${path} contains ${needle.toString().slice(0, 6)}…`).toBe(false);
      }
    }
  }, 120_000);
});
