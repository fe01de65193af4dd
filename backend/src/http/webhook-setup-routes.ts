/**
 * What the operator enters at UPS for the Track Alert webhook (mount at /api/tenants, behind the operator
 * API's authentication). GET /:tenantId/tracking/webhook: version, webhook URL and, for v2, the token URL
 * and client id (never the secret). POST /:tenantId/tracking/webhook/v2-client: a new v2 OAuth client whose
 * secret is shown in this answer only (stored sealed); the previous client works 24 h more, time to update
 * the UPS developer portal.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TrackingDeps } from '../tracking/tracking-deps.js';
import { credentialsOf } from '../tracking/webhook-credentials.js';
import { webhookSetup } from '../tracking/webhook-setup.js';
import { conflict, notFound, sendError } from './operator-errors.js';

const handle =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch((error: unknown) => {
      if (!sendError(res, error)) next(error);
    });
  };

export function webhookSetupRoutes(deps: TrackingDeps): Router {
  const router = express.Router();
  const setupOf = async (tenantId: string) => {
    if (!(await deps.storage.repos.tenants.get(tenantId))) throw notFound(`tenant ${tenantId}`);
    return webhookSetup(deps, tenantId);
  };
  router.get(
    '/:tenantId/tracking/webhook',
    handle(async (req, res) => {
      res.set('Cache-Control', 'no-store').json(await setupOf(String(req.params.tenantId)));
    }),
  );
  router.post(
    '/:tenantId/tracking/webhook/v2-client',
    handle(async (req, res) => {
      const tenantId = String(req.params.tenantId);
      const setup = await setupOf(tenantId);
      if (setup.version !== 'v2')
        throw conflict(`tenant ${tenantId} uses Track Alert ${setup.version}; a v2 client is for v2 only`);
      const client = await credentialsOf(deps).rotateV2Client(tenantId);
      await deps.audit.record({
        tenantId,
        step: 'tracking-webhook-client',
        outcome: 'ok',
        message: `new Track Alert v2 client ${client.clientId}; the previous one works until ${client.previousValidUntil.toISOString()}`,
      });
      res.set('Cache-Control', 'no-store').json({
        ...setup,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        previousClientValidUntil: client.previousValidUntil.toISOString(),
      });
    }),
  );
  return router;
}
