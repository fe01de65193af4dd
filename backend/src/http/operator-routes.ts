/**
 * The operator API, mounted at /api. Every route under /api/tenants/:tenantId needs that tenant's bearer
 * token (operator-auth.ts); other routers for tenant data are passed in `tenantRouters` to share the guard.
 *
 *   GET  /tenants/:tenantId/pos?state=&limit=&offset=                    POs with state, step and reason
 *   GET  /tenants/:tenantId/pos/:poHeaderId                              one PO's full history
 *   POST /tenants/:tenantId/pos/:poHeaderId/retry                        admin retry (due now), processed at once
 *   POST /tenants/:tenantId/pos/:poHeaderId/dry-run                      what would ship, from where, billed to whom, at what rate; no label
 *   POST /tenants/:tenantId/shipments/:shipmentId/void  {reason}         voids a live label at UPS
 *   GET  /tenants/:tenantId/shipments/:shipmentId/labels/:trackingNumber?format=GIF|ZPL   label reprint
 *
 * Thin: the rules live in pipeline/ (retryPo, dryRun, voidShipment) and storage/.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { UpsPort } from '../pipeline/ports.js';
import type { Pipeline } from '../pipeline/runner.js';
import { NotVoidable } from '../pipeline/void-shipment.js';
import type { Storage } from '../storage/index.js';
import { operatorAuth, storedTokenDigests, type OperatorAuthDeps } from './operator-auth.js';
import { conflict, notFound, OperatorError, parseInput, sendError } from './operator-errors.js';
import { poHistory, poSummary } from './operator-history.js';
import { reprintLabel } from './operator-labels.js';

export interface OperatorRoutesDeps {
  storage: Storage;
  pipeline: Pipeline;
  /** The tenant's UPS port, for label recovery when a label was never stored (connector.runtimeFor fits). */
  runtimeFor?: (tenantId: string) => Promise<{ ups: Pick<UpsPort, 'recoverLabel'> }>;
  /** Where token digests come from; defaults to the tenant rows (settings.apiTokenSha256). */
  auth?: OperatorAuthDeps;
  /**
   * More routers written against /tenants (paths "/:tenantId/..."), e.g. the tracking timeline: mounted
   * here behind the same guard, so their protection does not depend on the order of mounting.
   */
  tenantRouters?: Router[];
}

const id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, `${what}: 1–64 letters, digits, ".", "_", ":" or "-"`);
const tenantParams = z.object({ tenantId: id('a tenant id') });
const poParams = tenantParams.extend({ poHeaderId: id('a POHeaderId') });
const shipmentParams = tenantParams.extend({ shipmentId: id('a shipment id') });
const labelParams = shipmentParams.extend({
  trackingNumber: z.string().regex(/^[A-Za-z0-9]{6,35}$/, 'a tracking number of 6–35 letters and digits'),
});
const PO_STATES = ['pending', 'retry_wait', 'ignored', 'flagged', 'done', 'superseded'] as const;
const listQuery = z.strictObject({
  state: z.enum(PO_STATES, { error: `one of ${PO_STATES.join(', ')}` }).optional(),
  limit: z.coerce.number({ error: 'a number' }).int('a whole number').min(1).max(500).default(50),
  offset: z.coerce.number({ error: 'a number' }).int('a whole number').min(0).default(0),
});
const historyQuery = z.strictObject({
  auditLimit: z.coerce.number({ error: 'a number' }).int('a whole number').min(1).max(5000).default(500),
});
const voidBody = z.strictObject({
  reason: z
    .string({ error: 'a text saying why the label is voided' })
    .trim()
    .min(1, 'must not be empty')
    .max(200),
});
const labelQuery = z.strictObject({
  format: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['GIF', 'ZPL', 'EPL', 'SPL', 'PNG', 'PDF'], { error: 'GIF, ZPL, EPL, SPL, PNG or PDF' }))
    .optional(),
});

type Handler = (req: Request, res: Response) => Promise<void>;
const handle =
  (fn: Handler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch((error: unknown) => {
      if (!sendError(res, error)) next(error);
    });
  };

export function operatorRoutes(deps: OperatorRoutesDeps): Router {
  const { storage, pipeline } = deps;
  const router = express.Router();
  router.use('/tenants/:tenantId', operatorAuth(deps.auth ?? storedTokenDigests(storage)));

  router.get(
    '/tenants/:tenantId/pos',
    handle(async (req, res) => {
      const { tenantId } = parseInput(tenantParams, req.params, 'path');
      const q = parseInput(listQuery, req.query, 'query');
      const rows = await storage.repos.purchaseOrders.list(tenantId, {
        ...(q.state ? { state: q.state } : {}),
        limit: q.limit + 1,
        offset: q.offset,
      });
      const items = rows.slice(0, q.limit).map(poSummary);
      res.json({
        items,
        limit: q.limit,
        offset: q.offset,
        nextOffset: rows.length > q.limit ? q.offset + q.limit : null,
      });
    }),
  );

  router.get(
    '/tenants/:tenantId/pos/:poHeaderId',
    handle(async (req, res) => {
      const { tenantId, poHeaderId } = parseInput(poParams, req.params, 'path');
      const { auditLimit } = parseInput(historyQuery, req.query, 'query');
      const history = await poHistory(storage, tenantId, poHeaderId, auditLimit);
      if (!history) throw notFound(`PO ${poHeaderId}`);
      res.json(history);
    }),
  );

  router.post(
    '/tenants/:tenantId/pos/:poHeaderId/retry',
    handle(async (req, res) => {
      const { tenantId, poHeaderId } = parseInput(poParams, req.params, 'path');
      const before = await storage.repos.purchaseOrders.latest(tenantId, poHeaderId);
      if (!before) throw notFound(`PO ${poHeaderId}`);
      if (before.state === 'done')
        throw conflict(
          `PO ${poHeaderId} is done (shipped and written back); void its shipment first to ship it again`,
        );
      const outcome = await pipeline.retryPo(tenantId, poHeaderId);
      if (outcome === 'unknown') throw notFound(`PO ${poHeaderId}`);
      if (outcome === 'busy')
        throw conflict(`PO ${poHeaderId} is being processed right now; try again in a moment`);
      const after = await storage.repos.purchaseOrders.latest(tenantId, poHeaderId);
      res.json({ outcome, po: after ? poSummary(after) : null });
    }),
  );

  router.post(
    '/tenants/:tenantId/pos/:poHeaderId/dry-run',
    handle(async (req, res) => {
      const { tenantId, poHeaderId } = parseInput(poParams, req.params, 'path');
      res.json(await pipeline.dryRun(tenantId, poHeaderId));
    }),
  );

  router.post(
    '/tenants/:tenantId/shipments/:shipmentId/void',
    handle(async (req, res) => {
      const { tenantId, shipmentId } = parseInput(shipmentParams, req.params, 'path');
      const { reason } = parseInput(voidBody, req.body ?? {}, 'body');
      if (!(await storage.repos.shipments.get(tenantId, shipmentId)))
        throw notFound(`shipment ${shipmentId}`);
      let outcome;
      try {
        outcome = await pipeline.voidShipment(tenantId, shipmentId, reason);
      } catch (error) {
        if (error instanceof NotVoidable) throw conflict(error.message);
        throw error;
      }
      const shipment = await storage.repos.shipments.get(tenantId, shipmentId);
      if (outcome === 'void_failed') {
        throw new OperatorError(
          502,
          'ups_error',
          `UPS did not void shipment ${shipmentId}: ${shipment?.lastError ?? 'no reason given'}`,
        );
      }
      res.json({ outcome, shipment });
    }),
  );

  router.get(
    '/tenants/:tenantId/shipments/:shipmentId/labels/:trackingNumber',
    handle(async (req, res) => {
      const { tenantId, shipmentId, trackingNumber } = parseInput(labelParams, req.params, 'path');
      const { format } = parseInput(labelQuery, req.query, 'query');
      const runtimeFor = deps.runtimeFor;
      const ups = runtimeFor ? async () => (await runtimeFor(tenantId)).ups : undefined;
      const file = await reprintLabel(storage, ups, tenantId, shipmentId, trackingNumber, format);
      res.set('Content-Type', file.contentType);
      res.set('Content-Disposition', `attachment; filename="${file.filename}"`);
      res.set('X-Label-Source', file.source);
      res.set('Cache-Control', 'no-store');
      res.send(file.bytes);
    }),
  );

  for (const extra of deps.tenantRouters ?? []) router.use('/tenants', extra);
  return router;
}
