/**
 * What the pipeline needs from the outside world, and nothing more. Steps and the runner are written
 * against these ports; `adapters/` maps the real Fusion client, UPS client, storage repositories and audit
 * log onto them, and unit tests use the in-memory fakes in `testing/`.
 *
 * Errors: a port signals failure by throwing an error with a `kind` of 'transient' | 'hard' | 'auth' |
 * 'in-doubt' (the same words as UpsError and FusionError), see failures.ts.
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import type { Money, PackageSpec, PostalAddress, WeightUnit, LengthUnit } from '../domain/types.js';
import type { ShipmentState } from '../domain/shipment-state.js';
import type { PoContext, PoState, StepName } from './po-context.js';

export interface Clock {
  now(): Date;
}

// ───────────────────────────── Fusion ─────────────────────────────

/** One row of the changed-PO listing: just enough to deduplicate and schedule. */
export interface PoSummary {
  poHeaderId: string;
  orderNumber: string;
  revision: number;
  lastUpdateDate: Date;
  statusCode: string;
}

export interface PoPage {
  items: PoSummary[];
  hasMore: boolean;
}

export interface PoDistribution {
  /** Concatenated charge account, e.g. "01-510-7530-0000-000". */
  chargeAccount?: string;
  quantity?: number;
}

export interface PoSchedule {
  lineLocationId: string;
  scheduleNumber?: number;
  quantity: number;
  shipToOrganizationCode?: string;
  shipToLocationId?: string;
  carrier?: string;
  shippingMethod?: string;
  /** Fusion ServiceLevelCode, e.g. "GND", "2DA". */
  serviceLevel?: string;
  distributions: PoDistribution[];
}

export interface PoLine {
  poLineId: string;
  lineNumber: number;
  itemNumber?: string;
  description?: string;
  quantity: number;
  uom?: string;
  statusCode?: string;
  /** Weight of one unit of the item, when the item master knows it. */
  unitWeight?: { value: number; unit: WeightUnit };
  unitDimensions?: { length: number; width: number; height: number; unit: LengthUnit };
  schedules: PoSchedule[];
}

/** A purchase order as the pipeline sees it (mapped from the Fusion client's richer type). */
export interface PurchaseOrder {
  poHeaderId: string;
  orderNumber: string;
  revision: number;
  statusCode: string;
  lastUpdateDate: Date;
  /** Fusion FrozenFlag: the PO takes no change orders. */
  frozen?: boolean;
  supplierId?: string;
  supplier?: string;
  supplierSiteId?: string;
  supplierSite?: string;
  carrier?: string;
  shippingMethod?: string;
  /** Fusion ServiceLevelCode on the header, e.g. "GND", "2DA". */
  serviceLevel?: string;
  shipToLocationId?: string;
  /** Header DFF segments by API name (e.g. { shipViaUps: 'Y' }). */
  flexfields: Record<string, unknown>;
  lines: PoLine[];
}

/** Enough to name a PO in a write (status writes may happen when the full PO could not be read). */
export type PoRef = Pick<PurchaseOrder, 'poHeaderId' | 'orderNumber' | 'revision'>;

export interface AsnRequest {
  po: PurchaseOrder;
  /** Our shipment reference; becomes the ASN ShipmentNumber so a retry can find the ASN. */
  shipmentNumber: string;
  trackingNumber: string;
  shippedDate: Date;
  lines: {
    poLineId: string;
    lineNumber: number;
    lineLocationId: string;
    scheduleNumber?: number;
    quantity: number;
    uom?: string;
    itemNumber?: string;
  }[];
}

export type PoStatusWrite =
  | { status: 'shipped'; trackingNumbers: string[] }
  | { status: 'address_needs_correction'; reason: string }
  | { status: 'failed'; reason: string };

/** Where the last page ended: the next page starts after this (LastUpdateDate, POHeaderId). */
export interface PollCursor {
  lastUpdateDate: Date;
  poHeaderId: string;
}

export interface PageRequest {
  after: PollCursor | null;
  offset: number;
  limit: number;
}

export interface FusionPort {
  /**
   * One page of OPEN POs with LastUpdateDate > since, ordered by LastUpdateDate, POHeaderId, starting
   * after `page.after` (keyset) and then skipping `page.offset` rows.
   */
  listChangedSince(since: Date, page: PageRequest): Promise<PoPage>;
  getPurchaseOrder(poHeaderId: string): Promise<PurchaseOrder>;
  getShipToAddress(locationId: string): Promise<PostalAddress | null>;
  getSupplierSiteAddress(supplierId: string, supplierSiteId: string): Promise<PostalAddress | null>;
  /** Looks for an ASN we posted before (by ShipmentNumber), so a retried write never posts twice. */
  findAsn(po: PurchaseOrder, shipmentNumber: string): Promise<boolean>;
  createAsn(request: AsnRequest): Promise<void>;
  /** Header DFF through a change order. Errors: code 'pending_change_order' (transient), 'frozen' | 'closed' (hard). */
  writeTrackingFlexfield(po: PurchaseOrder, trackingNumbers: string[]): Promise<void>;
  /** Adds a web-page attachment unless one with the same title exists. */
  addTrackingAttachment(po: PurchaseOrder, title: string, url: string): Promise<void>;
  writePoStatus(po: PoRef, status: PoStatusWrite): Promise<void>;
}

// ───────────────────────────── UPS ─────────────────────────────

export interface UpsAccount {
  shipperNumber: string;
  merchantId?: string;
}

export type AddressValidation =
  | { result: 'valid'; address: PostalAddress; residential?: boolean }
  | { result: 'ambiguous'; candidates: PostalAddress[] }
  | { result: 'no_candidates' }
  /** XAV covers street level only for US and PR; elsewhere the address is used as given. */
  | { result: 'unsupported' };

export interface RateQuery {
  account: UpsAccount;
  mode: 'rate' | 'shop';
  serviceCode: string;
  shipper: PostalAddress;
  shipFrom: PostalAddress;
  shipTo: PostalAddress;
  packages: PackageSpec[];
  customerContext: string;
}

export interface RateQuote {
  serviceCode: string;
  total: Money;
  negotiated?: Money;
  alerts?: string[];
}

export interface ShipOrder {
  account: UpsAccount;
  serviceCode: string;
  labelFormat: 'GIF' | 'ZPL' | 'EPL' | 'SPL';
  shipper: PostalAddress;
  shipFrom: PostalAddress;
  shipTo: PostalAddress;
  packages: PackageSpec[];
  /** Intent id, sent as TransactionReference.CustomerContext. */
  customerContext: string;
  description?: string;
}

export interface LabelImage {
  trackingNumber: string;
  format: string;
  /** Base64 image as UPS sent it. */
  graphicImage: string;
}

export interface ShipResult {
  shipmentIdentificationNumber: string;
  trackingNumbers: string[];
  labels: LabelImage[];
  charges?: Money;
}

export interface ReferencedPackage {
  trackingNumber: string;
  voided: boolean;
}

export interface RecoveredLabel {
  /** null when UPS's answer does not name the shipment (the package cannot be grouped with its siblings). */
  shipmentIdentificationNumber: string | null;
  label: LabelImage;
}

export interface UpsPort {
  validateAddress(account: UpsAccount, address: PostalAddress): Promise<AddressValidation>;
  rate(query: RateQuery): Promise<RateQuote[]>;
  /** Throws kind 'in-doubt' when the request may have reached UPS, 'hard' when UPS rejected it. */
  ship(order: ShipOrder): Promise<ShipResult>;
  void(account: UpsAccount, shipmentIdentificationNumber: string): Promise<void>;
  /** Packages whose reference numbers include `reference` (tracking by reference). */
  findByReference(account: UpsAccount, reference: string): Promise<ReferencedPackage[]>;
  recoverLabel(
    account: UpsAccount,
    trackingNumber: string,
    labelFormat?: 'GIF' | 'ZPL',
  ): Promise<RecoveredLabel | null>;
  /**
   * Label recovery by reference (ReferenceValues + ShipperNumber): a second index, consulted before an
   * intent may count as absent at UPS. null when UPS has no label under that reference.
   */
  recoverByReference(
    account: UpsAccount,
    reference: string,
    labelFormat?: 'GIF' | 'ZPL',
  ): Promise<RecoveredShipment | null>;
}

export interface RecoveredShipment {
  shipmentIdentificationNumber: string | null;
  trackingNumbers: string[];
  labels: LabelImage[];
}

// ───────────────────────────── storage ─────────────────────────────

/** The pipeline's record of one purchase order (one row per tenant + POHeaderId). */
export interface PoRecord {
  tenantId: string;
  poHeaderId: string;
  orderNumber: string;
  revision: number;
  lastUpdateDate: Date;
  state: PoState;
  step: StepName;
  reason: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  context: PoContext;
}

export interface PoStore {
  get(tenantId: string, poHeaderId: string): Promise<PoRecord | null>;
  /** Inserts or replaces the record (keyed by tenant + POHeaderId). */
  save(record: PoRecord): Promise<void>;
  /** POs in state pending or retrying whose nextAttemptAt is null or ≤ now, oldest first. */
  listDue(tenantId: string, now: Date, limit: number): Promise<PoRecord[]>;
}

export interface WatermarkStore {
  get(tenantId: string): Promise<Date | null>;
  set(tenantId: string, at: Date): Promise<void>;
}

export interface ShipmentRecord {
  id: string;
  tenantId: string;
  poHeaderId: string;
  revision: number;
  packageSetHash: string;
  state: ShipmentState;
  /** Set when state moved to in_doubt or submitting; drives the confirmation window. */
  stateChangedAt: Date;
  shipmentIdentificationNumber: string | null;
  trackingNumbers: string[];
  /** The intent this row duplicates (a second label found during recovery). */
  duplicateOf: string | null;
}

export interface ShipmentStore {
  /** Shipment rows of one PO, oldest first. */
  listForPo(tenantId: string, poHeaderId: string): Promise<ShipmentRecord[]>;
  get(tenantId: string, id: string): Promise<ShipmentRecord | null>;
  createIntent(intent: {
    tenantId: string;
    poHeaderId: string;
    revision: number;
    packageSetHash: string;
  }): Promise<ShipmentRecord>;
  /** Conditional move (fails when the row is no longer in `from`), so two workers never both move it. */
  transition(
    tenantId: string,
    id: string,
    from: ShipmentState,
    to: ShipmentState,
    detail?: { reason?: string },
  ): Promise<void>;
  /** submitting|in_doubt → shipped, storing tracking numbers and labels in the same transaction. */
  recordShipped(tenantId: string, id: string, from: ShipmentState, result: ShipResult): Promise<void>;
  /** A second label found for an intent: stored in void_requested so it is voided and never lost. */
  recordDuplicate(
    tenantId: string,
    ofId: string,
    shipmentIdentificationNumber: string,
    trackingNumbers: string[],
  ): Promise<ShipmentRecord>;
  listInState(tenantId: string, states: ShipmentState[]): Promise<ShipmentRecord[]>;
}

export interface RateStore {
  saveQuote(
    tenantId: string,
    quote: { poHeaderId: string; revision: number; packageSetHash: string; quote: RateQuote },
  ): Promise<void>;
}

export type WriteBackKind = 'asn' | 'flexfield' | 'attachment' | 'status';

/** One write to Fusion, identified so it happens at most once: (PO, kind, change key). */
export interface WriteBackKey {
  poHeaderId: string;
  shipmentId: string | null;
  kind: WriteBackKind;
  /** The shipment id for tracking writes; "<revision>:<status>" for flag statuses. */
  changeKey: string;
}

export interface WriteBackStore {
  /** Records the write as pending unless known; returns what was known before ('new' when nothing). */
  begin(tenantId: string, key: WriteBackKey): Promise<'new' | 'pending' | 'done'>;
  finish(tenantId: string, key: WriteBackKey): Promise<void>;
}

/** Short leases so several instances never work the same PO (or poll the same tenant) at once. */
export interface LeaseStore {
  tryAcquire(tenantId: string, name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(tenantId: string, name: string, owner: string): Promise<void>;
}

export interface AuditPort {
  record(entry: AuditEntry): Promise<void>;
}
