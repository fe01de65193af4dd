/**
 * The tracking number's native home in Fusion (fusion.md §4): an advance shipment notice created through
 * `receivingReceiptRequests` (ASNType ASN, carrier, WaybillAirbillNumber = tracking number, ShippedDate,
 * ExpectedReceiptDate, one SHIP line per PO schedule). It shows in the PO lifecycle's `shipments`.
 *
 * Exactly once: before posting, the ASN is looked up among the receipt requests (our ShipmentNumber or
 * the waybill; rows stay there until processed, failed ones for good) and among the PO lifecycle
 * shipments (processed ones). A POST is never retried blindly (rest-client), so a lost answer is resolved
 * by the next attempt's look-up.
 */
import { q } from '../adf-query.js';
import { isFusionError } from '../errors.js';
import { asCollection, selfHref, type JsonObject } from '../links.js';
import { num, str } from '../po-mapper.js';
import { numericId } from '../purchase-orders.js';
import { ITEM_JSON, type FusionRestClient } from '../rest-client.js';
import type { FusionLifecycleShipment, FusionPurchaseOrder, FusionReceiptRequest } from '../types.js';

export interface AsnLine {
  poLineId: string;
  lineNumber: number;
  lineLocationId: string;
  scheduleNumber?: number;
  quantity: number;
  uomCode?: string;
  uom?: string;
  itemNumber?: string;
}

export interface AsnInput {
  po: Pick<
    FusionPurchaseOrder,
    'poHeaderId' | 'orderNumber' | 'supplierId' | 'supplierSiteId' | 'procurementBu'
  >;
  /** Our unique reference for this shipment; becomes ShipmentNumber (≤30 characters). */
  shipmentNumber: string;
  trackingNumber: string;
  shippedDate: Date;
  expectedReceiptDate?: Date;
  lines: AsnLine[];
  /** Default "UPS"; must match a carrier defined in Fusion. */
  carrierName?: string;
  /** Receiving organisation (ship-to organisation code of the schedules), when known. */
  organizationCode?: string;
  packingSlip?: string;
  comments?: string;
}

const CLOSED_SCHEDULE = /CLOSED|CANCEL|FINALLY/i;

/** One SHIP line per open schedule, for the quantity still to be received. */
export function asnLinesFromPo(po: FusionPurchaseOrder): AsnLine[] {
  const out: AsnLine[] = [];
  for (const line of po.lines) {
    if (line.statusCode && CLOSED_SCHEDULE.test(line.statusCode)) continue;
    for (const s of line.schedules) {
      if (s.statusCode && CLOSED_SCHEDULE.test(s.statusCode)) continue;
      const quantity = s.quantity - (s.quantityReceived ?? 0);
      if (quantity <= 0) continue;
      out.push({
        poLineId: line.poLineId,
        lineNumber: line.lineNumber,
        lineLocationId: s.lineLocationId,
        scheduleNumber: s.scheduleNumber,
        quantity,
        uomCode: line.uomCode,
        uom: line.uom,
        itemNumber: line.itemNumber,
      });
    }
  }
  return out;
}

const idValue = (v: string | undefined) => (v && /^\d{1,15}$/.test(v) ? Number(v) : v);

/** The POST body for `receivingReceiptRequests` (pure; snapshot-tested). */
export function buildAsnRequest(input: AsnInput): JsonObject {
  if (!input.trackingNumber.trim()) throw new Error('an ASN needs a tracking number');
  if (!input.shipmentNumber.trim() || input.shipmentNumber.length > 30) {
    throw new Error(`ShipmentNumber must be 1–30 characters: "${input.shipmentNumber}"`);
  }
  if (input.lines.length === 0)
    throw new Error(`PO ${input.po.orderNumber}: no open schedule to put on the ASN`);
  const header: JsonObject = {
    ASNType: 'ASN',
    ReceiptSourceCode: 'SUPPLIER',
    ShipmentNumber: input.shipmentNumber,
    FreightCarrierName: input.carrierName ?? 'UPS',
    WaybillAirbillNumber: input.trackingNumber.trim(),
    ShippedDate: input.shippedDate.toISOString(),
  };
  if (input.expectedReceiptDate) header.ExpectedReceiptDate = input.expectedReceiptDate.toISOString();
  if (input.po.supplierId) header.VendorId = idValue(input.po.supplierId);
  if (input.po.supplierSiteId) header.VendorSiteId = idValue(input.po.supplierSiteId);
  if (input.po.procurementBu) header.BusinessUnit = input.po.procurementBu;
  if (input.organizationCode) header.OrganizationCode = input.organizationCode;
  if (input.packingSlip) header.PackingSlip = input.packingSlip;
  if (input.comments) header.Comments = input.comments.slice(0, 240);
  header.lines = input.lines.map((l) => {
    if (!(l.quantity > 0)) throw new Error(`ASN line ${l.lineNumber}: quantity must be positive`);
    const line: JsonObject = {
      TransactionType: 'SHIP',
      AutoTransactCode: 'SHIP',
      SourceDocumentCode: 'PO',
      DocumentNumber: input.po.orderNumber,
      DocumentLineNumber: l.lineNumber,
      POHeaderId: idValue(input.po.poHeaderId),
      POLineId: idValue(l.poLineId),
      POLineLocationId: idValue(l.lineLocationId),
      Quantity: l.quantity,
    };
    if (l.scheduleNumber !== undefined) line.DocumentShipmentLineNumber = l.scheduleNumber;
    if (l.itemNumber) line.ItemNumber = l.itemNumber;
    if (l.uomCode) line.UOMCode = l.uomCode;
    if (l.uom) line.UnitOfMeasure = l.uom;
    if (input.organizationCode) line.OrganizationCode = input.organizationCode;
    return line;
  });
  return header;
}

export function mapReceiptRequest(row: JsonObject): FusionReceiptRequest | null {
  const headerInterfaceId = str(row.HeaderInterfaceId);
  if (!headerInterfaceId) return null;
  return {
    headerInterfaceId,
    asnType: str(row.ASNType),
    shipmentNumber: str(row.ShipmentNumber),
    waybillAirbillNumber: str(row.WaybillAirbillNumber),
    freightCarrierName: str(row.FreightCarrierName),
    expectedReceiptDate: str(row.ExpectedReceiptDate),
    processingStatusCode: str(row.ProcessingStatusCode),
    selfHref: selfHref(row),
  };
}

export function mapLifecycleShipment(row: JsonObject): FusionLifecycleShipment {
  return {
    shipmentId: str(row.ShipmentId),
    shipment: str(row.Shipment),
    carrier: str(row.Carrier),
    tracking: str(row.Tracking),
    shippedDate: str(row.ShippedDate),
    expectedReceiptDate: str(row.ExpectedReceiptDate),
    shippedQuantity: num(row.ShippedQuantity),
    lineLocationId: str(row.LineLocationId),
  };
}

const sameWaybill = (a: string | undefined, b: string) =>
  !!a && a.trim().toUpperCase() === b.trim().toUpperCase();

/** Receipt requests carrying our ShipmentNumber or the tracking number. */
export async function findReceiptRequests(
  rest: FusionRestClient,
  ref: { shipmentNumber?: string; trackingNumber?: string },
): Promise<FusionReceiptRequest[]> {
  const conditions = [];
  if (ref.shipmentNumber) conditions.push(q.eq('ShipmentNumber', ref.shipmentNumber));
  if (ref.trackingNumber) conditions.push(q.eq('WaybillAirbillNumber', ref.trackingNumber.trim()));
  if (conditions.length === 0) return [];
  const { body } = await rest.request({
    method: 'GET',
    path: 'receivingReceiptRequests',
    query: {
      q: q.or(...conditions),
      fields: [
        'HeaderInterfaceId',
        'ASNType',
        'ShipmentNumber',
        'WaybillAirbillNumber',
        'FreightCarrierName',
        'ExpectedReceiptDate',
        'ProcessingStatusCode',
      ],
      limit: 25,
    },
    operation: 'find ASN requests',
  });
  return asCollection(body)
    .items.map(mapReceiptRequest)
    .filter((r): r is FusionReceiptRequest => r !== null);
}

/** Shipments of the PO as its lifecycle shows them; empty when the lifecycle is not (yet) available. */
export async function getLifecycleShipments(
  rest: FusionRestClient,
  poHeaderId: string,
): Promise<FusionLifecycleShipment[]> {
  const id = numericId(poHeaderId, 'POHeaderId');
  try {
    const { body } = await rest.request({
      method: 'GET',
      // The lifecycle has no collection GET; Oracle documents access by POHeaderId (fusion.md §4, S25).
      path: `purchaseOrderLifeCycleDetails/${id}/child/shipments`,
      query: { onlyData: true, limit: 500 },
      operation: 'get PO lifecycle shipments',
    });
    return asCollection(body).items.map(mapLifecycleShipment);
  } catch (e) {
    if (isFusionError(e, 'not-found')) return [];
    throw e;
  }
}

export type ExistingAsn =
  | { source: 'request'; request: FusionReceiptRequest }
  | { source: 'lifecycle'; shipment: FusionLifecycleShipment };

/** Our ASN for this PO, by ShipmentNumber or (when given) tracking number, pending or processed. */
export async function findExistingAsn(
  rest: FusionRestClient,
  poHeaderId: string,
  ref: { shipmentNumber: string; trackingNumber?: string },
): Promise<ExistingAsn | null> {
  const requests = await findReceiptRequests(rest, ref);
  const request = requests.find(
    (r) =>
      r.shipmentNumber === ref.shipmentNumber ||
      (ref.trackingNumber !== undefined && sameWaybill(r.waybillAirbillNumber, ref.trackingNumber)),
  );
  if (request) return { source: 'request', request };
  const tracking = ref.trackingNumber;
  if (tracking === undefined) return null;
  const shipment = (await getLifecycleShipments(rest, poHeaderId)).find((s) =>
    sameWaybill(s.tracking, tracking),
  );
  return shipment ? { source: 'lifecycle', shipment } : null;
}

export interface AsnResult {
  created: boolean;
  headerInterfaceId?: string;
  /** What was found instead of creating (a retry after a lost answer, or an earlier run). */
  existing?: ExistingAsn;
}

export async function createAsn(rest: FusionRestClient, input: AsnInput): Promise<AsnResult> {
  const body = buildAsnRequest(input);
  const existing = await findExistingAsn(rest, input.po.poHeaderId, input);
  if (existing) {
    return {
      created: false,
      existing,
      headerInterfaceId: existing.source === 'request' ? existing.request.headerInterfaceId : undefined,
    };
  }
  const { body: created } = await rest.request<JsonObject>({
    method: 'POST',
    path: 'receivingReceiptRequests',
    body,
    contentType: ITEM_JSON,
    operation: 'create ASN',
  });
  return { created: true, headerInterfaceId: str(created?.HeaderInterfaceId) };
}

/** Moves the expected receipt date of our pending ASN request; false when there is none to update. */
export async function updateAsnExpectedReceipt(
  rest: FusionRestClient,
  trackingNumber: string,
  expectedReceiptDate: Date,
): Promise<boolean> {
  const request = (await findReceiptRequests(rest, { trackingNumber })).find((r) =>
    sameWaybill(r.waybillAirbillNumber, trackingNumber),
  );
  if (!request?.selfHref) return false;
  await rest.request({
    method: 'PATCH',
    path: request.selfHref,
    body: { ExpectedReceiptDate: expectedReceiptDate.toISOString() },
    contentType: ITEM_JSON,
    operation: 'update ASN expected receipt date',
  });
  return true;
}
