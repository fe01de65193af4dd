/**
 * The whole configuration, validated once at start. Every key has a description; `REFERENCE.md` is
 * generated from this file (see reference.ts) and kept in step by a test.
 */
import { z } from 'zod';
import { LOG_LEVELS } from '../logging/logger.js';
import {
  bool,
  cron,
  httpUrl,
  isLoopbackUrl,
  int,
  key32,
  keyId,
  matching,
  oneOf,
  port,
  secret,
  seconds,
  text,
} from './fields.js';
import { tenantSchema } from './schema-tenant.js';

const pgUrl = 'a postgres:// or postgresql:// URL';

const databaseSchema = z
  .discriminatedUnion(
    'engine',
    [
      z.strictObject({
        engine: z.literal('pglite'),
        dataDir: text('a directory path')
          .optional()
          .describe('PGlite data directory (default: <dataDir>/pglite).'),
      }),
      z.strictObject({
        engine: z.literal('postgres'),
        url: secret(
          z
            .string({ error: pgUrl })
            .trim()
            .regex(/^postgres(ql)?:\/\/\S+$/, { error: pgUrl }),
          'url',
        ).describe('Connection URL, e.g. postgres://user:password@host:5432/db.'),
        schema: matching(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier')
          .optional()
          .describe('Schema for the tables (default: public).'),
        poolSize: int(1, 200).optional().describe('Maximum pool connections.'),
      }),
      z.strictObject({
        engine: z.literal('oracle'),
        user: text().describe('Database user.'),
        password: secret(text()).describe('Database password.'),
        connectString: text('an Easy Connect string or TNS alias').describe(
          'Easy Connect (TLS) string or a TNS alias from the wallet.',
        ),
        walletDir: text('a directory path')
          .optional()
          .describe('Wallet directory (mTLS); not needed with a TLS connect string.'),
        walletPassword: secret(text()).optional().describe('Wallet password (ewallet.pem).'),
        poolMax: int(1, 200).optional().describe('Maximum pool connections.'),
      }),
    ],
    { error: 'one of pglite, postgres, oracle' },
  )
  .prefault({ engine: 'pglite' })
  .describe('Where the connector keeps its state: pglite (embedded, default), postgres or oracle.');

const ocid = (kind: string) =>
  matching(new RegExp(`^ocid1\\.${kind}\\.[a-z0-9._-]+$`), `a ${kind} OCID (ocid1.${kind}.…)`);

const ociAuthSchema = z
  .discriminatedUnion(
    'kind',
    [
      z
        .strictObject({
          kind: z.literal('api-key'),
          tenancyOcid: ocid('tenancy').describe('Tenancy OCID.'),
          userOcid: ocid('user').describe('OCID of the user the API key belongs to.'),
          fingerprint: matching(
            /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/,
            'a key fingerprint such as 20:3b:97:…:3a:34',
          ).describe('Fingerprint of the API key.'),
          privateKeyFile: text('a file path').optional().describe('PEM file of the API private key.'),
          privateKey: secret(text('a PEM private key'))
            .optional()
            .describe('PEM text of the API private key (or privateKeyFile).'),
          passphrase: secret(text()).optional().describe('Passphrase of an encrypted private key.'),
        })
        .superRefine((auth, ctx) => {
          if (!auth.privateKey === !auth.privateKeyFile) {
            ctx.addIssue({
              code: 'custom',
              params: { plain: true },
              path: ['privateKeyFile'],
              message: 'set exactly one of privateKeyFile or privateKey',
            });
          }
        }),
      z.strictObject({ kind: z.literal('instance-principal') }),
    ],
    { error: 'one of api-key, instance-principal' },
  )
  .describe(
    'How the connector signs its OCI Vault calls: api-key, or instance-principal (not implemented yet).',
  );

const vaultSchema = z
  .discriminatedUnion(
    'provider',
    [
      z.strictObject({
        provider: z.literal('env'),
        masterKeys: z
          .array(
            z.strictObject({
              id: keyId().describe('Key id written into sealed values.'),
              key: secret(key32()).describe('base64 of 32 random bytes.'),
            }),
          )
          .default([])
          .describe(
            'Key-encryption keys, active first (from CONNECTOR_MASTER_KEY or CONNECTOR_MASTER_KEYS).',
          ),
        allowDevKey: bool()
          .default(true)
          .describe(
            'With no master key, generate a development key into the data directory (set false in production).',
          ),
      }),
      z.strictObject({
        provider: z.literal('oci-vault'),
        cryptoEndpoint: httpUrl({ httpsOnly: true }).describe('Crypto endpoint of the OCI vault.'),
        keys: z
          .array(
            z.strictObject({
              id: keyId().describe('Alias written into sealed values.'),
              keyOcid: matching(/^ocid1\.key\.[a-z0-9._-]+$/, 'a key OCID (ocid1.key.…)').describe(
                'OCID of the master encryption key.',
              ),
            }),
            {
              error: 'a list of {id, keyOcid}',
            },
          )
          .min(1, { error: 'at least one key' })
          .describe('Master encryption keys as alias and OCID, active first.'),
        auth: ociAuthSchema,
      }),
    ],
    { error: 'one of env, oci-vault' },
  )
  .prefault({ provider: 'env' })
  .describe('Envelope encryption of stored credentials.');

export const configSchema = z
  .strictObject({
    dataDir: text('a directory path')
      .default('./data')
      .describe('Local state: PGlite files, the development master key.'),
    server: z
      .strictObject({
        host: text('a host name or IP address').default('0.0.0.0').describe('Interface to listen on.'),
        port: port().default(8080).describe('HTTP port.'),
        bodyLimit: matching(/^\d+(\.\d+)?\s*(b|kb|mb)$/i, 'a size such as 1mb or 512kb')
          .default('1mb')
          .describe('Largest request body accepted.'),
        publicUrl: httpUrl({ httpsOnly: true })
          .optional()
          .describe(
            'Address UPS reaches the Track Alert webhook at; required when a tenant on real UPS uses Track Alert.',
          ),
        shutdownGraceSeconds: seconds(1, 600).default(30).describe('Time in-flight work gets after SIGTERM.'),
      })
      .prefault({})
      .describe('HTTP server.'),
    database: databaseSchema,
    vault: vaultSchema,
    logging: z
      .strictObject({ level: oneOf(LOG_LEVELS).default('info').describe('Lowest level written.') })
      .prefault({})
      .describe('JSON logs on stdout.'),
    scheduler: z
      .strictObject({
        pollIntervalSeconds: seconds(5, 86400)
          .default(60)
          .describe("How often each tenant's Fusion POs are polled."),
        pollOverlapSeconds: seconds(0, 86400)
          .default(120)
          .describe('Window re-read behind the watermark (clock skew, late commits).'),
        pollPageSize: int(1, 500).default(100).describe('POs per Fusion page.'),
        renewalCron: cron()
          .default('17 * * * *')
          .describe('When Track Alert subscriptions are checked for renewal.'),
        renewBeforeHours: int(1, 13 * 24)
          .default(24)
          .describe('Renew a subscription this long before its 14-day expiry.'),
        quantumViewIntervalSeconds: seconds(60, 86400)
          .default(900)
          .describe('Quantum View fallback poll interval.'),
        leaseSeconds: seconds(5, 3600).default(60).describe('Job lease length shared by several instances.'),
        instanceId: matching(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits, ".", "_", ":" or "-" (max 64)')
          .optional()
          .describe(
            'Stable name of this instance in leases: a restarted instance resumes its own work at once instead of waiting for its leases to expire. Unique per running instance; random when unset.',
          ),
        initialLookbackDays: int(1, 365)
          .default(7)
          .describe('On the first poll of a tenant, how far back LastUpdateDate is read.'),
      })
      .prefault({})
      .describe('Background jobs.'),
    sandbox: z
      .strictObject({
        mode: oneOf(['auto', 'always', 'never'])
          .default('auto')
          .describe(
            'auto: start the built-in Fusion and UPS sandboxes when no tenant is configured; always; never.',
          ),
        host: text().default('127.0.0.1').describe('Interface the sandboxes listen on.'),
        fusionPort: int(0, 65535).default(0).describe('Fusion sandbox port (0 = any free port).'),
        upsPort: int(0, 65535).default(0).describe('UPS sandbox port (0 = any free port).'),
      })
      .prefault({})
      .describe('Built-in Fusion and UPS simulators.'),
    tenants: z
      .array(tenantSchema.describe('One tenant.'), { error: 'a list of tenants' })
      .default([])
      .describe('Tenants configured at start (bootstrap).'),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.tenants.forEach((tenant, i) => {
      const first = seen.get(tenant.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          params: { plain: true },
          path: ['tenants', i, 'id'],
          message: `duplicate tenant id "${tenant.id}" (also tenants[${first}])`,
        });
      else seen.set(tenant.id, i);
      // Real UPS must reach the webhook; without an address no label is followed by push (v1 cannot even
      // subscribe). A tenant on the local sandbox is reached at the service's own address.
      if (
        tenant.active &&
        tenant.ups.trackAlert.enabled &&
        !config.server.publicUrl &&
        !isLoopbackUrl(tenant.ups.baseUrl)
      )
        ctx.addIssue({
          code: 'custom',
          params: { plain: true },
          path: ['server', 'publicUrl'],
          message: `required: tenant "${tenant.id}" uses Track Alert (ups.trackAlert.enabled), and UPS posts tracking events to <server.publicUrl>/webhooks/ups/${tenant.id}; set server.publicUrl or set tenants[${i}].ups.trackAlert.enabled to false`,
        });
      const allowed = tenant.ups.shipperNumbers;
      if (allowed.length === 0) return;
      tenant.accountMapping.rules.forEach((rule, r) => {
        if (!allowed.includes(rule.shipperNumber)) {
          ctx.addIssue({
            code: 'custom',
            params: { plain: true },
            path: ['tenants', i, 'accountMapping', 'rules', r, 'shipperNumber'],
            message: `"${rule.shipperNumber}" is not in ups.shipperNumbers (${allowed.join(', ')})`,
          });
        }
      });
    });
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Exactly the options object the storage module takes. */
export type DatabaseOptions = Config['database'];
export type VaultConfig = Config['vault'];
export type { TenantConfig } from './schema-tenant.js';
