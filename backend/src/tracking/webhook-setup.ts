/**
 * What a tenant's Track Alert webhook needs before UPS can call it, prepared when the tenant starts:
 * v2 — our OAuth client exists (UPS signs in with it at our token endpoint); v1 — a configured
 * trackAlert.webhookCredential is the one sent to UPS. Also what the operator enters at UPS.
 */
import type { TrackingDeps } from './tracking-deps.js';
import { credentialsOf } from './webhook-credentials.js';

/** Token endpoint next to the webhook: <publicUrl>/oauth/ups/<tenant>/token. */
export function tokenUrlFor(webhookUrl: string | undefined): string | undefined {
  const m = webhookUrl ? /^(.*)\/webhooks\/ups\/([^/]+)$/.exec(webhookUrl) : null;
  return m ? `${m[1]}/oauth/ups/${m[2]}/token` : undefined;
}

/** Idempotent: run at every start of a tenant. */
export async function prepareWebhook(deps: TrackingDeps, tenantId: string): Promise<void> {
  const { trackAlert } = await deps.settings(tenantId);
  if (!trackAlert.enabled) return;
  const credentials = credentialsOf(deps);
  if (trackAlert.version === 'v2') await credentials.v2Client(tenantId);
  else if (trackAlert.credential) await credentials.adoptV1Credential(tenantId, trackAlert.credential);
}

export interface WebhookSetup {
  enabled: boolean;
  version: 'v1' | 'v2';
  /** Where UPS posts events; absent when server.publicUrl is not set. */
  webhookUrl: string | null;
  /** v2: the token URL, client id and (on rotation only) secret to enter in the UPS developer portal. */
  tokenUrl: string | null;
  clientId: string | null;
}

export async function webhookSetup(deps: TrackingDeps, tenantId: string): Promise<WebhookSetup> {
  const settings = await deps.settings(tenantId);
  const v2 = settings.trackAlert.version === 'v2';
  return {
    enabled: settings.trackAlert.enabled,
    version: settings.trackAlert.version,
    webhookUrl: settings.webhookUrl ?? null,
    tokenUrl: v2 ? (tokenUrlFor(settings.webhookUrl) ?? null) : null,
    clientId: v2 ? await credentialsOf(deps).v2ClientId(tenantId) : null,
  };
}
