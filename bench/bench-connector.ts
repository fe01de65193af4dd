/**
 * What every benchmark stands on: both sandboxes, and the connector configured with one tenant against
 * them (the same tenant `npm start` runs in sandbox mode), on an embedded PGlite database in a temp dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes } from '@fusion-ups/sandbox';
import { loadConfigDetailed } from '../backend/src/config/index.js';
import { createLogger } from '../backend/src/logging/index.js';
import { demoTenantFor, openConnector, type Connector } from '../backend/src/service/connector.js';
import { SANDBOX_TENANT_ID } from '../backend/src/service/sandbox-tenant.js';

export interface BenchRig {
  connector: Connector;
  sandboxes: Awaited<ReturnType<typeof startSandboxes>>;
  tenantId: string;
  close(): Promise<void>;
}

export async function startBenchRig(options: { poCount: number; seed?: number }): Promise<BenchRig> {
  const dir = mkdtempSync(join(tmpdir(), 'fusion-ups-bench-'));
  const sandboxes = await startSandboxes({ poCount: options.poCount, seed: options.seed ?? 7 });
  const tenant = demoTenantFor(sandboxes);
  const file = join(dir, 'connector.json');
  writeFileSync(file, JSON.stringify({ dataDir: dir, sandbox: { mode: 'never' }, tenants: [tenant] }));
  const loaded = loadConfigDetailed({
    configFile: file,
    env: { CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64') },
  });
  const connector = await openConnector(loaded, { logger: createLogger({ level: 'error' }) });
  return {
    connector,
    sandboxes,
    tenantId: SANDBOX_TENANT_ID,
    async close() {
      await connector.close();
      await sandboxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
