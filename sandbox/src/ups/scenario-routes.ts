/**
 * Scenario API under /_sandbox/ups (JSON, unauthenticated: it is a sandbox). Routes are listed in README.md.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { UpsState } from './state.js';
import { QUIRK_NAMES } from './quirks.js';
import { addFault, faultInput } from './faults.js';
import { advancePackages, movePackage } from './package-events.js';
import type { WebhookPusher } from './webhook-pusher.js';
import { trackPackage } from './tracking.js';
import { postPendingFile } from './quantum-view.js';
import { referencedBy } from './shipment-model.js';

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw new ScenarioError(
      400,
      r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return r.data;
}

export class ScenarioError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The ledger as tests read it: every shipment, and live (unvoided) labels per reference. */
export function ledgerView(state: UpsState, filter: { shipperNumber?: string; reference?: string }) {
  const shipments = [...state.shipments.values()].filter(
    (s) =>
      (!filter.shipperNumber || s.shipperNumber === filter.shipperNumber) &&
      (!filter.reference ||
        s.customerContext === filter.reference ||
        referencedBy(s, filter.reference).length > 0),
  );
  const liveLabels = shipments.reduce(
    (n, s) => n + s.packages.filter((p) => p.voidedAtMs === undefined).length,
    0,
  );
  return {
    liveLabels,
    liveShipments: shipments.filter((s) => s.voidedAtMs === undefined).length,
    shipments: shipments.map((s) => ({
      ...s,
      createdAt: new Date(s.createdAtMs).toISOString(),
      ...(s.voidedAtMs !== undefined ? { voidedAt: new Date(s.voidedAtMs).toISOString() } : {}),
    })),
  };
}

export function scenarioRouter(
  state: UpsState,
  pusher: WebhookPusher,
  reseed: (seed?: number) => void,
): Router {
  const r = express.Router();
  const ok = (res: Response, body: unknown) => res.json(body);

  r.post('/reset', (req: Request, res: Response) => {
    const { seed } = parse(z.object({ seed: z.number().int().optional() }), req.body);
    state.reset();
    reseed(seed);
    ok(res, { reset: true });
  });
  r.get('/clock', (_req, res) => ok(res, { now: state.clock.now().toISOString() }));
  r.post('/clock/advance', (req, res) => {
    const b = parse(
      z.object({
        seconds: z.number().min(0).optional(),
        ms: z.number().min(0).optional(),
        days: z.number().min(0).optional(),
      }),
      req.body,
    );
    state.clock.advance((b.ms ?? 0) + (b.seconds ?? 0) * 1000 + (b.days ?? 0) * 86_400_000);
    const moved = advancePackages(state);
    ok(res, { now: state.clock.now().toISOString(), eventsApplied: moved });
  });
  r.get('/packages/:trackingNumber', (req, res) => {
    const pkg = state.packages.get(String(req.params.trackingNumber));
    if (!pkg) throw new ScenarioError(404, 'unknown tracking number');
    ok(res, {
      ...trackPackage(state, pkg, { includeUpdates: true }),
      plan: pkg.plan.map((p) => ({ kind: p.kind, dueAt: new Date(p.dueAtMs).toISOString() })),
    });
  });
  r.post('/packages/:trackingNumber/move', (req, res) => {
    const { action } = parse(
      z.object({ action: z.enum(['next', 'deliver', 'exception']).default('next') }),
      req.body,
    );
    const pkg = state.packages.get(String(req.params.trackingNumber));
    if (!pkg) throw new ScenarioError(404, 'unknown tracking number');
    const events = movePackage(state, pkg, action);
    ok(res, { events: events.map((e) => ({ ...e, at: new Date(e.atMs).toISOString() })) });
  });
  r.post('/webhooks/push', async (_req, res) => {
    await pusher.flush();
    ok(res, { deliveries: state.deliveries });
  });
  r.get('/webhooks/deliveries', (_req, res) => ok(res, { deliveries: state.deliveries }));
  r.post('/webhooks/v2', (req, res) => {
    state.webhookConfig = parse(
      z.object({
        url: z.url(),
        tokenUrl: z.url(),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
      }),
      req.body,
    );
    ok(res, {
      url: state.webhookConfig.url,
      tokenUrl: state.webhookConfig.tokenUrl,
      clientId: state.webhookConfig.clientId,
    });
  });
  r.put('/webhooks/behaviour', (req, res) => {
    const b = parse(
      z.object({
        delivery: z.enum(['immediate', 'manual']).optional(),
        duplicateProbability: z.number().min(0).max(1).optional(),
        outOfOrder: z.boolean().optional(),
        ackTimeoutMs: z.number().int().min(1).max(60_000).optional(),
      }),
      req.body,
    );
    Object.assign(state.webhookBehaviour, b);
    ok(res, state.webhookBehaviour);
  });
  r.get('/subscriptions', (_req, res) =>
    ok(res, {
      subscriptions: [...state.subscriptions.values()].map((s) => ({
        ...s,
        destination: s.destination
          ? { url: s.destination.url, credentialType: s.destination.credentialType }
          : undefined,
        expired: s.expiresAtMs <= state.now(),
        expiresAt: new Date(s.expiresAtMs).toISOString(),
      })),
    }),
  );
  r.get('/quirks', (_req, res) => ok(res, { quirks: [...state.quirks], available: QUIRK_NAMES }));
  r.put('/quirks', (req, res) => {
    const { quirks } = parse(
      z.object({ quirks: z.array(z.enum(QUIRK_NAMES as [string, ...string[]])) }),
      req.body,
    );
    state.quirks = new Set(quirks as (typeof QUIRK_NAMES)[number][]);
    ok(res, { quirks: [...state.quirks] });
  });
  r.get('/faults', (_req, res) => ok(res, { faults: state.faults }));
  r.post('/faults', (req, res) => ok(res, addFault(state, parse(faultInput, req.body))));
  r.delete('/faults', (_req, res) => {
    state.faults = [];
    ok(res, { faults: [] });
  });
  r.get('/ledger', (req, res) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? req.query[k] : undefined);
    ok(res, ledgerView(state, { shipperNumber: q('shipperNumber'), reference: q('reference') }));
  });
  r.put('/settings', (req, res) => {
    const b = parse(
      z.object({
        voidWindowSeconds: z.number().int().min(0).optional(),
        tokenTtlSeconds: z.number().int().min(1).optional(),
        qvPageLimitBytes: z.number().int().min(1).optional(),
      }),
      req.body,
    );
    if (b.voidWindowSeconds !== undefined) state.voidWindowSeconds = b.voidWindowSeconds;
    if (b.tokenTtlSeconds !== undefined) state.tokenTtlSeconds = b.tokenTtlSeconds;
    if (b.qvPageLimitBytes !== undefined) state.qvPageLimitBytes = b.qvPageLimitBytes;
    ok(res, {
      voidWindowSeconds: state.voidWindowSeconds,
      tokenTtlSeconds: state.tokenTtlSeconds,
      qvPageLimitBytes: state.qvPageLimitBytes,
    });
  });
  r.post('/tokens/revoke', (_req, res) => {
    for (const t of state.tokens.values()) t.revoked = true;
    ok(res, { revoked: state.tokens.size });
  });
  r.get('/quantum-view/files', (_req, res) => {
    advancePackages(state);
    postPendingFile(state);
    ok(res, {
      files: state.qvFiles.map((f) => ({
        fileName: f.fileName,
        status: f.status,
        postedAt: new Date(f.postedAtMs).toISOString(),
        records: f.records.length,
      })),
    });
  });
  return r;
}
