/**
 * Track Alert v2 through the running service: the tenant's OAuth client exists from the start, the
 * operator reads the webhook and token URLs and gets a client secret from the operator API, enters them
 * at UPS (here: the UPS sandbox's webhook settings), and a pushed delivery then signs in and is stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../config/index.js';
import { createLogger } from '../logging/index.js';
import { createTrackingJobs } from '../tracking/tracking-jobs.js';
import { demoTenantFor } from './connector.js';
import { startService, type RunningService } from './start-service.js';
import { trackingDepsFor } from './tracking-wiring.js';

const dir = mkdtempSync(join(tmpdir(), 'track-alert-v2-test-'));
const TENANT = 'v2shop';
const TOKEN = randomBytes(24).toString('hex');
let service: RunningService;
let upsBase: string;
const logged: string[] = [];
const logStream = new PassThrough();
logStream.on('data', (chunk: Buffer) => logged.push(chunk.toString('utf8')));

beforeAll(async () => {
  const base = 20_000 + Math.floor(Math.random() * 20_000);
  const [port, fusionPort, upsPort] = [base, base + 1, base + 2];
  upsBase = `http://127.0.0.1:${upsPort}`;
  const tenant = demoTenantFor({
    fusion: { baseUrl: `http://127.0.0.1:${fusionPort}` },
    ups: { baseUrl: upsBase },
  });
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      sandbox: { mode: 'always', fusionPort, upsPort },
      tenants: [
        {
          ...tenant,
          id: TENANT,
          apiToken: TOKEN,
          ups: { ...tenant.ups, trackAlert: { version: 'v2' } },
        },
      ],
    }),
  );
  const loaded = loadConfigDetailed({
    configFile: file,
    env: {
      CONNECTOR_DATA_DIR: dir,
      CONNECTOR_PORT: String(port),
      CONNECTOR_HOST: '127.0.0.1',
      CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  });
  service = await startService(loaded, {
    schedule: false,
    logger: createLogger({ level: 'error', stream: logStream }),
  });
}, 60_000);

afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = (method: string, path: string, token = TOKEN) =>
  fetch(`${service.baseUrl}/api/tenants/${TENANT}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });

describe('Track Alert v2 in the running service', () => {
  it('has the OAuth client from the start and shows the operator what to enter at UPS', async () => {
    expect((await api('GET', '/tracking/webhook', 'wrong')).status).toBe(401);
    const setup = (await (await api('GET', '/tracking/webhook')).json()) as Record<string, unknown>;
    expect(setup).toEqual({
      enabled: true,
      version: 'v2',
      webhookUrl: `${service.baseUrl}/webhooks/ups/${TENANT}`,
      tokenUrl: `${service.baseUrl}/oauth/ups/${TENANT}/token`,
      clientId: expect.stringMatching(/^ups-[0-9a-f]{24}$/),
    });
    expect(JSON.stringify(setup)).not.toMatch(/secret/i);
  });

  it('a pushed delivery signs in with the client from the operator API and is stored', async () => {
    const res = await api('POST', '/tracking/webhook/v2-client');
    expect(res.status).toBe(200);
    const client = (await res.json()) as {
      webhookUrl: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
    };
    expect(client.clientSecret.length).toBeGreaterThanOrEqual(32);
    // The secret is not shown again.
    expect(JSON.stringify(await (await api('GET', '/tracking/webhook')).json())).not.toContain(
      client.clientSecret,
    );
    const scenario = (path: string, body: unknown) =>
      fetch(`${upsBase}/_sandbox/ups${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // What the operator enters in the UPS developer portal.
    const configured = await scenario('/webhooks/v2', {
      url: client.webhookUrl,
      tokenUrl: client.tokenUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
    });
    expect(configured.ok).toBe(true);

    const { connector } = service;
    const cycle = await connector.pipeline.runCycle(TENANT);
    const poHeaderId = Object.entries(cycle.processed).find(([, o]) => o === 'done')?.[0];
    expect(poHeaderId).toBeDefined();
    const jobs = createTrackingJobs(trackingDepsFor(connector, () => service.baseUrl));
    expect((await jobs.subscribeNew(TENANT))?.subscribed).toBeGreaterThan(0);
    const [shipment] = await connector.storage.repos.shipments.listByPo(TENANT, poHeaderId!);
    await scenario(`/packages/${shipment!.trackingNumber}/move`, { action: 'deliver' });
    const pushed = (await (await scenario('/webhooks/push', {})).json()) as {
      deliveries: Array<{ trackingNumber: string; httpStatus?: number }>;
    };
    const ours = pushed.deliveries.filter((d) => d.trackingNumber === shipment!.trackingNumber);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((d) => d.httpStatus === 200)).toBe(true);
    const events = await connector.storage.repos.trackingEvents.listByShipment(TENANT, shipment!.id);
    expect(events.map((e) => e.status)).toContain('delivered');
  }, 120_000);

  it('stops only after the flush the delivery started: nothing runs on closed pools', async () => {
    await service.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(logged.join('\n')).not.toMatch(/destroyed|closed/);
  });
});
