/**
 * The tracking side (UPS → Fusion) over the connector's parts: which UPS client, which settings and which
 * Fusion status writer each tenant gets, and the HTTP routes UPS and operators use.
 */
import type { Router } from 'express';
import { timelineRoutes, trackingLinkRoutes } from '../http/timeline-routes.js';
import { webhookOAuthRoutes } from '../http/webhook-oauth-routes.js';
import { webhookRoutes } from '../http/webhook-routes.js';
import { webhookSetupRoutes } from '../http/webhook-setup-routes.js';
import { fusionStatusWriter } from '../tracking/fusion-status-writer.js';
import type { TrackingDeps } from '../tracking/tracking-deps.js';
import { trackingSettingsFor } from '../tracking/tracking-settings.js';
import type { Connector } from './connector.js';

/**
 * `publicUrl()` is read lazily: in sandbox mode the webhook address is the service's own loopback address,
 * known only once it listens (the UPS sandbox can reach it; real UPS needs server.publicUrl).
 */
export function trackingDepsFor(connector: Connector, publicUrl: () => string | undefined): TrackingDeps {
  const settingsOf = async (tenantId: string) => {
    const runtime = await connector.runtimeFor(tenantId);
    const url = publicUrl();
    return {
      runtime,
      settings: trackingSettingsFor(
        runtime.config,
        { server: { ...connector.config.server, ...(url ? { publicUrl: url } : {}) } },
        { renewBeforeHours: connector.config.scheduler.renewBeforeHours },
      ),
    };
  };
  return {
    storage: connector.storage,
    vault: connector.vault,
    audit: connector.audit,
    track: (work) => connector.lifecycle.track(work),
    ups: async (tenantId) => (await connector.runtimeFor(tenantId)).upsClientFor(),
    settings: async (tenantId) => (await settingsOf(tenantId)).settings,
    statusWriter: async (tenantId) => {
      const { runtime, settings } = await settingsOf(tenantId);
      return settings.statusMechanism === 'none'
        ? null
        : fusionStatusWriter(runtime.fusionClient, settings.statusMechanism, settings.statusSegments, {
            asnExpectedDate: runtime.config.writeBack.mode === 'asn',
          });
    },
  };
}

export interface TrackingRouters {
  /** Mounted before the JSON parser. */
  raw: Array<{ path: string; router: Router }>;
  /** Behind the operator API's bearer guard, under /api/tenants. */
  operator: Router[];
  /** Public, read-only, signed. */
  public: Array<{ path: string; router: Router }>;
}

export function trackingRouters(deps: TrackingDeps, publicUrl: string | undefined): TrackingRouters {
  return {
    raw: [
      { path: '/webhooks/ups', router: webhookRoutes(deps) },
      { path: '/oauth/ups', router: webhookOAuthRoutes(deps) },
    ],
    operator: [timelineRoutes(deps, publicUrl ? { publicUrl } : {}), webhookSetupRoutes(deps)],
    public: [{ path: '/t', router: trackingLinkRoutes(deps) }],
  };
}
