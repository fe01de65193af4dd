import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logging/index.js';
import { healthRoutes, type ReadinessSource } from './health-routes.js';
import { requestContext } from './request-context.js';

export interface AppOptions {
  logger: Logger;
  readiness: ReadinessSource;
  isShuttingDown: () => boolean;
  /** Limit for JSON bodies (webhooks, admin API); larger bodies get 413 before any handler runs. */
  bodyLimit?: string;
  /**
   * Routers that read their own bodies, mounted before the JSON parser: the UPS webhook authenticates a
   * caller before it parses a byte, and applies its own size limit.
   */
  rawBodyRouters?: Array<{ path: string; router: Router }>;
  /** Routers mounted after the probes and the JSON parser: operator API, timeline. */
  routers?: Array<{ path: string; router: Router }>;
}

/** The Express app. Thin: routing, probes and error mapping; business rules live in pipeline/ and tracking/. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requestContext(options.logger));
  app.use(healthRoutes(options.readiness, options.isShuttingDown));
  for (const { path, router } of options.rawBodyRouters ?? []) app.use(path, router);
  app.use(express.json({ limit: options.bodyLimit ?? '256kb' }));
  for (const { path, router } of options.routers ?? []) app.use(path, router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 500) options.logger.error('request failed', { error: e.message });
    // Body-parser errors carry a type; answer with it so a caller knows what was wrong with its request.
    const error =
      status === 413 ? 'body_too_large' : status === 400 && e.type ? 'invalid_body' : 'internal_error';
    res.status(status).json({ error, message: status < 500 ? e.message : undefined });
  };
  app.use(onError);
  return app;
}
