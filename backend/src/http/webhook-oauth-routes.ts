/**
 * The OAuth 2.0 client-credentials token endpoint UPS calls before a Track Alert v2 webhook (mount at
 * /oauth/ups → POST /oauth/ups/:tenantId/token). Client authentication by client_secret_basic (what UPS
 * uses) or client_secret_post; the client is the one we generated for the tenant (see
 * tracking/webhook-credentials.ts). Answers as RFC 6749 §5: no-store, invalid_client with 401.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { TrackingDeps } from '../tracking/tracking-deps.js';
import { ACCESS_TOKEN_TTL_SECONDS, credentialsOf } from '../tracking/webhook-credentials.js';

function clientOf(req: Request): { id: string; secret: string } | undefined {
  const h = req.get('authorization');
  const m = h ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h) : null;
  if (m?.[1]) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return undefined;
    try {
      return {
        id: decodeURIComponent(decoded.slice(0, i)),
        secret: decodeURIComponent(decoded.slice(i + 1)),
      };
    } catch {
      return undefined;
    }
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  return typeof body.client_id === 'string' && typeof body.client_secret === 'string'
    ? { id: body.client_id, secret: body.client_secret }
    : undefined;
}

export function webhookOAuthRoutes(deps: TrackingDeps): Router {
  const router = express.Router();
  const credentials = credentialsOf(deps);
  router.post(
    '/:tenantId/token',
    express.urlencoded({ extended: false, limit: '8kb' }),
    async (req: Request, res: Response) => {
      res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
      const tenantId = String(req.params.tenantId);
      const client = clientOf(req);
      let ok = false;
      try {
        ok = !!client && (await credentials.checkV2Client(tenantId, client.id, client.secret));
      } catch {
        res.status(503).json({ error: 'temporarily_unavailable' });
        return;
      }
      if (!ok || !client) {
        res
          .set('WWW-Authenticate', 'Basic realm="ups-webhook"')
          .status(401)
          .json({ error: 'invalid_client' });
        return;
      }
      const grant = (req.body as Record<string, unknown> | undefined)?.grant_type;
      if (grant !== 'client_credentials') {
        res.status(400).json({ error: 'unsupported_grant_type' });
        return;
      }
      const token = await credentials.issueAccessToken(tenantId, client.id);
      res.json({ access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS });
    },
  );
  return router;
}
