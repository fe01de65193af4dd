/**
 * A Fusion purchase order as this client returns it: Fusion's words (POHeaderId, LineLocationId, DFF),
 * typed, with ids as strings (Fusion ids are int64 and exceed 2^53 on real pods), and with the links the
 * write-back needs later. The pipeline maps this onto its own `PurchaseOrder`.
 */

/** One row of the changed-PO poll: enough to deduplicate (POHeaderId + revision) and to order. */
export interface FusionPoSummary {
  poHeaderId: string;
  orderNumber: string;
  revision: number;
  statusCode: string;
  lastUpdateDate: Date;
}

export interface FusionPoPage {
  items: FusionPoSummary[];
  hasMore: boolean;
  /** Offset of this page; the next page starts at offset + items.length. */
  offset: number;
}

export interface FusionFlexfield {
  /** `__FLEX_Context` (the DFF context code), when set. */
  context?: string;
  /** Segment values by API name; the connector's configuration says which segment means what. */
  segments: Record<string, string | number | boolean | null>;
}

export interface FusionPoDistribution {
  distributionId: string;
  distributionNumber?: number;
  quantity?: number;
  /** Concatenated charge account as Fusion shows it, e.g. "01-510-7530-0000-000". */
  chargeAccount?: string;
  /** The charge account split by the configured delimiter. */
  chargeAccountSegments: string[];
  deliverToLocationId?: string;
  requester?: string;
  selfHref?: string;
}

export interface FusionPoSchedule {
  lineLocationId: string;
  scheduleNumber?: number;
  quantity: number;
  quantityReceived?: number;
  statusCode?: string;
  shipToOrganizationId?: string;
  shipToOrganizationCode?: string;
  shipToLocationId?: string;
  shipToLocationCode?: string;
  destinationTypeCode?: string;
  requestedDeliveryDate?: string;
  promisedDeliveryDate?: string;
  carrier?: string;
  shippingMethod?: string;
  modeOfTransport?: string;
  serviceLevel?: string;
  distributions: FusionPoDistribution[];
  selfHref?: string;
}

export interface FusionPoLine {
  poLineId: string;
  lineNumber: number;
  itemId?: string;
  itemNumber?: string;
  description?: string;
  quantity: number;
  uomCode?: string;
  uom?: string;
  statusCode?: string;
  schedules: FusionPoSchedule[];
  selfHref?: string;
}

export interface FusionPurchaseOrder {
  poHeaderId: string;
  orderNumber: string;
  /** `Revision` (change-order revision; 0 for the original). */
  revision: number;
  statusCode: string;
  status?: string;
  frozen: boolean;
  supplierId?: string;
  supplier?: string;
  supplierSiteId?: string;
  supplierSite?: string;
  buyerId?: string;
  buyer?: string;
  buyerEmail?: string;
  procurementBuId?: string;
  procurementBu?: string;
  requisitioningBu?: string;
  billToBu?: string;
  soldToLegalEntity?: string;
  /** Header default ship-to; schedules may override. */
  shipToLocationId?: string;
  shipToLocationCode?: string;
  /** Fusion's one-line formatted address (not usable for a label, kept for display). */
  shipToLocationAddress?: string;
  carrier?: string;
  shippingMethod?: string;
  modeOfTransport?: string;
  serviceLevel?: string;
  currencyCode?: string;
  description?: string;
  lastUpdateDate: Date;
  creationDate?: Date;
  dff: FusionFlexfield;
  lines: FusionPoLine[];
  /** Every distinct ship-to location id on the header and the schedules. */
  shipToLocationIds: string[];
  links: { self?: string; dff?: string; attachments?: string; lines?: string };
}

export interface ItemPhysicalAttributes {
  itemId: string;
  itemNumber?: string;
  unitWeight?: { value: number; uom: string };
  dimensions?: { length: number; width: number; height: number; uom: string };
}

/** A shipment as the PO lifecycle shows it (`purchaseOrderLifeCycleDetails/{id}/child/shipments`). */
export interface FusionLifecycleShipment {
  shipmentId?: string;
  shipment?: string;
  carrier?: string;
  tracking?: string;
  shippedDate?: string;
  expectedReceiptDate?: string;
  shippedQuantity?: number;
  lineLocationId?: string;
}

/** A receipt/ASN request row (`receivingReceiptRequests`). */
export interface FusionReceiptRequest {
  headerInterfaceId: string;
  asnType?: string;
  shipmentNumber?: string;
  waybillAirbillNumber?: string;
  freightCarrierName?: string;
  expectedReceiptDate?: string;
  processingStatusCode?: string;
  selfHref?: string;
}
