/**
 * The whole loop through the running service in sandbox mode (what `npm start` does with no tenant):
 * POs ship, their labels are subscribed to Track Alert with our own webhook URL, the UPS sandbox pushes a
 * delivery to that webhook over HTTP, and the delivered status reaches the PO in Fusion.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../config/index.js';
import { createLogger } from '../logging/index.js';
import { createTrackingJobs } from '../tracking/tracking-jobs.js';
import { SANDBOX_TENANT_ID } from './sandbox-tenant.js';
import { startService, type RunningService } from './start-service.js';
import { trackingDepsFor } from './tracking-wiring.js';

const dir = mkdtempSync(join(tmpdir(), 'start-service-test-'));
let service: RunningService;

beforeAll(async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const loaded = loadConfigDetailed({
    env: {
      CONNECTOR_DATA_DIR: dir,
      CONNECTOR_PORT: String(port),
      CONNECTOR_HOST: '127.0.0.1',
      CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  });
  service = await startService(loaded, { schedule: false, logger: createLogger({ level: 'error' }) });
}, 60_000);

afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the service in sandbox mode', () => {
  it('ships, subscribes the labels, takes the delivery webhook and writes DELIVERED to Fusion', async () => {
    const { connector } = service;
    const sandboxes = connector.sandboxes!;
    const cycle = await connector.pipeline.runCycle(SANDBOX_TENANT_ID);
    const done = Object.entries(cycle.processed)
      .filter(([, o]) => o === 'done')
      .map(([id]) => id);
    expect(done.length).toBeGreaterThan(0);

    const deps = trackingDepsFor(connector, () => service.baseUrl);
    const jobs = createTrackingJobs(deps);
    const subscribed = await jobs.subscribeNew(SANDBOX_TENANT_ID);
    expect(subscribed?.subscribed).toBeGreaterThanOrEqual(done.length);
    const subs = (await (await fetch(`${sandboxes.ups.baseUrl}/_sandbox/ups/subscriptions`)).json()) as {
      subscriptions: Array<{ trackingNumber: string; destination?: { url: string } }>;
    };
    expect(subs.subscriptions[0]?.destination?.url).toBe(
      `${service.baseUrl}/webhooks/ups/${SANDBOX_TENANT_ID}`,
    );

    const poHeaderId = done[0]!;
    const [shipment] = await connector.storage.repos.shipments.listByPo(SANDBOX_TENANT_ID, poHeaderId);
    const tn = shipment!.trackingNumber!;
    const move = await fetch(`${sandboxes.ups.baseUrl}/_sandbox/ups/packages/${tn}/move`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'deliver' }),
    });
    expect(move.ok).toBe(true);
    await sandboxes.ups.sandbox.pusher.flush();

    const events = await connector.storage.repos.trackingEvents.listByShipment(
      SANDBOX_TENANT_ID,
      shipment!.id,
    );
    expect(events.map((e) => e.status)).toContain('delivered');
    const after = (await connector.storage.repos.shipments.listByPo(SANDBOX_TENANT_ID, poHeaderId))[0]!;
    expect(after.trackingStatus).toBe('delivered');

    await jobs.flushWriteBacks(SANDBOX_TENANT_ID);
    const summary = (await (
      await fetch(`${sandboxes.fusion.baseUrl}/_sandbox/fusion/purchase-orders`)
    ).json()) as Array<{
      POHeaderId: number;
      shipmentStatus: string | null;
    }>;
    expect(summary.find((p) => String(p.POHeaderId) === poHeaderId)?.shipmentStatus).toBe('DELIVERED');
  }, 120_000);
});
