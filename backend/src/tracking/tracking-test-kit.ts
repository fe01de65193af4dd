/**
 * Test support for the tracking integration tests (not used in production): the UPS sandbox on loopback,
 * storage on a given engine sharing the sandbox clock, our webhook / token / timeline routers in the real
 * Express app on loopback, the real UPS client, and labels bought in the sandbox and recorded as shipments.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { startUpsSandbox } from '../../../sandbox/src/ups/index.js';
import { AuditLog } from '../audit/audit-log.js';
import { createApp } from '../http/app.js';
import { timelineRoutes, trackingLinkRoutes } from '../http/timeline-routes.js';
import { webhookOAuthRoutes } from '../http/webhook-oauth-routes.js';
import { webhookRoutes } from '../http/webhook-routes.js';
import { createLogger } from '../logging/index.js';
import type { Storage } from '../storage/index.js';
import type { TestEngine } from '../storage/test-engines.js';
import { TokenManagerRegistry } from '../ups/token-manager.js';
import { shipInput } from '../ups/testing/fixtures.js';
import { createUpsClient, type UpsClient } from '../ups/ups-client.js';
import { EnvKeyProvider, Vault } from '../vault/index.js';
import type { TrackingStatusWriter } from './fusion-status-writer.js';
import type { TrackingDeps, TrackingSettings } from './tracking-deps.js';

export const TENANT = 'acme';
const DAY = 86_400_000;

export interface SandboxEvent {
  type: string;
  code: string;
  localDate: string;
  localTime: string;
  gmtDate: string;
  gmtTime: string;
}

export interface KitOptions {
  settings?: Partial<TrackingSettings>;
  statusWriter?: TrackingStatusWriter;
  seed?: number;
}

export async function startTrackingKit(engine: TestEngine, options: KitOptions = {}) {
  const ups = await startUpsSandbox({ seed: options.seed ?? 5, tickMs: 0 });
  const clock = ups.sandbox.clock;
  // Time moves only when a test says so: expiry and renewal instants are then exact.
  clock.freeze();
  const now = () => clock.now();
  const storage: Storage = await engine.open({ now });
  await storage.migrate();
  await storage.repos.tenants.ensure({ id: TENANT });
  const vault = new Vault(new EnvKeyProvider([{ id: 'k1', key: randomBytes(32) }]));
  const audit = new AuditLog({ append: async (e) => void (await storage.repos.audit.append(e)) }, { now });
  const { clientId, clientSecret, shipperNumber } = ups.sandbox.credentials;
  const upsClient: UpsClient = createUpsClient({
    baseUrl: ups.baseUrl,
    clientId,
    clientSecret,
    tokenRegistry: new TokenManagerRegistry(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  let settings: TrackingSettings = {
    trackAlert: { enabled: true, version: 'v1' },
    statusMechanism: options.statusWriter ? options.statusWriter.mechanism : 'none',
    ...options.settings,
  };
  const deps: TrackingDeps = {
    storage,
    ups: () => upsClient,
    vault,
    audit,
    settings: () => settings,
    ...(options.statusWriter ? { statusWriter: () => options.statusWriter ?? null } : {}),
    now,
  };

  const app = createApp({
    logger: createLogger({ level: 'error' }),
    readiness: storage,
    isShuttingDown: () => false,
    routers: [
      { path: '/webhooks/ups', router: webhookRoutes(deps, { onStatusChange: () => undefined }) },
      { path: '/oauth/ups', router: webhookOAuthRoutes(deps) },
      { path: '/api/tenants', router: timelineRoutes(deps) },
      { path: '/t', router: trackingLinkRoutes(deps) },
    ],
  });
  let server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  settings = { ...settings, webhookUrl: `${baseUrl}/webhooks/ups/${TENANT}` };

  // A fresh connection per scenario call (agent: false): a reused keep-alive socket the sandbox has just
  // closed would reset, and a scenario call such as a clock advance must not be retried blindly.
  const scenario = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        `${ups.baseUrl}/_sandbox/ups${path}`,
        { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300)
              reject(new Error(`sandbox ${method} ${path}: HTTP ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text) as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  let poSeq = 0;
  const kit = {
    ups,
    clock,
    storage,
    deps,
    vault,
    upsClient,
    baseUrl,
    get settings() {
      return settings;
    },
    setSettings(patch: Partial<TrackingSettings>) {
      settings = { ...settings, ...patch };
    },
    scenario,
    /** Buys `count` one-package labels at UPS and records each as a shipped shipment of a PO. */
    async createLabels(count: number, poHeaderIds?: string[]) {
      const out: Array<{ trackingNumber: string; shipmentId: string; poHeaderId: string }> = [];
      for (let i = 0; i < count; i += 1) {
        poSeq += 1;
        const poHeaderId = poHeaderIds?.[i] ?? `${300100000 + poSeq}`;
        const { shipment } = await storage.repos.shipments.recordIntent(TENANT, {
          poHeaderId,
          revision: 0,
          packageSetHash: `h${poSeq}`,
        });
        await storage.repos.shipments.transition(TENANT, shipment.id, 'intent_recorded', 'submitting');
        const shipped = await upsClient.ship({
          ...shipInput,
          shipperNumber,
          packages: [shipInput.packages[0]!],
          customerContext: shipment.id,
        });
        const trackingNumber = shipped.trackingNumbers[0]!;
        await storage.repos.shipments.markShipped(TENANT, shipment.id, 'submitting', {
          trackingNumber,
          upsShipmentId: shipped.shipmentId,
          shipperNumber,
          packages: [{ seq: 1, trackingNumber }],
        });
        out.push({ trackingNumber, shipmentId: shipment.id, poHeaderId });
      }
      return out;
    },
    /** Keeps packages at UPS (no scan) for `days`: long-haul freight that outlives a 14-day subscription. */
    hold(trackingNumbers: string[], days: number) {
      for (const tn of trackingNumbers) {
        const pkg = ups.sandbox.state.packages.get(tn);
        if (!pkg) throw new Error(`no sandbox package ${tn}`);
        pkg.plan = pkg.plan.map((s) => ({ ...s, dueAtMs: s.dueAtMs + days * DAY }));
      }
    },
    async advanceDays(days: number) {
      await scenario('POST', '/clock/advance', { days });
      await scenario('POST', '/webhooks/push');
    },
    /** Every activity UPS has for a package (through the scenario API). */
    async sandboxEvents(trackingNumber: string): Promise<SandboxEvent[]> {
      const r = await scenario<{ activity: Array<Record<string, unknown>> }>(
        'GET',
        `/packages/${trackingNumber}`,
      );
      return r.activity.map((a) => {
        const status = a.status as Record<string, string>;
        return {
          type: status.type!,
          code: status.code!,
          localDate: String(a.date),
          localTime: String(a.time),
          gmtDate: String(a.gmtDate),
          gmtTime: String(a.gmtTime),
        };
      });
    },
    async storedEvents(trackingNumber: string) {
      return storage.repos.trackingEvents.listByTrackingNumber(TENANT, trackingNumber);
    },
    async countRows(table: 'tracking_events' | 'write_backs' | 'audit_log' | 'webhook_credentials') {
      const r = await storage.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Takes the receiver off the network, as a crashed or redeployed service would be. */
    async receiverDown() {
      await new Promise<void>((r) => server.close(() => r()));
    },
    async receiverUp() {
      server = createServer(app);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await ups.close();
      await storage.close();
      await engine.cleanup();
    },
  };
  return kit;
}

export type TrackingKit = Awaited<ReturnType<typeof startTrackingKit>>;

/**
 * The same activity, whichever channel stored it: local date and time as printed, and the status type. A
 * manifest is one per package (Quantum View dates it by pickup day, without a time).
 */
export const activityKey = (e: {
  localDate?: string;
  localTime?: string;
  type?: string;
  upsStatusType?: string;
}) => {
  const type = e.type ?? e.upsStatusType;
  return type === 'M' ? 'M' : `${e.localDate}|${(e.localTime ?? '').padStart(6, '0')}|${type}`;
};
