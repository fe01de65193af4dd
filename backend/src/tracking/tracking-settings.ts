/**
 * A tenant's tracking settings from the typed configuration. The status goes where the pipeline's does: the
 * DFF status segment when configured; else the tenant's write-back mode (ASN → expected receipt date,
 * attachment → a text attachment per status); flexfield mode without a status segment keeps it here.
 * renewBeforeHours is left to the brief's 24 h (config's scheduler.renewBeforeHours defaults to 48; pass
 * `renewBeforeHours` explicitly to override).
 */
import type { Config, TenantConfig } from '../config/index.js';
import { statusMechanismOf } from '../config/schema-tenant.js';
import type { TrackingSettings } from './tracking-deps.js';

export function webhookUrlFor(publicUrl: string | undefined, tenantId: string): string | undefined {
  return publicUrl
    ? `${publicUrl.replace(/\/+$/, '')}/webhooks/ups/${encodeURIComponent(tenantId)}`
    : undefined;
}

export function trackingSettingsFor(
  tenant: TenantConfig,
  config: Pick<Config, 'server'>,
  options: { dffContext?: string; renewBeforeHours?: number; quantumViewSubscription?: string } = {},
): TrackingSettings {
  const ff = tenant.writeBack.flexfield;
  // With statuses switched off, an ASN tenant still gets its expected receipt date kept current.
  const resolved = statusMechanismOf(tenant.writeBack);
  const statusMechanism = resolved === 'none' && tenant.writeBack.mode === 'asn' ? 'asn' : resolved;
  const webhookUrl = webhookUrlFor(config.server.publicUrl, tenant.id);
  return {
    trackAlert: {
      enabled: tenant.ups.trackAlert.enabled,
      version: tenant.ups.trackAlert.version,
      ...(tenant.ups.trackAlert.webhookCredential
        ? { credential: tenant.ups.trackAlert.webhookCredential }
        : {}),
    },
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(options.renewBeforeHours ? { renewBeforeHours: options.renewBeforeHours } : {}),
    statusMechanism,
    ...(statusMechanism === 'flexfield' && ff?.statusSegment
      ? {
          statusSegments: {
            ...(options.dffContext ? { context: options.dffContext } : {}),
            status: ff.statusSegment,
            trackingNumber: ff.trackingNumberSegment,
          },
        }
      : {}),
    ...(options.quantumViewSubscription ? { quantumViewSubscription: options.quantumViewSubscription } : {}),
  };
}
