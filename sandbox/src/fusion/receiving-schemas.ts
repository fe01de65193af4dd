/** Receiving: receipt/ASN requests (fusion.md §4) and the PO lifecycle views that show shipments. */
import type { Schema } from './schemas.js';

const s = 'string' as const;
const n = 'number' as const;
const i = 'integer' as const;
const d = 'date' as const;
const dt = 'datetime' as const;
const who: Schema = { CreationDate: dt, CreatedBy: s, LastUpdateDate: dt, LastUpdatedBy: s };

export const RECEIPT_REQUEST_SCHEMA: Schema = {
  HeaderInterfaceId: i,
  ASNType: s,
  ReceiptSourceCode: s,
  ShipmentNumber: s,
  ReceiptNumber: s,
  ReceiptHeaderId: i,
  TransactionDate: dt,
  ShippedDate: dt,
  ExpectedReceiptDate: dt,
  VendorId: i,
  VendorName: s,
  VendorNumber: s,
  VendorSiteId: i,
  VendorSiteCode: s,
  BusinessUnitId: i,
  BusinessUnit: s,
  OrganizationCode: s,
  FreightCarrierId: i,
  FreightCarrierName: s,
  WaybillAirbillNumber: s,
  PackingSlip: s,
  BillOfLading: s,
  NumOfContainers: i,
  Comments: s,
  ProcessingStatusCode: s,
  ...who,
};

export const RECEIPT_REQUEST_LINE_SCHEMA: Schema = {
  InterfaceTransactionId: i,
  HeaderInterfaceId: i,
  TransactionType: s,
  AutoTransactCode: s,
  SourceDocumentCode: s,
  DocumentNumber: s,
  DocumentLineNumber: i,
  DocumentShipmentLineNumber: i,
  DocumentDistributionNumber: i,
  POHeaderId: i,
  POLineId: i,
  POLineLocationId: i,
  ItemNumber: s,
  ItemDescription: s,
  Quantity: n,
  UnitOfMeasure: s,
  UOMCode: s,
  SoldtoLegalEntity: s,
  OrganizationCode: s,
  ShipToLocationCode: s,
  ProcessingStatusCode: s,
  ...who,
};

export const RECEIPT_ERROR_SCHEMA: Schema = {
  InterfaceErrorId: i,
  HeaderInterfaceId: i,
  InterfaceTransactionId: i,
  ColumnName: s,
  ErrorMessage: s,
  ErrorMessageName: s,
};

export const LIFECYCLE_SCHEMA: Schema = {
  POHeaderId: i,
  OrderNumber: s,
  Status: s,
  StatusCode: s,
  Supplier: s,
  Ordered: n,
  CurrencyCode: s,
};

export const LIFECYCLE_SHIPMENT_SCHEMA: Schema = {
  ShipmentId: i,
  Shipment: s,
  POHeaderId: i,
  POLineId: i,
  LineNumber: i,
  LineLocationId: i,
  ScheduleNumber: i,
  Carrier: s,
  Tracking: s,
  ShippedDate: dt,
  ExpectedReceiptDate: dt,
  ShippedQuantity: n,
  UOM: s,
  ReceiptDate: dt,
  PackingSlip: s,
  BillOfLading: s,
};

export const LIFECYCLE_SCHEDULE_SCHEMA: Schema = {
  LineLocationId: i,
  POLineId: i,
  LineNumber: i,
  ScheduleNumber: i,
  Item: s,
  Description: s,
  Quantity: n,
  UOM: s,
  StatusCode: s,
  RequestedDeliveryDate: d,
};
