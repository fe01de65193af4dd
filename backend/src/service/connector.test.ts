/**
 * The composition root in sandbox mode, as `npm start` runs it with no tenant configured: one cycle ships
 * the seeded POs, and every external call lands in the audit trail under its PO and step.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../config/index.js';
import { createLogger } from '../logging/index.js';
import { openConnector, type Connector } from './connector.js';
import { SANDBOX_TENANT_ID } from './sandbox-tenant.js';

const dir = mkdtempSync(join(tmpdir(), 'connector-test-'));
let connector: Connector;

beforeAll(async () => {
  const loaded = loadConfigDetailed({
    env: {
      CONNECTOR_DATA_DIR: dir,
      CONNECTOR_SANDBOX: 'always',
      CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  });
  connector = await openConnector(loaded, { logger: createLogger({ level: 'error' }) });
}, 60_000);

afterAll(async () => {
  await connector?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('connector in sandbox mode', () => {
  it('configures the demo tenant against the sandboxes and ships its POs', async () => {
    expect(connector.tenantIds).toEqual([SANDBOX_TENANT_ID]);
    expect(connector.sandboxes?.ups.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await connector.pipeline.runCycle(SANDBOX_TENANT_ID);
    const done = Object.entries(result.processed).filter(([, o]) => o === 'done');
    expect(done.length).toBeGreaterThan(0);

    const [poHeaderId] = done[0]!;
    const trail = await connector.storage.repos.audit.listByPo(SANDBOX_TENANT_ID, poHeaderId);
    const calls = trail.filter((e) => e.call);
    // Calls are filed under the PO and the step that made them, not under a generic bucket.
    expect(
      calls.some((e) => e.call?.system === 'ups' && e.step === 'ship' && /\/ship(\?|$)/.test(e.call.path)),
    ).toBe(true);
    expect(calls.some((e) => e.call?.system === 'ups' && e.step === 'address')).toBe(true);
    expect(calls.some((e) => e.call?.system === 'fusion' && e.step === 'write-back')).toBe(true);
    expect(trail.some((e) => e.step === 'ship' && e.outcome === 'ok' && !e.call)).toBe(true);
    // The ship call's audit carries UPS's ids but no token.
    const ship = calls.find((e) => e.step === 'ship' && e.call?.system === 'ups')!;
    expect(JSON.stringify(ship)).not.toMatch(/Bearer\s+[A-Za-z0-9_-]{20,}/);
  }, 120_000);
});
