/**
 * `npm start`: the connector as a service — the HTTP server (probes, operator API, webhooks) and one
 * poll schedule per tenant, over the parts `openConnector` opens. SIGTERM stops it gracefully.
 */
import type { Server } from 'node:http';
import type { Router } from 'express';
import type { LoadedConfig } from '../config/index.js';
import { createApp } from '../http/app.js';
import { operatorRoutes } from '../http/operator-routes.js';
import { withCorrelation } from '../logging/index.js';
import { schedulePipeline } from '../pipeline/schedule.js';
import { openConnector, type Connector, type OpenConnectorOptions } from './connector.js';
import { cronForInterval } from './poll-cron.js';
import { trackingDepsFor, trackingRouters } from './tracking-wiring.js';
import { createTrackingJobs, scheduleTracking } from '../tracking/tracking-jobs.js';
import { prepareWebhook } from '../tracking/webhook-setup.js';

export interface RunningService {
  connector: Connector;
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  stop(reason?: string): Promise<void>;
}

export interface StartServiceOptions extends OpenConnectorOptions {
  /** Extra routers (webhooks, operator API, timeline), mounted after the probes. */
  routers?: (connector: Connector) => Array<{ path: string; router: Router }>;
  /** Off in tests that drive cycles themselves. */
  schedule?: boolean;
}

export async function startService(
  loaded: LoadedConfig,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const connector = await openConnector(loaded, options);
  const { config, logger, lifecycle, storage, pipeline } = connector;
  try {
    let baseUrl = '';
    // UPS must reach the webhook: server.publicUrl in production; in sandbox mode our own loopback address.
    const webhookBase = () => config.server.publicUrl ?? (connector.sandboxes ? baseUrl : undefined);
    const trackingDeps = trackingDepsFor(connector, webhookBase);
    const tracking = trackingRouters(trackingDeps, config.server.publicUrl);
    const app = createApp({
      logger,
      readiness: storage,
      isShuttingDown: () => lifecycle.isShuttingDown,
      bodyLimit: config.server.bodyLimit,
      rawBodyRouters: tracking.raw,
      routers: [
        {
          path: '/api',
          router: operatorRoutes({
            storage,
            pipeline,
            runtimeFor: (id) => connector.runtimeFor(id),
            tenantRouters: tracking.operator,
          }),
        },
        ...tracking.public,
        ...(options.routers?.(connector) ?? []),
      ],
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.server.port, config.server.host, (err?: Error) =>
        err ? reject(err) : resolve(s),
      );
    });
    lifecycle.add({
      name: 'http',
      kind: 'intake',
      stop: () =>
        new Promise<void>((resolve) => {
          // Stop accepting, let in-flight requests finish (webhooks answer after their durable write), but
          // not for longer than the grace period: a slow client must not hold the shutdown open.
          const deadline = setTimeout(() => {
            logger.warn('HTTP requests still open at the end of the grace period; closing them');
            server.closeAllConnections();
          }, config.server.shutdownGraceSeconds * 1000);
          server.close(() => {
            clearTimeout(deadline);
            resolve();
          });
          server.closeIdleConnections();
        }),
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
    baseUrl = `http://${host}:${port}`;
    // UPS's first v2 push needs our OAuth client to exist already (GET /api/tenants/:id/tracking/webhook).
    for (const tenantId of connector.tenantIds)
      await prepareWebhook(trackingDeps, tenantId).catch((error: unknown) =>
        logger.error('Track Alert webhook credentials not prepared', {
          tenantId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );

    if (options.schedule !== false) {
      const tenants = await Promise.all(
        connector.tenantIds.map(async (tenantId) => {
          const { config: tenant } = await connector.runtimeFor(tenantId);
          const seconds = tenant.pollIntervalSeconds ?? config.scheduler.pollIntervalSeconds;
          const { cron, effectiveSeconds } = cronForInterval(seconds);
          if (effectiveSeconds !== seconds)
            logger.warn('poll interval rounded to one cron can express', {
              tenantId,
              seconds,
              effectiveSeconds,
            });
          return { tenantId, cron };
        }),
      );
      const schedule = schedulePipeline(
        {
          runCycle: (tenantId) =>
            lifecycle.track(() => withCorrelation(undefined, () => pipeline.runCycle(tenantId))),
        },
        tenants,
        {
          onCycle: (tenantId, result) => {
            const processed = Object.keys(result.processed).length;
            if (processed > 0 || (result.poll?.seen ?? 0) > 0)
              logger.info('cycle done', { tenantId, processed, outcomes: result.processed });
          },
          onError: (tenantId, error) =>
            logger.error('cycle failed', {
              tenantId,
              error: error instanceof Error ? error.message : String(error),
            }),
        },
      );
      lifecycle.add({ name: 'pipeline-schedule', kind: 'intake', stop: () => schedule.stop() });
      const trackingSchedule = scheduleTracking(createTrackingJobs(trackingDeps), {
        tenants: connector.tenantIds,
        renewalCron: config.scheduler.renewalCron,
        quantumViewIntervalSeconds: config.scheduler.quantumViewIntervalSeconds,
        onError: (job, tenantId, error) =>
          logger.error('tracking job failed', {
            job,
            tenantId,
            error: error instanceof Error ? error.message : String(error),
          }),
      });
      lifecycle.add({ name: 'tracking-schedule', kind: 'intake', stop: () => trackingSchedule.stop() });
      // First cycle right away: an operator who just started the service should not wait a minute to see it work.
      for (const { tenantId } of tenants) void schedule.runNow(tenantId);
    }

    logger.info('connector started', {
      url: baseUrl,
      engine: storage.engine,
      database: storage.target,
      tenants: connector.tenantIds,
      ...(connector.sandboxes
        ? { sandboxes: { fusion: connector.sandboxes.fusion.baseUrl, ups: connector.sandboxes.ups.baseUrl } }
        : {}),
    });
    return { connector, baseUrl, stop: (reason = 'stop') => lifecycle.shutdown(reason) };
  } catch (err) {
    await lifecycle.shutdown('start failed');
    throw err;
  }
}
