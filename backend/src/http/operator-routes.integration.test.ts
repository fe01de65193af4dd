/**
 * The operator API over real HTTP: the app on an ephemeral port with the operator router, the pipeline
 * against the Fusion and UPS sandboxes on loopback, storage on PGlite. Proves the per-tenant bearer guard,
 * the PO list and history after real shipments, dry run without a label, void and retry seen in the UPS
 * sandbox ledger, label reprint (stored bytes, recovery from UPS) and the error mapping.
 */
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.js';
import { upsPort } from '../pipeline/adapters/ups-port.js';
import {
  SANDBOX_TENANT as TENANT,
  startSandboxPipeline,
  type SandboxPipeline,
} from '../pipeline/testing/sandbox-harness.js';
import { tokenDigest } from '../service/tenant-store.js';
import { TokenManagerRegistry } from '../ups/token-manager.js';
import { createUpsClient } from '../ups/ups-client.js';
import { createApp } from './app.js';
import { operatorRoutes } from './operator-routes.js';

const TOKEN_A = 'acme-operator-token-0123456789abcdef';
const TOKEN_B = 'beta-operator-token-0123456789abcdef';
let h: SandboxPipeline;
let server: Server;
let base: string;

const api = (path: string, init: RequestInit & { token?: string | null; json?: unknown } = {}) => {
  const { token = TOKEN_A, json, ...rest } = init;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}/api${path}`, {
    ...rest,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
};
const t = (path: string) => `/tenants/${TENANT}${path}`;

interface PoRow {
  poHeaderId: string;
  orderNumber: string;
  state: string;
  step: string;
  reason: string | null;
}
interface History {
  po: PoRow;
  shipments: Array<{
    id: string;
    state: string;
    upsShipmentId: string;
    packages: Array<{ id: string; trackingNumber: string; labels: Array<{ format: string }> }>;
    trackingEvents: unknown[];
  }>;
  quotes: unknown[];
  writeBacks: Array<{ kind: string; state: string }>;
  audit: Array<{ at: string; step: string }>;
}

async function shippedPo(): Promise<History> {
  const list = (await (await api(t('/pos?state=done&limit=1'))).json()) as { items: PoRow[] };
  const po = list.items[0]!;
  return (await (await api(t(`/pos/${po.poHeaderId}`))).json()) as History;
}

beforeAll(async () => {
  h = await startSandboxPipeline({ poCount: 14, seed: 23 });
  await h.storage.repos.tenants.ensure({ id: TENANT, settings: { apiTokenSha256: tokenDigest(TOKEN_A) } });
  await h.storage.repos.tenants.ensure({ id: 'beta', settings: { apiTokenSha256: tokenDigest(TOKEN_B) } });
  await h.runUntilQuiet();

  const { clientId, clientSecret } = h.upsSandbox.sandbox.credentials;
  const upsClient = createUpsClient({
    baseUrl: h.upsSandbox.baseUrl,
    clientId,
    clientSecret,
    tokenRegistry: new TokenManagerRegistry(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const ups = upsPort(() => upsClient);
  // Stands in for another tenant router (the tracking timeline) mounted behind the same guard.
  const extraTenantRouter = express.Router();
  extraTenantRouter.get('/:tenantId/extra', (req, res) => {
    res.json({ tenantId: req.params.tenantId });
  });
  const logger = createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
  const app = createApp({
    logger,
    readiness: { ping: async () => {}, pendingMigrations: async () => [] },
    isShuttingDown: () => false,
    routers: [
      {
        path: '/api',
        router: operatorRoutes({
          storage: h.storage,
          pipeline: h.pipeline,
          runtimeFor: async () => ({ ups }),
          tenantRouters: [extraTenantRouter],
        }),
      },
    ],
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await h?.close();
});

describe('operator API authentication', () => {
  it('answers the same 401 without a token, with a wrong token, with another tenant’s token and for an unknown tenant', async () => {
    const answers = await Promise.all([
      api(t('/pos'), { token: null }),
      api(t('/pos'), { token: 'not-the-token-0123456789abcdef' }),
      api(t('/pos'), { token: TOKEN_B }),
      api('/tenants/nobody/pos', { token: TOKEN_A }),
      api('/tenants/beta/pos', { token: TOKEN_A }),
      api(t('/pos/1/retry'), { method: 'POST', token: TOKEN_B }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(await res.json()).toEqual({
        error: 'unauthorized',
        message: "a valid bearer token for this tenant's operator API is required",
      });
    }
    expect((await api(t('/extra'), { token: TOKEN_B })).status).toBe(401);
    expect(await (await api(t('/extra'))).json()).toEqual({ tenantId: TENANT });
    expect((await api(t('/pos'))).status).toBe(200);
    expect((await api('/tenants/beta/pos', { token: TOKEN_B })).status).toBe(200);
  });
});

describe('listing and history', () => {
  it('lists POs with state, step and reason, filters by state and pages', async () => {
    const all = (await (await api(t('/pos?limit=500'))).json()) as {
      items: PoRow[];
      nextOffset: number | null;
    };
    expect(all.nextOffset).toBeNull();
    const states = new Set(all.items.map((p) => p.state));
    expect(states).toContain('done');
    expect(states).toContain('ignored');
    for (const p of all.items.filter((i) => i.state === 'ignored'))
      expect(p.reason).toMatch(/no selection rule matched/);
    for (const p of all.items.filter((i) => i.state === 'done')) expect(p.step).toBe('done');

    const ignored = (await (await api(t('/pos?state=ignored'))).json()) as { items: PoRow[] };
    expect(ignored.items.length).toBe(all.items.filter((p) => p.state === 'ignored').length);
    expect(ignored.items.every((p) => p.state === 'ignored')).toBe(true);

    const page1 = (await (await api(t('/pos?limit=2'))).json()) as { items: PoRow[]; nextOffset: number };
    const page2 = (await (await api(t(`/pos?limit=2&offset=${page1.nextOffset}`))).json()) as {
      items: PoRow[];
    };
    expect(page1.items).toHaveLength(2);
    expect(page1.nextOffset).toBe(2);
    expect(page2.items.map((p) => p.poHeaderId)).toEqual(all.items.slice(2, 4).map((p) => p.poHeaderId));
  });

  it('rejects bad list input with a 400 naming the field', async () => {
    const res = await api(t('/pos?limit=0&state=lost'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string; fields: Array<{ field: string }> };
    expect(body.error).toBe('invalid_request');
    expect(body.fields.map((f) => f.field).sort()).toEqual(['query.limit', 'query.state']);
    expect(body.message).toMatch(/query\.state: one of pending, retry_wait/);
  });

  it('shows one shipped PO’s full history: shipments, packages with labels, quote, write-backs, audit newest first', async () => {
    const history = await shippedPo();
    expect(history.po).toMatchObject({ state: 'done', step: 'done' });
    expect(history.shipments.length).toBeGreaterThan(0);
    const s = history.shipments[0]!;
    expect(s.state).toBe('written_back');
    expect(s.packages[0]?.trackingNumber).toMatch(/^1Z/);
    expect(s.packages[0]?.labels.map((l) => l.format)).toEqual(['GIF']);
    expect(Array.isArray(s.trackingEvents)).toBe(true);
    expect(history.quotes.length).toBeGreaterThan(0);
    expect(history.writeBacks.some((w) => w.kind === 'tracking_number' && w.state === 'done')).toBe(true);
    const steps = history.audit.map((a) => a.step);
    expect(steps).toEqual(expect.arrayContaining(['select', 'rate', 'ship', 'write-back']));
    const times = history.audit.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await api(t('/pos/999999999'))).status).toBe(404);
  });
});

describe('dry run', () => {
  it('says what would ship, from where, billed to which account, at what rate — and buys no label', async () => {
    const history = await shippedPo();
    const before = await h.ledger();
    const res = await api(t(`/pos/${history.po.poHeaderId}/dry-run`), { method: 'POST' });
    expect(res.status).toBe(200);
    const dry = (await res.json()) as {
      selected: boolean;
      mapping: { account: { shipperNumber: string } };
      shipments: Array<{
        addresses: { shipFrom: { city: string } };
        packages: unknown[];
        rate: { total: { amount: string } };
      }>;
    };
    expect(dry.selected).toBe(true);
    expect(dry.mapping.account.shipperNumber).toBe(h.upsSandbox.sandbox.credentials.shipperNumber);
    expect(dry.shipments[0]?.addresses.shipFrom.city).toBeTruthy();
    expect(dry.shipments[0]?.packages.length).toBeGreaterThan(0);
    expect(Number(dry.shipments[0]?.rate.total.amount)).toBeGreaterThan(0);
    const after = await h.ledger();
    expect(after.shipments.length).toBe(before.shipments.length);
    expect(after.liveLabels).toBe(before.liveLabels);
  });

  it('maps a Fusion failure to 502 with Fusion’s message', async () => {
    const history = await shippedPo();
    const faults = `${h.fusionSandbox.baseUrl}/_sandbox/fusion/faults`;
    await fetch(faults, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'purchaseOrders', kind: 'error', status: 503, times: 50 }),
    });
    try {
      const res = await api(t(`/pos/${history.po.poHeaderId}/dry-run`), { method: 'POST' });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({
        error: 'fusion_error',
        kind: 'transient',
        message: expect.stringMatching(/503/),
      });
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
  });

  it('answers 404 for a PO Fusion does not know', async () => {
    const res = await api(t('/pos/987654321/dry-run'), { method: 'POST' });
    expect(res.status).toBe(404);
  });
});

describe('label reprint', () => {
  it('returns the stored label bytes as a GIF with a file name', async () => {
    const s = (await shippedPo()).shipments[0]!;
    const pkg = s.packages[0]!;
    const [stored] = (await h.storage.repos.packages.labelsForShipment(TENANT, s.id)).filter(
      (l) => l.packageId === pkg.id,
    );
    const res = await api(t(`/shipments/${s.id}/labels/${pkg.trackingNumber}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${pkg.trackingNumber}.gif"`);
    expect(res.headers.get('x-label-source')).toBe('stored');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(stored!.imageBase64, 'base64'))).toBe(
      true,
    );
  });

  it('recovers a label that is not stored from UPS (502 with UPS’s message while UPS fails), and stores it', async () => {
    const s = (await shippedPo()).shipments[0]!;
    const pkg = s.packages[0]!;
    const [stored] = (await h.storage.repos.packages.labelsForShipment(TENANT, s.id)).filter(
      (l) => l.packageId === pkg.id,
    );
    await h.storage.db
      .deleteFrom('labels')
      .where('tenant_id', '=', TENANT)
      .where('package_id', '=', pkg.id)
      .execute();

    await h.upsFault({ endpoint: 'label-recovery', kind: 'server-error', times: 50 });
    const failed = await api(t(`/shipments/${s.id}/labels/${pkg.trackingNumber}`));
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ error: 'ups_error', message: expect.any(String) });
    await fetch(`${h.upsSandbox.baseUrl}/_sandbox/ups/faults`, { method: 'DELETE' });

    const res = await api(t(`/shipments/${s.id}/labels/${pkg.trackingNumber}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-label-source')).toBe('recovered');
    expect(res.headers.get('content-type')).toBe('image/gif');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(Buffer.from(stored!.imageBase64, 'base64'))).toBe(true);
    const again = await api(t(`/shipments/${s.id}/labels/${pkg.trackingNumber}`));
    expect(again.headers.get('x-label-source')).toBe('stored');

    // A thermal printer's format is recovered on demand too.
    const zpl = await api(t(`/shipments/${s.id}/labels/${pkg.trackingNumber}?format=zpl`));
    expect(zpl.status).toBe(200);
    expect(zpl.headers.get('x-label-source')).toBe('recovered');
    expect(zpl.headers.get('content-type')).toBe('application/octet-stream');
    expect(zpl.headers.get('content-disposition')).toBe(`attachment; filename="${pkg.trackingNumber}.zpl"`);
    expect(Buffer.from(await zpl.arrayBuffer()).toString('latin1')).toMatch(/^\^XA/);
  });

  it('answers 404 for an unknown shipment or a tracking number of another shipment, 400 for a bad format', async () => {
    const s = (await shippedPo()).shipments[0]!;
    expect(
      (await api(t(`/shipments/00000000-0000-0000-0000-000000000000/labels/1Z999AA10123456784`))).status,
    ).toBe(404);
    expect((await api(t(`/shipments/${s.id}/labels/1Z999AA10123456784`))).status).toBe(404);
    const bad = await api(t(`/shipments/${s.id}/labels/${s.packages[0]!.trackingNumber}?format=BMP`));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: Array<{ field: string }> }).fields[0]?.field).toBe(
      'query.format',
    );
  });
});

describe('void and retry', () => {
  it('voids a live label in the UPS sandbox, then a retry ships the flagged PO again', async () => {
    const history = await shippedPo();
    const s = history.shipments[0]!;
    const orderNumber = history.po.orderNumber;

    const noReason = await api(t(`/shipments/${s.id}/void`), { method: 'POST', json: {} });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { fields: Array<{ field: string }> }).fields[0]?.field).toBe(
      'body.reason',
    );

    const live = (await h.ledger(orderNumber)).liveShipments;
    const res = await api(t(`/shipments/${s.id}/void`), {
      method: 'POST',
      json: { reason: 'wrong carton size' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'voided', shipment: { id: s.id, state: 'voided' } });
    const ledger = await h.ledger(orderNumber);
    expect(ledger.liveShipments).toBe(live - 1);
    expect(
      ledger.shipments.find((x) => x.shipmentIdentificationNumber === s.upsShipmentId)?.voidedAt,
    ).toBeTruthy();

    const again = await api(t(`/shipments/${s.id}/void`), { method: 'POST', json: { reason: 'twice' } });
    expect(again.status).toBe(409);
    const deadLabel = await api(t(`/shipments/${s.id}/labels/${s.packages[0]!.trackingNumber}`));
    expect(deadLabel.status).toBe(409);

    const flagged = (await (await api(t(`/pos/${history.po.poHeaderId}`))).json()) as History;
    expect(flagged.po).toMatchObject({
      state: 'flagged',
      reason: expect.stringContaining('wrong carton size'),
    });

    const retry = await api(t(`/pos/${history.po.poHeaderId}/retry`), { method: 'POST' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ outcome: 'done', po: { state: 'done', step: 'done' } });
    expect((await h.ledger(orderNumber)).liveShipments).toBe(live);
    const audit = await h.storage.repos.audit.listByPo(TENANT, history.po.poHeaderId);
    expect(audit.some((a) => a.step === 'retry' && a.message?.startsWith('admin retry'))).toBe(true);

    expect((await api(t(`/pos/${history.po.poHeaderId}/retry`), { method: 'POST' })).status).toBe(409);
    expect((await api(t('/pos/424242424/retry'), { method: 'POST' })).status).toBe(404);
    expect(
      (
        await api(t('/shipments/00000000-0000-0000-0000-000000000000/void'), {
          method: 'POST',
          json: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
  });
});
