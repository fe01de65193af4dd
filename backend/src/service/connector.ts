/**
 * The composition root: everything the connector is made of, opened in order (config → vault → database
 * → sandboxes → tenants → pipeline) and closed in reverse through the lifecycle. `start` adds the HTTP
 * server and the schedules on top; `sync --once` and `doctor` use the same parts without them.
 */
import {
  COST_CENTER_SEGMENT_INDEX,
  DEFAULT_DFF,
  DEMO_CLIENT,
  DEMO_CREDENTIALS,
  startSandboxes,
} from '@fusion-ups/sandbox';
import { AuditLog } from '../audit/audit-log.js';
import type { Config, LoadedConfig, TenantConfig } from '../config/index.js';
import { shouldStartSandboxes } from '../config/index.js';
import { tenantSchema } from '../config/schema-tenant.js';
import { logger as defaultLogger, setLogLevel, type Logger } from '../logging/index.js';
import {
  leaseStore,
  poStore,
  rateStore,
  shipmentStore,
  watermarkStore,
  writeBackStore,
} from '../pipeline/adapters/storage-ports.js';
import { createPipeline, type Pipeline } from '../pipeline/runner.js';
import { openStorage, type Storage } from '../storage/index.js';
import { TokenManagerRegistry } from '../ups/token-manager.js';
import { checkStoredKeys, createKeyProvider, Vault } from '../vault/index.js';
import { withAuditScope } from './audit-scope.js';
import { Lifecycle } from './lifecycle.js';
import { sandboxTenant } from './sandbox-tenant.js';
import { createTenantRuntime, type TenantRuntime, type TenantRuntimeDeps } from './tenant-runtime.js';
import { loadTenant, saveTenant } from './tenant-store.js';

export interface Connector {
  config: Config;
  logger: Logger;
  storage: Storage;
  vault: Vault;
  audit: AuditLog;
  pipeline: Pipeline;
  lifecycle: Lifecycle;
  /** Tenant ids configured at start (the built-in sandbox tenant included when it runs). */
  tenantIds: string[];
  runtimeFor(tenantId: string): Promise<TenantRuntime>;
  sandboxes?: Awaited<ReturnType<typeof startSandboxes>>;
  close(): Promise<void>;
}

export interface OpenConnectorOptions {
  logger?: Logger;
  /** Test hook: faster client retries against the sandboxes. */
  retry?: TenantRuntimeDeps['retry'];
  /** Test hook: shorter pipeline safety windows. */
  pipelineOverrides?: TenantRuntimeDeps['pipelineOverrides'];
}

export async function openConnector(
  loaded: LoadedConfig,
  options: OpenConnectorOptions = {},
): Promise<Connector> {
  const { config } = loaded;
  const logger = options.logger ?? defaultLogger;
  if (!options.logger) setLogLevel(config.logging.level);
  for (const warning of loaded.warnings) logger.warn(warning);

  const lifecycle = new Lifecycle(logger, config.server.shutdownGraceSeconds * 1000);
  const vault = new Vault(createKeyProvider(config.vault, { dataDir: config.dataDir, logger }));
  const storage = await openStorage(config.database);
  lifecycle.add({ name: 'storage', kind: 'resource', stop: () => storage.close() });
  try {
    const applied = await storage.migrate();
    if (applied.length > 0) logger.info('database migrated', { engine: storage.engine, applied });
    // A wrong master key must stop the start here, not at the first PO hours later.
    await checkStoredKeys(vault, [storage.repos.connections, storage.repos.webhookCredentials]);

    let sandboxes: Connector['sandboxes'];
    const tenants: TenantConfig[] = [...config.tenants];
    if (shouldStartSandboxes(config)) {
      sandboxes = await startSandboxes({
        fusionPort: config.sandbox.fusionPort,
        upsPort: config.sandbox.upsPort,
      });
      const started = sandboxes;
      lifecycle.add({ name: 'sandboxes', kind: 'resource', stop: () => started.close() });
      tenants.push(demoTenantFor(sandboxes));
    }
    for (const tenant of tenants) await saveTenant(storage, vault, tenant);

    const audit = new AuditLog(
      {
        append: async (entry) => {
          await storage.repos.audit.append(entry);
        },
      },
      { logger },
    );
    const tokenRegistry = new TokenManagerRegistry();
    const runtimes = new Map<string, Promise<TenantRuntime>>();
    const runtimeFor = (tenantId: string): Promise<TenantRuntime> => {
      let runtime = runtimes.get(tenantId);
      if (!runtime) {
        runtime = loadTenant(storage, vault, tenantId).then((stored) => {
          if (!stored) throw new Error(`tenant "${tenantId}" is not configured`);
          return createTenantRuntime(stored.config, {
            audit,
            scheduler: config.scheduler,
            tokenRegistry,
            ...(options.retry ? { retry: options.retry } : {}),
            ...(options.pipelineOverrides ? { pipelineOverrides: options.pipelineOverrides } : {}),
          });
        });
        // A failed load (e.g. a Vault outage) is not cached: the next cycle tries again.
        runtime.catch(() => runtimes.delete(tenantId));
        runtimes.set(tenantId, runtime);
      }
      return runtime;
    };

    const clock = { now: () => new Date() };
    const pipeline = createPipeline({
      tenant: runtimeFor,
      pos: poStore(storage),
      watermarks: watermarkStore(storage),
      shipments: shipmentStore(storage),
      rates: rateStore(storage),
      writeBacks: writeBackStore(storage),
      leases: leaseStore(storage, clock),
      audit: { record: (entry) => audit.record(entry) },
      clock,
      scope: withAuditScope,
      ...(config.scheduler.instanceId ? { owner: config.scheduler.instanceId } : {}),
    });

    return {
      config,
      logger,
      storage,
      vault,
      audit,
      pipeline,
      lifecycle,
      tenantIds: tenants.filter((t) => t.active).map((t) => t.id),
      runtimeFor,
      ...(sandboxes ? { sandboxes } : {}),
      close: () => lifecycle.shutdown('close'),
    };
  } catch (err) {
    await lifecycle.shutdown('start failed');
    throw err;
  }
}

/** The demo tenant against running sandboxes, validated like any configured tenant. */
export function demoTenantFor(sandboxes: {
  fusion: { baseUrl: string };
  ups: { baseUrl: string };
}): TenantConfig {
  return tenantSchema.parse(
    sandboxTenant({
      fusionBaseUrl: sandboxes.fusion.baseUrl,
      upsBaseUrl: sandboxes.ups.baseUrl,
      fusion: { username: DEMO_CREDENTIALS.basic.username, password: DEMO_CREDENTIALS.basic.password },
      ups: {
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        shipperNumber: DEMO_CLIENT.shipperNumbers[0] ?? 'A1B2C3',
      },
      shipViaUpsSegment: DEFAULT_DFF.shipViaUpsSegment,
      trackingSegment: DEFAULT_DFF.trackingSegment,
      statusSegment: DEFAULT_DFF.statusSegment,
      costCenterSegment: COST_CENTER_SEGMENT_INDEX + 1,
    }),
  );
}
