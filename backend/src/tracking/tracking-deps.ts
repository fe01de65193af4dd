/**
 * What the tracking side needs from the rest of the connector, and each tenant's tracking settings.
 * The composition root (service) builds one TrackingDeps; tests build theirs over the sandboxes.
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { StatusMechanism, StatusSegments } from '../fusion/write-back/status.js';
import type { Storage } from '../storage/index.js';
import type { UpsClient } from '../ups/ups-client.js';
import type { Vault } from '../vault/vault.js';
import type { TrackingStatusWriter } from './fusion-status-writer.js';

/** The brief's 24 h (config's scheduler.renewBeforeHours may say otherwise; the caller passes it). */
export const DEFAULT_RENEW_BEFORE_HOURS = 24;

export interface TrackingSettings {
  trackAlert: {
    enabled: boolean;
    version: 'v1' | 'v2';
    /** v1 credential from the configuration (trackAlert.webhookCredential); generated when absent. */
    credential?: string;
    /** v2 subscription type (default standard). */
    v2Type?: 'standard' | 'enhanced';
  };
  /** Absolute URL UPS posts events to (v1 destination url): `${publicUrl}/webhooks/ups/${tenantId}`. */
  webhookUrl?: string;
  renewBeforeHours?: number;
  /** How status changes reach the PO; 'none' keeps them in the connector. */
  statusMechanism: StatusMechanism | 'none';
  statusSegments?: StatusSegments;
  /** Quantum View subscription name (≤ 21); none = every subscription of the account. */
  quantumViewSubscription?: string;
}

export interface TrackingDeps {
  storage: Storage;
  /** The UPS client of a tenant (Track Alert, Tracking API, Quantum View). */
  ups: (tenantId: string) => UpsClient | Promise<UpsClient>;
  vault: Vault;
  audit: AuditLog;
  settings: (tenantId: string) => TrackingSettings | Promise<TrackingSettings>;
  /** Writes status changes to Fusion; absent = statuses stay in the connector. */
  statusWriter?: (tenantId: string) => TrackingStatusWriter | null | Promise<TrackingStatusWriter | null>;
  now?: () => Date;
  /** Runs background work that shutdown must wait for (the service's Lifecycle.track); absent = just run. */
  track?: <T>(work: () => Promise<T>) => Promise<T>;
}

export const nowOf = (deps: Pick<TrackingDeps, 'now'>) => (deps.now ? deps.now() : new Date());

export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
