/**
 * The Fusion client facade: everything the pipeline and tracking steps need from Oracle Fusion, over one
 * REST client (auth, pinned framework version, retries, call reports). Knows Fusion, nothing of ours.
 */
import type { ExternalCall } from '../audit/audit-entry.js';
import type { PostalAddress } from '../domain/types.js';
import { Addresses, LOCATIONS_PATH } from './addresses.js';
import { createAuthProvider, type FusionAuthConfig } from './auth.js';
import {
  DEFAULT_DIAGNOSE_WRITE_BACK,
  diagnose,
  type DiagnoseWriteBack,
  type DiagnosticCheck,
} from './diagnose.js';
import { PurchaseOrders, type ChangedSinceOptions } from './purchase-orders.js';
import { FusionRestClient, type RetryEvent, type RetryOptions } from './rest-client.js';
import type {
  FusionLifecycleShipment,
  FusionPoPage,
  FusionPurchaseOrder,
  ItemPhysicalAttributes,
} from './types.js';
import { addAttachment, type AttachmentResult, type AttachmentSpec } from './write-back/attachment.js';
import {
  asnLinesFromPo,
  createAsn,
  findExistingAsn,
  getLifecycleShipments,
  type AsnInput,
  type AsnLine,
  type AsnResult,
  type ExistingAsn,
} from './write-back/asn.js';
import type { ChangeOrderOptions, ChangeOrderResult } from './write-back/change-order.js';
import { writeHeaderFlexfield, type FlexfieldChange } from './write-back/flexfield-change-order.js';
import { writePoStatus, type StatusWriteResult, type WriteStatusInput } from './write-back/status.js';

export interface FusionClientOptions {
  /** https://<pod>.fa.<dc>.oraclecloud.com (a sandbox URL on loopback in tests). */
  baseUrl: string;
  auth: FusionAuthConfig;
  /** Defaults to 4; see rest-client.ts for why. */
  restFrameworkVersion?: number;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onCall?: (call: ExternalCall) => void;
  onRetry?: (event: RetryEvent) => void;
  fetch?: typeof fetch;
  now?: () => number;
  addressCacheTtlMs?: number;
  /** Delimiter of the concatenated charge account; default "-". */
  chargeAccountDelimiter?: string;
  locationsPath?: string;
}

export interface FusionClient {
  readonly rest: FusionRestClient;
  listChangedSince(options: ChangedSinceOptions): Promise<FusionPoPage>;
  iterateChangedSince(options: ChangedSinceOptions & { maxPages?: number }): AsyncGenerator<FusionPoPage>;
  getPurchaseOrder(poHeaderId: string): Promise<FusionPurchaseOrder>;
  getItemPhysicalAttributes(itemId: string, organizationId?: string): Promise<ItemPhysicalAttributes | null>;
  getShipToAddress(locationId: string): Promise<PostalAddress | null>;
  getSupplierSiteAddress(supplierId: string, supplierSiteId: string): Promise<PostalAddress | null>;
  asnLinesFromPo(po: FusionPurchaseOrder): AsnLine[];
  findExistingAsn(
    poHeaderId: string,
    ref: { shipmentNumber: string; trackingNumber?: string },
  ): Promise<ExistingAsn | null>;
  /** Looks the ASN up first; creates it only when none exists (see write-back/asn.ts). */
  createAsn(input: AsnInput): Promise<AsnResult>;
  getLifecycleShipments(poHeaderId: string): Promise<FusionLifecycleShipment[]>;
  writeHeaderFlexfield(
    poHeaderId: string,
    change: FlexfieldChange,
    options?: ChangeOrderOptions,
  ): Promise<ChangeOrderResult>;
  addAttachment(
    po: Pick<FusionPurchaseOrder, 'poHeaderId' | 'links'>,
    spec: AttachmentSpec,
    options?: ChangeOrderOptions,
  ): Promise<AttachmentResult>;
  writePoStatus(input: WriteStatusInput): Promise<StatusWriteResult>;
  /** `doctor`'s checks; only the write-back checks of `writeBack` (default: the configuration default) run. */
  diagnose(writeBack?: DiagnoseWriteBack): Promise<DiagnosticCheck[]>;
  clearCaches(): void;
}

/** The public UPS tracking page for a tracking number (for the attachment write-back). */
export const upsTrackingUrl = (trackingNumber: string) =>
  `https://www.ups.com/track?loc=en_US&tracknum=${encodeURIComponent(trackingNumber.trim())}`;

export function createFusionClient(options: FusionClientOptions): FusionClient {
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const auth = createAuthProvider(options.auth, { fetch: fetchImpl, now, timeoutMs, onCall: options.onCall });
  const rest = new FusionRestClient({
    baseUrl: options.baseUrl,
    auth,
    restFrameworkVersion: options.restFrameworkVersion,
    timeoutMs,
    retry: options.retry,
    onCall: options.onCall,
    onRetry: options.onRetry,
    fetch: fetchImpl,
    now,
  });
  const pos = new PurchaseOrders(rest, { chargeAccountDelimiter: options.chargeAccountDelimiter });
  const locationsPath = options.locationsPath ?? LOCATIONS_PATH;
  const addresses = new Addresses(rest, { ttlMs: options.addressCacheTtlMs, now, locationsPath });

  return {
    rest,
    listChangedSince: (o) => pos.listChangedSince(o),
    iterateChangedSince: (o) => pos.iterateChangedSince(o),
    getPurchaseOrder: (id) => pos.getPurchaseOrder(id),
    getItemPhysicalAttributes: (itemId, orgId) => pos.getItemPhysicalAttributes(itemId, orgId),
    getShipToAddress: (id) => addresses.getShipToAddress(id),
    getSupplierSiteAddress: (supplierId, siteId) => addresses.getSupplierSiteAddress(supplierId, siteId),
    asnLinesFromPo,
    findExistingAsn: (poHeaderId, ref) => findExistingAsn(rest, poHeaderId, ref),
    createAsn: (input) => createAsn(rest, input),
    getLifecycleShipments: (poHeaderId) => getLifecycleShipments(rest, poHeaderId),
    writeHeaderFlexfield: (poHeaderId, change, o) => writeHeaderFlexfield(rest, poHeaderId, change, o),
    addAttachment: (po, spec, o) => addAttachment(rest, po.poHeaderId, po.links.attachments, spec, o),
    writePoStatus: (input) => writePoStatus(rest, input),
    diagnose: (writeBack = DEFAULT_DIAGNOSE_WRITE_BACK) =>
      diagnose(rest, auth, {
        locationsPath,
        writeBack,
        supplierSiteAddress: (supplierId, siteId) => addresses.getSupplierSiteAddress(supplierId, siteId),
      }),
    clearCaches: () => addresses.clearCache(),
  };
}
