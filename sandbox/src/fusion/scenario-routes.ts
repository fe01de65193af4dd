/**
 * The scenario API under `/_sandbox/fusion`: what a test or a demo does to Fusion "from the inside" —
 * reseed, create or change POs as a buyer would in the UI, move the clock, inject faults, and read back
 * what the connector wrote (ASNs, change orders, DFF values, attachments) and every request it made.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  applyChangeOrder,
  applyHeaderChanges,
  approvePurchaseOrder,
  processDueApprovals,
  setPoStatus,
  touch,
} from './approvals.js';
import { changeOrderFor } from './change-orders.js';
import type { FaultInjector } from './faults.js';
import type { TokenRelay } from './token-relay.js';
import { allCatalogAddresses } from './seed-catalog.js';
import { CARRIERS } from './seed-items.js';
import { createPurchaseOrder, createRng, seedFusion, STATUS_NAMES } from './seed-generator.js';
import { formatLocationAddress, type FusionState, type PurchaseOrder } from './state.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const poSpecSchema = z
  .object({
    status: z.enum(Object.keys(STATUS_NAMES) as [string, ...string[]]).optional(),
    frozen: z.boolean().optional(),
    approveInSeconds: z.number().min(0).nullable().optional(),
    supplierSiteCode: z.string().optional(),
    shipToLocationCode: z.string().optional(),
    procurementBUId: z.number().int().optional(),
    shipViaUps: z.boolean().nullable().optional(),
    carrier: z
      .enum(Object.keys(CARRIERS) as [keyof typeof CARRIERS, ...(keyof typeof CARRIERS)[]])
      .nullable()
      .optional(),
    carrierOn: z.enum(['header', 'schedule']).optional(),
    lines: z
      .array(z.object({ item: z.string(), quantity: z.number().positive() }).strict())
      .min(1)
      .optional(),
    description: z.string().optional(),
    createdSecondsAgo: z.number().min(0).optional(),
    revision: z.number().int().min(0).optional(),
  })
  .strict();

export interface ScenarioDeps {
  state: FusionState;
  faults: FaultInjector;
  seed: { seed: number; poCount: number };
  credentials: Record<string, unknown>;
  relay: TokenRelay;
}

/** The internal view of a PO for tests: everything, including what the REST API hides. */
export function rawPurchaseOrder(po: PurchaseOrder): Record<string, unknown> {
  return {
    header: po.header,
    dff: po.dff,
    lines: po.lines.map((l) => ({
      ...l.row,
      dff: l.dff,
      schedules: l.schedules.map((s) => ({
        ...s.row,
        uniqId: s.uniqId,
        distributions: s.distributions.map((d) => ({ ...d.row, uniqId: d.uniqId })),
      })),
    })),
    attachments: po.attachments.map((a) => ({ ...a.row, uniqId: a.uniqId })),
    changeOrder: po.changeOrder,
    approveAt: po.approveAtMs === null ? null : new Date(po.approveAtMs).toISOString(),
    version: po.version,
  };
}

export function scenarioRoutes(deps: ScenarioDeps): Router {
  const { state, faults } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));
  router.use((_req, _res, next) => {
    processDueApprovals(state);
    next();
  });
  const rng = createRng(deps.seed.seed ^ 0x5eed);
  const po = (req: Request): PurchaseOrder => {
    const found =
      state.purchaseOrders.get(Number(req.params.id)) ?? state.findPoByNumber(String(req.params.id));
    if (!found) throw Object.assign(new Error(`no purchase order ${String(req.params.id)}`), { status: 404 });
    return found;
  };

  router.get('/', (_req, res) => {
    res.json({
      clock: state.nowIso(),
      purchaseOrders: state.purchaseOrders.size,
      byStatus: countBy([...state.purchaseOrders.values()].map((p) => String(p.header.StatusCode))),
      seed: deps.seed,
      credentials: deps.credentials,
      dff: state.dff,
      costCenterSegment: { index: 1, delimiter: '-' },
    });
  });

  router.post('/reset', (req, res) => {
    const body = z
      .object({ seed: z.number().int().optional(), poCount: z.number().int().min(0).max(20000).optional() })
      .strict()
      .parse(req.body ?? {});
    deps.seed.seed = body.seed ?? deps.seed.seed;
    deps.seed.poCount = body.poCount ?? deps.seed.poCount;
    seedFusion(state, deps.seed);
    faults.clear();
    state.requestLog = [];
    res.json({ seed: deps.seed, purchaseOrders: state.purchaseOrders.size });
  });

  router.get('/clock', (_req, res) => res.json({ now: state.nowIso() }));
  router.post('/clock/advance', (req, res) => {
    const body = z
      .object({ seconds: z.number().min(0).optional(), ms: z.number().min(0).optional() })
      .strict()
      .parse(req.body ?? {});
    state.clock.advance((body.seconds ?? 0) * 1000 + (body.ms ?? 0));
    processDueApprovals(state);
    res.json({ now: state.nowIso() });
  });
  router.post('/clock/freeze', (req, res) => {
    const body = z
      .object({ at: z.string().datetime({ offset: true }).optional() })
      .strict()
      .parse(req.body ?? {});
    state.clock.freeze(body.at ? new Date(body.at) : undefined);
    res.json({ now: state.nowIso() });
  });
  router.post('/clock/unfreeze', (_req, res) => {
    state.clock.unfreeze();
    res.json({ now: state.nowIso() });
  });

  router.post('/purchase-orders', (req, res) => {
    const spec = poSpecSchema.parse(req.body ?? {});
    res.status(201).json(rawPurchaseOrder(createPurchaseOrder(state, rng, spec)));
  });
  /** One summary row per PO: what a connector's selection and address steps should make of it. */
  router.get('/purchase-orders', (_req, res) => {
    const verdicts = new Map(allCatalogAddresses().map((a) => [`${a.line1}|${a.city}`, a.expect]));
    const verdictOf = (line1: unknown, city: unknown) =>
      verdicts.get(`${String(line1)}|${String(city)}`) ?? 'unknown';
    res.json(
      [...state.purchaseOrders.values()].map((p) => {
        const shipTo = state.findLocation(Number(p.header.ShipToLocationId))?.row;
        const site = state.findSupplierSite(Number(p.header.SupplierSiteId));
        const address = site?.supplier.addresses.find(
          (a) => a.SupplierAddressId === site.site.SupplierAddressId,
        );
        const id = p.header.POHeaderId as number;
        return {
          POHeaderId: id,
          OrderNumber: p.header.OrderNumber,
          StatusCode: p.header.StatusCode,
          Revision: p.header.Revision,
          FrozenFlag: p.header.FrozenFlag,
          ProcurementBU: p.header.ProcurementBU,
          shipViaUps: p.dff[state.dff.shipViaUpsSegment] ?? null,
          headerCarrier: p.header.Carrier,
          scheduleCarriers: [
            ...new Set(p.lines.flatMap((l) => l.schedules.map((s) => s.row.Carrier)).filter((c) => c)),
          ],
          shipToLocationCodes: [
            ...new Set(p.lines.flatMap((l) => l.schedules.map((s) => s.row.ShipToLocationCode))),
          ],
          shipToVerdict: shipTo ? verdictOf(shipTo.AddressLine1, shipTo.TownOrCity) : 'unknown',
          supplierSiteVerdict: address ? verdictOf(address.AddressLine1, address.City) : 'unknown',
          trackingNumber: p.dff[state.dff.trackingSegment] ?? null,
          shipmentStatus: p.dff[state.dff.statusSegment] ?? null,
          attachmentTitles: p.attachments.map((a) => String(a.row.Title ?? '')),
          lifecycleShipments: state.lifecycleShipments.filter((s) => s.row.POHeaderId === id).length,
          pendingChangeOrder: p.changeOrder?.status ?? null,
          approveAt: p.approveAtMs === null ? null : new Date(p.approveAtMs).toISOString(),
        };
      }),
    );
  });
  router.get('/purchase-orders/:id', (req, res) => res.json(rawPurchaseOrder(po(req))));

  /** A buyer changes the PO in the Fusion UI: header attributes and/or DFF; revision and LastUpdateDate move. */
  router.patch('/purchase-orders/:id', (req, res) => {
    const body = z
      .object({
        header: z.record(z.string(), scalar).optional(),
        dff: z.record(z.string(), scalar).optional(),
        bumpRevision: z.boolean().default(true),
      })
      .strict()
      .parse(req.body ?? {});
    const p = po(req);
    if (body.header) applyHeaderChanges(state, p, body.header);
    if (body.dff) Object.assign(p.dff, body.dff);
    if (body.bumpRevision) p.header.Revision = Number(p.header.Revision ?? 0) + 1;
    touch(p, state.nowIso(), 'FUSION_UI_BUYER');
    res.json(rawPurchaseOrder(p));
  });

  router.post('/purchase-orders/:id/:op', (req, res) => {
    const p = po(req);
    const now = state.nowIso();
    const op = String(req.params.op);
    const statusOps: Record<string, string> = {
      close: 'CLOSED',
      'finally-close': 'FINALLY CLOSED',
      cancel: 'CANCELED',
      hold: 'ON HOLD',
      reject: 'REJECTED',
      reopen: 'OPEN',
    };
    if (op === 'approve') approvePurchaseOrder(state, p, state.clock.nowMs());
    else if (op === 'freeze' || op === 'unfreeze') {
      p.header.FrozenFlag = op === 'freeze';
      touch(p, now, 'FUSION_UI_BUYER');
    } else if (statusOps[op]) setPoStatus(p, statusOps[op], now, 'FUSION_UI_BUYER');
    else if (op === 'change-order') {
      const body = z
        .object({
          user: z.string().default('OTHER.BUYER'),
          description: z.string().default('Buyer change'),
          submit: z.boolean().default(false),
        })
        .strict()
        .parse(req.body ?? {});
      const co = changeOrderFor(
        state,
        p,
        { username: body.user, password: '', dataAccess: 'all' },
        body.description,
      );
      if (co && body.submit) {
        co.status = 'PENDING APPROVAL';
        co.submittedAt = now;
      }
    } else if (op === 'approve-change-order') {
      if (!p.changeOrder) throw Object.assign(new Error('no pending change order'), { status: 409 });
      applyChangeOrder(state, p, p.changeOrder, state.clock.nowMs());
    } else if (op === 'reject-change-order') {
      if (!p.changeOrder) throw Object.assign(new Error('no pending change order'), { status: 409 });
      p.changeOrder.status = 'CANCELED';
      p.changeOrder = null;
    } else throw Object.assign(new Error(`unknown operation ${op}`), { status: 404 });
    res.json(rawPurchaseOrder(p));
  });

  /** Someone corrects a location's address in Fusion; POs pointing at it show the new formatted string. */
  router.patch('/locations/:code', (req, res) => {
    const body = z.record(z.string(), scalar).parse(req.body ?? {});
    const loc = state.findLocation(
      /^\d+$/.test(String(req.params.code)) ? Number(req.params.code) : String(req.params.code),
    );
    if (!loc) throw Object.assign(new Error(`no location ${String(req.params.code)}`), { status: 404 });
    Object.assign(loc.row, body, { LastUpdateDate: state.nowIso() });
    for (const p of state.purchaseOrders.values()) {
      if (p.header.ShipToLocationId === loc.row.LocationId)
        p.header.ShipToLocationAddress = formatLocationAddress(loc.row);
    }
    res.json(loc.row);
  });
  router.patch('/supplier-addresses/:id', (req, res) => {
    const body = z.record(z.string(), scalar).parse(req.body ?? {});
    for (const s of state.suppliers.values()) {
      const a = s.addresses.find((x) => x.SupplierAddressId === Number(req.params.id));
      if (a) return void res.json(Object.assign(a, body, { LastUpdateDate: state.nowIso() }));
    }
    throw Object.assign(new Error(`no supplier address ${String(req.params.id)}`), { status: 404 });
  });
  router.get('/addresses', (_req, res) => res.json(allCatalogAddresses()));

  router.get('/faults', (_req, res) => res.json(faults.rules));
  router.post('/faults', (req, res) => res.status(201).json(faults.add(req.body)));
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.post('/tokens/revoke', (req, res) => {
    const body = z
      .object({ username: z.string().optional() })
      .strict()
      .parse(req.body ?? {});
    let revoked = 0;
    for (const t of state.tokens.values()) {
      if (!t.revoked && (!body.username || t.username === body.username)) {
        t.revoked = true;
        revoked++;
      }
    }
    res.json({ revoked });
  });
  router.post('/settings', (req, res) => {
    const body = z
      .object({ changeOrderApprovalSeconds: z.number().min(0).nullable() })
      .strict()
      .parse(req.body ?? {});
    state.changeOrderApprovalSeconds = body.changeOrderApprovalSeconds;
    res.json(body);
  });
  router.post('/users', (req, res) => {
    const body = z
      .object({
        username: z.string().min(1),
        password: z.string().min(1),
        dataAccess: z.union([z.literal('all'), z.array(z.number().int())]),
      })
      .strict()
      .parse(req.body);
    state.users.set(body.username, body);
    res.status(201).json({ username: body.username, dataAccess: body.dataAccess });
  });
  router.post('/oauth/trusted-keys', (req, res) => {
    const body = z
      .object({ clientId: z.string(), publicKeyPem: z.string().includes('PUBLIC KEY') })
      .strict()
      .parse(req.body);
    const client = state.clients.get(body.clientId);
    if (!client) throw Object.assign(new Error(`no OAuth client ${body.clientId}`), { status: 404 });
    client.trustedPublicKeys.push(body.publicKeyPem);
    res.status(201).json({ clientId: client.clientId, trustedKeys: client.trustedPublicKeys.length });
  });

  router.get('/write-backs', (req, res) => {
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    const poId = typeof req.query.poHeaderId === 'string' ? Number(req.query.poHeaderId) : undefined;
    res.json(
      state.writeBacks.filter(
        (w) => (!kind || w.kind === kind) && (poId === undefined || w.poHeaderId === poId),
      ),
    );
  });
  router.get('/jwks', (_req, res) => res.json(deps.relay.jwks()));
  router.get('/change-orders', (_req, res) => res.json(state.changeOrders));
  router.get('/requests', (_req, res) => res.json(state.requestLog));
  router.delete('/requests', (_req, res) => {
    state.requestLog = [];
    res.status(204).end();
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof z.ZodError)
      return void res.status(400).json({ error: 'invalid scenario request', issues: err.issues });
    const e = err as { status?: number; message?: string };
    res.status(e.status ?? 500).json({ error: e.message ?? String(err) });
  });
  return router;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
