/**
 * Row shapes of every table as the query builder sees them. Booleans and JSON are typed loosely
 * (`DbBool`, `DbJson`) because PostgreSQL and Oracle return them differently; repositories convert through
 * dialect.ts and hand out plain domain objects.
 */
import type { ColumnType } from 'kysely';

/** boolean on PostgreSQL, NUMBER(1) on Oracle. */
export type DbBool = boolean | number;
/** jsonb (parsed by the driver) on PostgreSQL, CLOB text on Oracle; written as JSON text everywhere. */
export type DbJson = ColumnType<unknown, string | null, string | null>;
/** A big text column: text on PostgreSQL, CLOB on Oracle. */
export type DbText = string;

export interface TenantsTable {
  id: string;
  name: string;
  active: DbBool;
  settings: DbJson;
  created_at: Date;
  updated_at: Date;
}

export interface ConnectionsTable {
  tenant_id: string;
  id: string;
  kind: string;
  name: string;
  /** Vault output only; never plaintext. */
  sealed_credentials: DbText | null;
  settings: DbJson;
  created_at: Date;
  updated_at: Date;
}

export interface MappingRulesTable {
  tenant_id: string;
  id: string;
  rule_set: string;
  precedence: number;
  name: string;
  match: DbJson;
  action: DbJson;
  enabled: DbBool;
  created_at: Date;
  updated_at: Date;
}

export interface PollWatermarksTable {
  tenant_id: string;
  source: string;
  last_update_date: Date;
  ids_at_watermark: DbJson;
  updated_at: Date;
}

export interface PurchaseOrdersTable {
  tenant_id: string;
  po_header_id: string;
  revision: number;
  po_number: string | null;
  state: string;
  step: string;
  reason: string | null;
  attempts: number;
  transient_failures: number;
  next_attempt_at: Date | null;
  last_error: DbText | null;
  last_update_date: Date | null;
  payload_hash: string | null;
  payload: DbJson;
  context: DbJson;
  created_at: Date;
  updated_at: Date;
}

export interface ShipmentsTable {
  tenant_id: string;
  id: string;
  po_header_id: string;
  revision: number;
  package_set_hash: string;
  dup_seq: number;
  duplicate_of: string | null;
  state: string;
  tracking_number: string | null;
  ups_shipment_id: string | null;
  shipper_number: string | null;
  service_code: string | null;
  charges: DbJson;
  tracking_status: string | null;
  tracking_status_at: Date | null;
  expected_delivery: string | null;
  delivered_at: Date | null;
  last_error: DbText | null;
  created_at: Date;
  updated_at: Date;
}

export interface PackagesTable {
  tenant_id: string;
  id: string;
  shipment_id: string;
  seq: number;
  tracking_number: string | null;
  spec: DbJson;
  created_at: Date;
}

export interface LabelsTable {
  tenant_id: string;
  id: string;
  shipment_id: string;
  package_id: string;
  format: string;
  image_base64: DbText;
  created_at: Date;
}

export interface RateQuotesTable {
  tenant_id: string;
  id: string;
  po_header_id: string;
  revision: number;
  package_set_hash: string;
  service_code: string;
  total_amount: string;
  total_currency: string;
  details: DbJson;
  created_at: Date;
}

export interface TrackingSubscriptionsTable {
  tenant_id: string;
  tracking_number: string;
  shipment_id: string | null;
  status: string;
  fallback: DbBool;
  subscribed_at: Date;
  expires_at: Date;
  renew_failures: number;
  last_error: DbText | null;
  updated_at: Date;
}

export interface TrackingEventsTable {
  tenant_id: string;
  id: string;
  tracking_number: string;
  gmt_date: string;
  gmt_time: string;
  status_code: string;
  status_type: string;
  status: string;
  shipment_id: string | null;
  description: string | null;
  occurred_at: Date;
  location: DbJson;
  local_date: string | null;
  local_time: string | null;
  scheduled_delivery_date: string | null;
  actual_delivery_at: Date | null;
  source: string;
  received_at: Date;
}

export interface QuantumViewPagesTable {
  tenant_id: string;
  id: string;
  subscription_name: string;
  bookmark: string | null;
  raw: DbText;
  received_at: Date;
  processed_at: Date | null;
  error: DbText | null;
}

export interface WriteBacksTable {
  tenant_id: string;
  id: string;
  po_header_id: string;
  shipment_id: string | null;
  kind: string;
  change_key: string;
  method: string;
  state: string;
  attempts: number;
  payload: DbJson;
  result: DbJson;
  last_error: DbText | null;
  created_at: Date;
  completed_at: Date | null;
}

export interface WebhookCredentialsTable {
  tenant_id: string;
  id: string;
  kind: string;
  /** Vault output only. */
  sealed_secret: DbText;
  active: DbBool;
  created_at: Date;
  expires_at: Date | null;
}

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  seq: ColumnType<string | number | bigint, never, never>;
  at: Date;
  po_header_id: string | null;
  shipment_id: string | null;
  step: string;
  outcome: string;
  message: DbText | null;
  correlation_id: string | null;
  call_system: string | null;
  call: DbJson;
}

export interface JobsTable {
  tenant_id: string;
  id: string;
  kind: string;
  dedupe_key: string | null;
  payload: DbJson;
  state: string;
  attempts: number;
  run_at: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  last_error: DbText | null;
  created_at: Date;
  updated_at: Date;
}

export interface Database {
  tenants: TenantsTable;
  connections: ConnectionsTable;
  mapping_rules: MappingRulesTable;
  poll_watermarks: PollWatermarksTable;
  purchase_orders: PurchaseOrdersTable;
  shipments: ShipmentsTable;
  packages: PackagesTable;
  labels: LabelsTable;
  rate_quotes: RateQuotesTable;
  tracking_subscriptions: TrackingSubscriptionsTable;
  tracking_events: TrackingEventsTable;
  quantum_view_pages: QuantumViewPagesTable;
  write_backs: WriteBacksTable;
  webhook_credentials: WebhookCredentialsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
}
