/**
 * Tracking read API. `timelineRoutes` (mount at /api/tenants, behind the operator API's authentication):
 * GET /:tenantId/pos/:poHeaderId/timeline, POST /:tenantId/shipments/:shipmentId/link (a signed, expiring,
 * read-only link), GET /:tenantId/tracking/alerts. `trackingLinkRoutes` (mount at /t, public): GET /t?token=…
 * (or /t/:token) shows one shipment's timeline without internal ids; a forged, altered or expired token → 401.
 * The query form keeps the token out of request logs, which print the path.
 */
import express, { type Request, type Response, type Router } from 'express';
import { listTrackingAlerts } from '../tracking/tracking-alerts.js';
import type { TrackingDeps } from '../tracking/tracking-deps.js';
import {
  DEFAULT_LINK_TTL_SECONDS,
  InvalidLinkError,
  openShipmentLink,
  poTimeline,
  signShipmentLink,
} from '../tracking/timeline.js';

export function timelineRoutes(deps: TrackingDeps, options: { publicUrl?: string } = {}): Router {
  const router = express.Router();
  router.get('/:tenantId/pos/:poHeaderId/timeline', async (req: Request, res: Response) => {
    const shipments = await poTimeline(deps, String(req.params.tenantId), String(req.params.poHeaderId));
    res.json({ poHeaderId: String(req.params.poHeaderId), shipments });
  });
  router.post('/:tenantId/shipments/:shipmentId/link', async (req: Request, res: Response) => {
    const tenantId = String(req.params.tenantId);
    const shipmentId = String(req.params.shipmentId);
    if (!(await deps.storage.repos.shipments.get(tenantId, shipmentId))) {
      res.status(404).json({ error: 'not_found', message: `shipment ${shipmentId} not found` });
      return;
    }
    const raw = Number(
      (req.body as { ttlSeconds?: unknown } | undefined)?.ttlSeconds ?? DEFAULT_LINK_TTL_SECONDS,
    );
    if (!Number.isInteger(raw) || raw < 60 || raw > 366 * 24 * 3600) {
      res
        .status(400)
        .json({ error: 'invalid_ttl', message: 'ttlSeconds must be an integer from 60 to 31622400' });
      return;
    }
    const { token, expiresAt } = await signShipmentLink(deps, tenantId, shipmentId, raw);
    const path = `/t?token=${encodeURIComponent(token)}`;
    res.json({
      token,
      expiresAt: expiresAt.toISOString(),
      url: options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}${path}` : path,
    });
  });
  router.get('/:tenantId/tracking/alerts', async (req: Request, res: Response) => {
    res.json(await listTrackingAlerts(deps.storage, String(req.params.tenantId)));
  });
  return router;
}

export function trackingLinkRoutes(deps: TrackingDeps): Router {
  const router = express.Router();
  const show = async (token: string, res: Response) => {
    res.set('Cache-Control', 'no-store');
    try {
      const t = await openShipmentLink(deps, token);
      res.json({
        trackingNumber: t.trackingNumber,
        status: t.status,
        expectedDelivery: t.expectedDelivery,
        deliveredAt: t.deliveredAt,
        events: t.events.map(({ at, status, description, location }) => ({
          at,
          status,
          description,
          location,
        })),
      });
    } catch (e) {
      if (e instanceof InvalidLinkError) res.status(401).json({ error: 'invalid_link' });
      else throw e;
    }
  };
  router.get('/', (req: Request, res: Response) =>
    show(typeof req.query.token === 'string' ? req.query.token : '', res),
  );
  router.get('/:token', (req: Request, res: Response) => show(String(req.params.token), res));
  return router;
}
