/**
 * The Track Alert webhook, per tenant (mount at /webhooks/ups → POST /webhooks/ups/:tenantId).
 * Order matters: authenticate (v1 `credential` header, or a Bearer token we issued + `x-api-key`, compared in
 * constant time) before the body is even parsed; then a body size limit; then the event parser, lenient with
 * UPS's "" values and padded numbers but answering 400 to what is not a tracking event; 200 only after the
 * event is durably stored. Bad calls store nothing. Thin: the rules live in tracking/.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ingestEvent } from '../tracking/ingest-event.js';
import type { TrackingDeps } from '../tracking/tracking-deps.js';
import { credentialsOf } from '../tracking/webhook-credentials.js';
import { flushStatusWriteBacks } from '../tracking/write-tracking-status.js';
import { parseTrackAlertEvent } from '../ups/track-alert-event.js';

export interface WebhookRouteOptions {
  /** Default 64 KiB: a tracking event is about 1 KB; an enhanced one with a delivery photo more. */
  bodyLimitBytes?: number;
  /** Called after a stored event changed a shipment's status (default: flush the tenant's write-backs). */
  onStatusChange?: (tenantId: string) => void;
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function bearerOf(req: Request): string | undefined {
  const h = req.get('authorization');
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export function webhookRoutes(deps: TrackingDeps, options: WebhookRouteOptions = {}): Router {
  const router = express.Router();
  const credentials = credentialsOf(deps);
  const onStatusChange =
    options.onStatusChange ??
    ((tenantId: string) => {
      // After the answer, but under the service's lifecycle: SIGTERM waits for it instead of closing the
      // pools under it (a flush refused during shutdown runs with the next write-back job).
      const flush = () => flushStatusWriteBacks(deps, tenantId);
      void (deps.track ? deps.track(flush) : flush()).catch(() => undefined);
    });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const tenantId = String(req.params.tenantId);
    try {
      const ok =
        TENANT_ID.test(tenantId) &&
        (req.get('credential') !== undefined
          ? await credentials.checkV1(tenantId, req.get('credential'))
          : await credentials.checkV2Bearer(tenantId, bearerOf(req), req.get('x-api-key')));
      if (!ok) {
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
    } catch {
      res.status(503).json({ error: 'unavailable' });
      return;
    }
    next();
  };

  const limit = options.bodyLimitBytes ?? 64 * 1024;
  // The app may have parsed the body already under its own, larger limit: hold webhooks to theirs.
  const sizeLimit = (req: Request, res: Response, next: NextFunction) => {
    if (Number(req.get('content-length') ?? 0) > limit) {
      res.status(413).json({ error: 'body_too_large' });
      return;
    }
    next();
  };

  router.post(
    '/:tenantId',
    authenticate,
    sizeLimit,
    // Any content type: UPS's is application/json, but a missing one must not turn an event into {}.
    express.json({ limit, type: () => true }),
    async (req: Request, res: Response) => {
      const tenantId = String(req.params.tenantId);
      const parsed = parseTrackAlertEvent(req.body);
      if (!parsed.ok) {
        res.status(400).json({ error: 'not_a_tracking_event', message: parsed.error });
        return;
      }
      try {
        const result = await ingestEvent(deps, tenantId, parsed.event);
        res.status(200).json({ received: true, duplicate: result.duplicate });
        if (result.statusChanged) onStatusChange(tenantId);
      } catch {
        // Not stored: say so, so nothing pretends it was. Reconciliation fetches it later.
        res.status(503).json({ error: 'not_stored' });
      }
    },
  );

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { status?: number; type?: string };
    if (res.headersSent) return next(err);
    if (e.status === 413) res.status(413).json({ error: 'body_too_large' });
    else if (e.status === 400 || e.type === 'entity.parse.failed')
      res.status(400).json({ error: 'not_a_tracking_event', message: 'body is not JSON' });
    else next(err);
  });
  return router;
}
