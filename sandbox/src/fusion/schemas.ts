/**
 * Attribute names and types of the Fusion REST resources the sandbox serves. Names follow Oracle's REST
 * attribute names (research/fusion.md §2.3, §3.3, §4); the types drive `q` type checking, `orderBy`
 * comparison, `fields` validation and `describe`.
 */
export type AttrType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime';
export type Schema = Record<string, AttrType>;
export type Scalar = string | number | boolean | null;
/** Rows are open records; a missing attribute reads as undefined and renders as null. */
export type Row = Record<string, Scalar | undefined>;

const s = 'string' as const;
const n = 'number' as const;
const i = 'integer' as const;
const b = 'boolean' as const;
const d = 'date' as const;
const dt = 'datetime' as const;

const who: Schema = { CreationDate: dt, CreatedBy: s, LastUpdateDate: dt, LastUpdatedBy: s };

export const PO_HEADER_SCHEMA: Schema = {
  POHeaderId: i,
  OrderNumber: s,
  SoldToLegalEntityId: i,
  SoldToLegalEntity: s,
  StatusCode: s,
  Status: s,
  ProcurementBUId: i,
  ProcurementBU: s,
  RequisitioningBUId: i,
  RequisitioningBU: s,
  BillToBUId: i,
  BillToBU: s,
  Revision: n,
  BuyerId: i,
  Buyer: s,
  BuyerDisplayName: s,
  BuyerEmail: s,
  CurrencyCode: s,
  Currency: s,
  Description: s,
  SupplierId: i,
  Supplier: s,
  SupplierSiteId: i,
  SupplierSite: s,
  SupplierContactId: i,
  SupplierContact: s,
  PaymentTermsId: i,
  PaymentTerms: s,
  BillToLocationId: i,
  BillToLocation: s,
  BillToLocationAddress: s,
  ShipToLocationId: i,
  ShipToLocationCode: s,
  ShipToLocationAddress: s,
  CarrierId: i,
  Carrier: s,
  ModeOfTransportCode: s,
  ModeOfTransport: s,
  ServiceLevelCode: s,
  ServiceLevel: s,
  ShippingMethod: s,
  FreightTermsCode: s,
  FreightTerms: s,
  FOBCode: s,
  FOB: s,
  NoteToSupplier: s,
  NoteToReceiver: s,
  SupplierOrder: s,
  RequiredAcknowledgmentCode: s,
  RequiredAcknowledgment: s,
  AcknowledgmentDueDate: d,
  AcknowledgmentWithinDays: i,
  SupplierCommunicationMethod: s,
  SupplierEmailAddress: s,
  PayOnReceiptFlag: b,
  ConfirmingOrderFlag: b,
  BuyerManagedTransportFlag: b,
  Ordered: n,
  TotalTax: n,
  Total: n,
  DocumentStyleId: i,
  DocumentStyle: s,
  PurchaseBasis: s,
  RequesterId: i,
  RequesterDisplayName: s,
  OrderDate: dt,
  FrozenFlag: b,
  ...who,
};

/** Header attributes a PATCH on draftPurchaseOrders may change on an open PO (25A list, fusion.md §3.2). */
export const PATCHABLE_ON_OPEN_PO = new Set([
  'Description',
  'RequiredAcknowledgmentCode',
  'AcknowledgmentWithinDays',
  'SupplierCommunicationMethod',
  'SupplierEmailAddress',
  'ShipToLocationId',
  'ShipToLocationCode',
  'BillToLocationId',
  'BuyerId',
  'BuyerEmail',
  'PayOnReceiptFlag',
  'PaymentTermsId',
  'PaymentTerms',
  'FreightTermsCode',
  'FreightTerms',
  'FOBCode',
  'FOB',
  'CarrierId',
  'Carrier',
  'ModeOfTransportCode',
  'ModeOfTransport',
  'ServiceLevelCode',
  'ServiceLevel',
  'NoteToReceiver',
  'NoteToSupplier',
  'SupplierOrder',
  'ConfirmingOrderFlag',
]);
/** Draft-only (never-approved POs): currency and conversion-rate fields as well. */
export const PATCHABLE_ON_DRAFT_ONLY = new Set(['CurrencyCode', 'ConversionRate', 'ConversionRateType']);

export const DRAFT_PO_SCHEMA: Schema = {
  ...PO_HEADER_SCHEMA,
  ChangeOrderDescription: s,
  ChangeOrderStatusCode: s,
  ChangeOrderInitiatingParty: s,
};

export const PO_LINE_SCHEMA: Schema = {
  POLineId: i,
  LineNumber: i,
  POHeaderId: i,
  OrderNumber: s,
  LineTypeId: i,
  LineType: s,
  ItemId: i,
  Item: s,
  ItemRevision: s,
  Description: s,
  CategoryId: i,
  Category: s,
  Quantity: n,
  UOMCode: s,
  UOM: s,
  Price: n,
  Ordered: n,
  TotalTax: n,
  Total: n,
  CurrencyCode: s,
  StatusCode: s,
  Status: s,
  SupplierItem: s,
  UNNumber: s,
  HazardClass: s,
  ...who,
};

export const PO_SCHEDULE_SCHEMA: Schema = {
  LineLocationId: i,
  ScheduleNumber: i,
  POLineId: i,
  POHeaderId: i,
  LineNumber: i,
  StatusCode: s,
  Status: s,
  Quantity: n,
  Ordered: n,
  ShipToOrganizationId: i,
  ShipToOrganizationCode: s,
  ShipToOrganization: s,
  ShipToLocationId: i,
  ShipToLocationCode: s,
  ShipToLocation: s,
  DestinationTypeCode: s,
  DestinationType: s,
  RequestedDeliveryDate: d,
  PromisedDeliveryDate: d,
  RequestedShipDate: d,
  PromisedShipDate: d,
  CarrierId: i,
  Carrier: s,
  ModeOfTransportCode: s,
  ModeOfTransport: s,
  ServiceLevelCode: s,
  ServiceLevel: s,
  ShippingMethod: s,
  CountryOfOriginCode: s,
  QuantityReceived: n,
  QuantityAccepted: n,
  QuantityRejected: n,
  QuantityBilled: n,
  ...who,
};

export const PO_DISTRIBUTION_SCHEMA: Schema = {
  PODistributionId: i,
  DistributionNumber: i,
  POHeaderId: i,
  POLineId: i,
  LineLocationId: i,
  Quantity: n,
  Ordered: n,
  UOMCode: s,
  DeliverToLocationId: i,
  DeliverToLocationCode: s,
  RequesterId: i,
  Requester: s,
  POChargeAccountId: i,
  POChargeAccount: s,
  DestinationChargeAccountId: i,
  DestinationChargeAccount: s,
  Percent: n,
  ...who,
};

export const ATTACHMENT_SCHEMA: Schema = {
  AttachedDocumentId: i,
  DatatypeCode: s,
  FileName: s,
  DmFolderPath: s,
  DmDocumentId: s,
  DmVersionNumber: s,
  Url: s,
  CategoryName: s,
  UserName: s,
  Uri: s,
  FileUrl: s,
  UploadedText: s,
  UploadedFileContentType: s,
  UploadedFileLength: i,
  UploadedFileName: s,
  Title: s,
  Description: s,
  ...who,
};

/** A DFF row: the key attribute, the context and one attribute per configured segment. */
export function dffSchema(keyAttr: string, segments: readonly string[]): Schema {
  const schema: Schema = { [keyAttr]: i, __FLEX_Context: s, __FLEX_Context_DisplayValue: s };
  for (const seg of segments) schema[seg] = s;
  return schema;
}
