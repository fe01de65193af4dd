/**
 * The connector's command line: `start` (the service), `sync --once` (one poll-and-ship cycle per tenant,
 * then exit), `doctor` (check every configured connection), `print-config` (the effective config, secrets
 * masked), `migrate`, `rotate-keys`. Thin: each command loads the config and calls into service/.
 */
import { Command } from 'commander';
import { startSandboxes } from '@fusion-ups/sandbox';
import { AuditLog } from '../audit/audit-log.js';
import {
  formatEffectiveConfig,
  loadConfigDetailed,
  shouldStartSandboxes,
  type LoadedConfig,
} from '../config/index.js';
import { logger } from '../logging/index.js';
import { demoTenantFor, openConnector } from '../service/connector.js';
import { createTenantRuntime } from '../service/tenant-runtime.js';
import { doctorExitCode, formatDoctorReport, runDoctor } from './doctor.js';
import { openStorage } from '../storage/index.js';
import { createKeyProvider, rotateAll, Vault } from '../vault/index.js';
import { startService } from '../service/start-service.js';
import { describeFatal } from './fatal.js';

const program = new Command('fusion-ups')
  .description('Keeps Oracle Fusion purchase orders and UPS shipments in step.')
  .option('-c, --config <file>', 'YAML or JSON config file (or CONNECTOR_CONFIG_FILE)')
  .showHelpAfterError();

const load = (): LoadedConfig => {
  const { config: file } = program.opts<{ config?: string }>();
  return loadConfigDetailed({ argv: process.argv, ...(file ? { configFile: file } : {}) });
};

program
  .command('start')
  .description('run the connector: HTTP API, schedules; built-in sandboxes when no tenant is configured')
  .action(async () => {
    const service = await startService(load());
    service.connector.lifecycle.installSignalHandlers();
    const sandboxes = service.connector.sandboxes;
    process.stdout.write(
      [
        `fusion-ups connector listening on ${service.baseUrl}  (health: ${service.baseUrl}/health)`,
        `database: ${service.connector.storage.engine} ${service.connector.storage.target}`,
        `tenants: ${service.connector.tenantIds.join(', ') || '(none)'}`,
        ...(sandboxes
          ? [
              `sandbox mode (no tenant configured): Fusion ${sandboxes.fusion.baseUrl}  UPS ${sandboxes.ups.baseUrl}`,
              `  demo credentials: see README "Sandboxes"; Ctrl-C stops everything`,
            ]
          : []),
        '',
      ].join('\n'),
    );
  });

program
  .command('sync')
  .description('run one poll-and-ship cycle for every tenant, then exit')
  .option('--once', 'one cycle (the only mode; the service runs the schedule)', true)
  .option('-t, --tenant <id>', 'only this tenant')
  .action(async (opts: { tenant?: string }) => {
    const connector = await openConnector(load());
    try {
      const tenantIds = opts.tenant ? [opts.tenant] : connector.tenantIds;
      for (const tenantId of tenantIds) {
        const result = await connector.pipeline.runCycle(tenantId);
        const outcomes: Record<string, number> = {};
        for (const outcome of Object.values(result.processed))
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        process.stdout.write(
          `${tenantId}: polled ${result.poll?.seen ?? 0} PO(s) in ${result.poll?.requests ?? 0} request(s); ` +
            `processed ${Object.keys(result.processed).length} ${JSON.stringify(outcomes)}\n`,
        );
      }
    } finally {
      await connector.close();
    }
  });

program
  .command('doctor')
  .description('check the database, the master key and every configured connection; print what to fix')
  .action(async () => {
    const { config } = load();
    const vault = new Vault(createKeyProvider(config.vault, { dataDir: config.dataDir, logger }));
    // Doctor reports a broken database or key instead of stopping at it, unlike the service's start.
    const storage = await openStorage(config.database).catch((err: unknown) => {
      process.stdout.write(`database: ✗ ${err instanceof Error ? err.message : String(err)}\n`);
      return undefined;
    });
    const sandboxes = shouldStartSandboxes(config) ? await startSandboxes() : undefined;
    try {
      const tenants = sandboxes ? [...config.tenants, demoTenantFor(sandboxes)] : config.tenants;
      const audit = new AuditLog({ append: async () => {} });
      // Until the schema exists there are no stored credentials to check the key against.
      const schemaCurrent = storage ? (await storage.pendingMigrations()).length === 0 : false;
      const result = await runDoctor({
        tenants,
        runtimeFor: (t) => createTenantRuntime(t, { audit, scheduler: config.scheduler }),
        ...(storage ? { storage } : {}),
        ...(storage && schemaCurrent
          ? { vault: { vault, stores: [storage.repos.connections, storage.repos.webhookCredentials] } }
          : {}),
      });
      process.stdout.write(formatDoctorReport(result));
      process.exitCode = storage ? doctorExitCode(result) : 1;
    } finally {
      await storage?.close();
      await sandboxes?.close();
    }
  });

program
  .command('print-config')
  .description('print the effective configuration with secrets masked')
  .action(() => {
    const loaded = load();
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`${formatEffectiveConfig(loaded.config)}\n`);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const storage = await openStorage(load().config.database);
    try {
      const applied = await storage.migrate();
      process.stdout.write(
        `${storage.engine} ${storage.target}: ${applied.length} migration(s) applied; schema current\n`,
      );
    } finally {
      await storage.close();
    }
  });

program
  .command('rotate-keys')
  .description(
    're-wrap every stored credential under the active master key (on PostgreSQL/Oracle while the service runs; the embedded database needs the service stopped)',
  )
  .action(async () => {
    const { config } = load();
    const vault = new Vault(createKeyProvider(config.vault, { dataDir: config.dataDir, logger }));
    const storage = await openStorage(config.database);
    try {
      await storage.migrate();
      for (const [name, store] of [
        ['connections', storage.repos.connections],
        ['webhook credentials', storage.repos.webhookCredentials],
      ] as const) {
        const r = await rotateAll(vault, store);
        process.stdout.write(
          `${name}: ${r.rewrapped} re-wrapped, ${r.alreadyCurrent} already on key "${r.activeKeyId}", ` +
            `${r.failed.length} failed\n`,
        );
        if (r.failed.length > 0) process.exitCode = 1;
      }
    } finally {
      await storage.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const { line, exitCode } = describeFatal(err);
  logger.debug('fatal', { error: err });
  process.stderr.write(`${line}\n`);
  process.exitCode = exitCode;
}
