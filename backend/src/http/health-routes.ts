import { Router } from 'express';

/** What the probes need to know of the database; the storage module provides both. */
export interface ReadinessSource {
  ping(): Promise<void>;
  pendingMigrations(): Promise<string[]>;
}

/**
 * `/health` answers as long as the process serves HTTP (liveness: restart me if this fails).
 * `/ready` also checks the database and the migrations (readiness: send me traffic only if this passes).
 */
export function healthRoutes(source: ReadinessSource, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await source.ping();
      checks.database = { ok: true };
      const pending = await source.pendingMigrations();
      checks.migrations =
        pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
    } catch (err) {
      checks.database = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    const ok = Object.values(checks).every((c) => c.ok) && Object.keys(checks).length === 2;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not-ready', checks });
  });
  return router;
}
