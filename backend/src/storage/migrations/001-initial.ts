/**
 * The first schema. Every table carries tenant_id and leads its primary key with it, so every index a
 * query uses is already partitioned by tenant. Column types come from dialect.ts.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnKind, ColumnOptions, SqlDialect } from '../dialect.js';

type Col = [name: string, kind: ColumnKind, options?: ColumnOptions];
const NULL = { nullable: true };

interface TableSpec {
  name: string;
  columns: Col[];
  primaryKey: string[];
  unique?: Array<{ name: string; columns: string[] }>;
  foreignKeys?: Array<{ name: string; columns: string[]; table: string; references: string[] }>;
  indexes?: Array<{ name: string; columns: string[] }>;
}

const tenantFk = (table: string) => ({
  name: `fk_${table}_tenant`,
  columns: ['tenant_id'],
  table: 'tenants',
  references: ['id'],
});

export const TABLES: TableSpec[] = [
  {
    name: 'tenants',
    columns: [
      ['id', 'tenant'],
      ['name', 'name'],
      ['active', 'bool'],
      ['settings', 'json', NULL],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['id'],
  },
  {
    name: 'connections',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['kind', 'code'],
      ['name', 'name'],
      ['sealed_credentials', 'text', NULL],
      ['settings', 'json', NULL],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    unique: [{ name: 'uq_connections_name', columns: ['tenant_id', 'kind', 'name'] }],
    foreignKeys: [tenantFk('connections')],
  },
  {
    name: 'mapping_rules',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['rule_set', 'code'],
      ['precedence', 'int'],
      ['name', 'name'],
      ['match', 'json'],
      ['action', 'json'],
      ['enabled', 'bool'],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    foreignKeys: [tenantFk('mapping_rules')],
    indexes: [{ name: 'ix_mapping_rules_set', columns: ['tenant_id', 'rule_set', 'precedence'] }],
  },
  {
    name: 'poll_watermarks',
    columns: [
      ['tenant_id', 'tenant'],
      ['source', 'code'],
      ['last_update_date', 'timestamp'],
      ['ids_at_watermark', 'json'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'source'],
    foreignKeys: [tenantFk('poll_watermarks')],
  },
  {
    name: 'purchase_orders',
    columns: [
      ['tenant_id', 'tenant'],
      ['po_header_id', 'code'],
      ['revision', 'int'],
      ['po_number', 'code', NULL],
      ['state', 'code'],
      ['step', 'code'],
      ['reason', 'name', NULL],
      ['attempts', 'int'],
      ['transient_failures', 'int'],
      ['next_attempt_at', 'timestamp', NULL],
      ['last_error', 'text', NULL],
      ['last_update_date', 'timestamp', NULL],
      ['payload_hash', 'name', NULL],
      ['payload', 'json', NULL],
      ['context', 'json', NULL],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'po_header_id', 'revision'],
    foreignKeys: [tenantFk('purchase_orders')],
    indexes: [
      { name: 'ix_purchase_orders_due', columns: ['tenant_id', 'state', 'next_attempt_at'] },
      { name: 'ix_purchase_orders_updated', columns: ['tenant_id', 'updated_at'] },
    ],
  },
  {
    name: 'shipments',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['po_header_id', 'code'],
      ['revision', 'int'],
      ['package_set_hash', 'name'],
      ['dup_seq', 'int'],
      ['duplicate_of', 'id', NULL],
      ['state', 'code'],
      ['tracking_number', 'code', NULL],
      ['ups_shipment_id', 'code', NULL],
      ['shipper_number', 'code', NULL],
      ['service_code', 'code', NULL],
      ['charges', 'json', NULL],
      ['tracking_status', 'code', NULL],
      ['tracking_status_at', 'timestamp', NULL],
      ['expected_delivery', 'code', NULL],
      ['delivered_at', 'timestamp', NULL],
      ['last_error', 'text', NULL],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    // One intent per (PO, revision, package set); duplicates found at UPS get dup_seq 1, 2, …
    unique: [
      {
        name: 'uq_shipments_intent',
        columns: ['tenant_id', 'po_header_id', 'revision', 'package_set_hash', 'dup_seq'],
      },
    ],
    foreignKeys: [tenantFk('shipments')],
    indexes: [
      { name: 'ix_shipments_tracking', columns: ['tenant_id', 'tracking_number'] },
      { name: 'ix_shipments_state', columns: ['tenant_id', 'state', 'updated_at'] },
    ],
  },
  {
    name: 'packages',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['shipment_id', 'id'],
      ['seq', 'int'],
      ['tracking_number', 'code', NULL],
      ['spec', 'json', NULL],
      ['created_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    unique: [{ name: 'uq_packages_seq', columns: ['tenant_id', 'shipment_id', 'seq'] }],
    foreignKeys: [
      {
        name: 'fk_packages_shipment',
        columns: ['tenant_id', 'shipment_id'],
        table: 'shipments',
        references: ['tenant_id', 'id'],
      },
    ],
    indexes: [{ name: 'ix_packages_tracking', columns: ['tenant_id', 'tracking_number'] }],
  },
  {
    name: 'labels',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['shipment_id', 'id'],
      ['package_id', 'id'],
      ['format', 'code'],
      ['image_base64', 'text'],
      ['created_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    unique: [{ name: 'uq_labels_package_format', columns: ['tenant_id', 'package_id', 'format'] }],
    foreignKeys: [
      {
        name: 'fk_labels_package',
        columns: ['tenant_id', 'package_id'],
        table: 'packages',
        references: ['tenant_id', 'id'],
      },
    ],
  },
  {
    name: 'rate_quotes',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['po_header_id', 'code'],
      ['revision', 'int'],
      ['package_set_hash', 'name'],
      ['service_code', 'code'],
      ['total_amount', 'code'],
      ['total_currency', 'code'],
      ['details', 'json', NULL],
      ['created_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    foreignKeys: [tenantFk('rate_quotes')],
    indexes: [
      { name: 'ix_rate_quotes_po', columns: ['tenant_id', 'po_header_id', 'revision', 'created_at'] },
    ],
  },
  {
    name: 'tracking_subscriptions',
    columns: [
      ['tenant_id', 'tenant'],
      ['tracking_number', 'code'],
      ['shipment_id', 'id', NULL],
      ['status', 'code'],
      ['fallback', 'bool'],
      ['subscribed_at', 'timestamp'],
      ['expires_at', 'timestamp'],
      ['renew_failures', 'int'],
      ['last_error', 'text', NULL],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'tracking_number'],
    foreignKeys: [tenantFk('tracking_subscriptions')],
    indexes: [{ name: 'ix_tracking_subs_expiry', columns: ['status', 'expires_at'] }],
  },
  {
    name: 'tracking_events',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['tracking_number', 'code'],
      ['gmt_date', 'code'],
      ['gmt_time', 'code'],
      ['status_code', 'code'],
      ['status_type', 'code'],
      ['status', 'code'],
      ['shipment_id', 'id', NULL],
      ['description', 'name', NULL],
      ['occurred_at', 'timestamp'],
      ['location', 'json', NULL],
      ['local_date', 'code', NULL],
      ['local_time', 'code', NULL],
      ['scheduled_delivery_date', 'code', NULL],
      ['actual_delivery_at', 'timestamp', NULL],
      ['source', 'code'],
      ['received_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    unique: [
      {
        name: 'uq_tracking_events_dedupe',
        columns: ['tenant_id', 'tracking_number', 'gmt_date', 'gmt_time', 'status_code'],
      },
    ],
    foreignKeys: [tenantFk('tracking_events')],
    indexes: [{ name: 'ix_tracking_events_shipment', columns: ['tenant_id', 'shipment_id', 'occurred_at'] }],
  },
  {
    name: 'quantum_view_pages',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['subscription_name', 'name'],
      ['bookmark', 'text', NULL],
      ['raw', 'text'],
      ['received_at', 'timestamp'],
      ['processed_at', 'timestamp', NULL],
      ['error', 'text', NULL],
    ],
    primaryKey: ['tenant_id', 'id'],
    foreignKeys: [tenantFk('quantum_view_pages')],
    indexes: [{ name: 'ix_qv_pages_pending', columns: ['tenant_id', 'processed_at', 'received_at'] }],
  },
  {
    name: 'write_backs',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['po_header_id', 'code'],
      ['shipment_id', 'id', NULL],
      ['kind', 'code'],
      ['change_key', 'name'],
      ['method', 'code'],
      ['state', 'code'],
      ['attempts', 'int'],
      ['payload', 'json', NULL],
      ['result', 'json', NULL],
      ['last_error', 'text', NULL],
      ['created_at', 'timestamp'],
      ['completed_at', 'timestamp', NULL],
    ],
    primaryKey: ['tenant_id', 'id'],
    // Once per status change: the same change of the same PO is recorded (and written) once.
    unique: [{ name: 'uq_write_backs_change', columns: ['tenant_id', 'po_header_id', 'kind', 'change_key'] }],
    foreignKeys: [tenantFk('write_backs')],
    indexes: [{ name: 'ix_write_backs_state', columns: ['tenant_id', 'state', 'created_at'] }],
  },
  {
    name: 'webhook_credentials',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['kind', 'code'],
      ['sealed_secret', 'text'],
      ['active', 'bool'],
      ['created_at', 'timestamp'],
      ['expires_at', 'timestamp', NULL],
    ],
    primaryKey: ['tenant_id', 'id'],
    foreignKeys: [tenantFk('webhook_credentials')],
    indexes: [{ name: 'ix_webhook_creds_kind', columns: ['tenant_id', 'kind', 'active'] }],
  },
  {
    name: 'audit_log',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['seq', 'identity'],
      ['at', 'timestamp'],
      ['po_header_id', 'code', NULL],
      ['shipment_id', 'id', NULL],
      ['step', 'code'],
      ['outcome', 'code'],
      ['message', 'text', NULL],
      ['correlation_id', 'name', NULL],
      ['call_system', 'code', NULL],
      ['call', 'json', NULL],
    ],
    primaryKey: ['tenant_id', 'id'],
    foreignKeys: [tenantFk('audit_log')],
    indexes: [
      { name: 'ix_audit_log_po', columns: ['tenant_id', 'po_header_id', 'seq'] },
      { name: 'ix_audit_log_step', columns: ['tenant_id', 'step', 'seq'] },
      { name: 'ix_audit_log_at', columns: ['tenant_id', 'at'] },
    ],
  },
  {
    name: 'jobs',
    columns: [
      ['tenant_id', 'tenant'],
      ['id', 'id'],
      ['kind', 'code'],
      // Never null (defaults to the id): Oracle treats partly-null composite unique keys as equal.
      ['dedupe_key', 'name'],
      ['payload', 'json', NULL],
      ['state', 'code'],
      ['attempts', 'int'],
      ['run_at', 'timestamp'],
      ['lease_owner', 'name', NULL],
      ['lease_expires_at', 'timestamp', NULL],
      ['last_error', 'text', NULL],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
    primaryKey: ['tenant_id', 'id'],
    unique: [
      { name: 'uq_jobs_id', columns: ['id'] },
      { name: 'uq_jobs_dedupe', columns: ['tenant_id', 'kind', 'dedupe_key'] },
    ],
    foreignKeys: [tenantFk('jobs')],
    indexes: [{ name: 'ix_jobs_claim', columns: ['kind', 'state', 'run_at'] }],
  },
];

export function initialMigration(d: SqlDialect): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      for (const t of TABLES) {
        let table = db.schema.createTable(t.name);
        for (const [name, kind, options] of t.columns) table = d.column(table, name, kind, options);
        table = table.addPrimaryKeyConstraint(`pk_${t.name}`, t.primaryKey as never);
        for (const u of t.unique ?? []) table = table.addUniqueConstraint(u.name, u.columns as never);
        for (const fk of t.foreignKeys ?? []) {
          table = table.addForeignKeyConstraint(fk.name, fk.columns as never, fk.table, fk.references);
        }
        await table.execute();
        for (const ix of t.indexes ?? []) {
          await db.schema.createIndex(ix.name).on(t.name).columns(ix.columns).execute();
        }
      }
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>) {
      for (const t of [...TABLES].reverse()) await db.schema.dropTable(t.name).execute();
    },
  };
}
