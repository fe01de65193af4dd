/**
 * One tenant's live parts: its Fusion client, its UPS clients (one per merchant id), and the pipeline's
 * ports over them. Every external call and every retry goes to the audit trail, filed under the PO and step
 * of the current audit scope.
 */
import { readFileSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.js';
import type { ExternalCall } from '../audit/audit-entry.js';
import type { Config, TenantConfig } from '../config/index.js';
import type { FusionAuthConfig } from '../fusion/auth.js';
import { createFusionClient, type FusionClient } from '../fusion/fusion-client.js';
import { fusionPort } from '../pipeline/adapters/fusion-port.js';
import { fusionPortSettingsFor, pipelineSettingsFor } from '../pipeline/adapters/tenant-settings.js';
import { upsPort } from '../pipeline/adapters/ups-port.js';
import type { PipelineSettings } from '../pipeline/pipeline-settings.js';
import type { UpsAccount } from '../pipeline/ports.js';
import type { TenantBinding } from '../pipeline/runner.js';
import type { TokenManagerRegistry } from '../ups/token-manager.js';
import { createUpsClient, type UpsClient } from '../ups/ups-client.js';
import { currentAuditScope } from './audit-scope.js';

export interface TenantRuntime extends TenantBinding {
  config: TenantConfig;
  fusionClient: FusionClient;
  upsClientFor(account?: Partial<UpsAccount>): UpsClient;
}

export interface TenantRuntimeDeps {
  audit: AuditLog;
  scheduler: Config['scheduler'];
  tokenRegistry?: TokenManagerRegistry;
  /** Test hook: a faster retry schedule against the sandboxes. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  /** Test hook: shorter safety windows (in-doubt confirmation, submit grace) for crash tests. */
  pipelineOverrides?: Partial<PipelineSettings>;
}

export function createTenantRuntime(tenant: TenantConfig, deps: TenantRuntimeDeps): TenantRuntime {
  const auditCall = (call: ExternalCall) => {
    const s = currentAuditScope();
    void deps.audit.recordCall({
      tenantId: tenant.id,
      poHeaderId: s?.poHeaderId ?? null,
      shipmentId: s?.shipmentId ?? null,
      step: s?.step ?? `${call.system}-call`,
      system: call.system,
      method: call.method,
      url: call.path,
      status: call.status ?? null,
      durationMs: call.durationMs,
      externalIds: call.externalIds,
      requestBody: call.requestBody,
      responseBody: call.responseBody,
      error: call.error ?? undefined,
    });
  };
  const auditRetry = (
    system: 'fusion' | 'ups',
    info: { attempt: number; delayMs: number; error: string },
  ) => {
    const s = currentAuditScope();
    void deps.audit.record({
      tenantId: tenant.id,
      poHeaderId: s?.poHeaderId ?? null,
      shipmentId: s?.shipmentId ?? null,
      step: s?.step ?? `${system}-call`,
      outcome: 'retry',
      message: `${system} call retried (attempt ${info.attempt}, in ${info.delayMs} ms): ${info.error}`,
    });
  };

  const fusionClient = createFusionClient({
    baseUrl: tenant.fusion.baseUrl,
    auth: fusionAuthOf(tenant.fusion.auth),
    restFrameworkVersion: tenant.fusion.restFrameworkVersion,
    timeoutMs: tenant.fusion.timeoutSeconds * 1000,
    chargeAccountDelimiter: tenant.accountMapping.segmentSeparator,
    onCall: auditCall,
    onRetry: (e) => auditRetry('fusion', e),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });

  const upsClients = new Map<string, UpsClient>();
  const upsClientFor = (account?: Partial<UpsAccount>): UpsClient => {
    const merchantId = account?.merchantId ?? tenant.ups.merchantId;
    const key = merchantId ?? '';
    let client = upsClients.get(key);
    if (!client) {
      client = createUpsClient({
        baseUrl: tenant.ups.baseUrl,
        clientId: tenant.ups.clientId,
        clientSecret: tenant.ups.clientSecret,
        merchantId,
        transactionSrc: tenant.ups.transactionSrc,
        timeoutMs: tenant.ups.timeoutSeconds * 1000,
        onCall: auditCall,
        onRetry: (e) => auditRetry('ups', e),
        ...(deps.tokenRegistry ? { tokenRegistry: deps.tokenRegistry } : {}),
        ...(deps.retry ? { retry: deps.retry } : {}),
      });
      upsClients.set(key, client);
    }
    return client;
  };

  return {
    config: tenant,
    fusionClient,
    upsClientFor,
    fusion: fusionPort(fusionClient, fusionPortSettingsFor(tenant)),
    ups: upsPort(upsClientFor),
    settings: pipelineSettingsFor(tenant, deps.scheduler, deps.pipelineOverrides),
  };
}

/** The JWT assertion key may be given inline or as a file (a mounted secret in OCI). */
function fusionAuthOf(auth: TenantConfig['fusion']['auth']): FusionAuthConfig {
  if (auth.kind !== 'jwt') return auth;
  const { privateKey, privateKeyFile, ...rest } = auth;
  const pem = privateKey ?? (privateKeyFile ? readFileSync(privateKeyFile, 'utf8') : undefined);
  if (!pem) throw new Error(`tenant Fusion jwt auth needs privateKey or privateKeyFile`);
  return { ...rest, privateKeyPem: pem };
}
