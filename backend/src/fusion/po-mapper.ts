/**
 * Pure mapping of `purchaseOrders` responses to `FusionPurchaseOrder`. Tolerant of the framework
 * versions (v1 child arrays, v3+ child collections, v6 `@context`), of missing optional attributes, and of
 * children that were not expanded. Only POHeaderId, OrderNumber and LastUpdateDate are required.
 */
import { asCollection, childHref, isObject, selfHref, type JsonObject } from './links.js';
import type {
  FusionFlexfield,
  FusionPoDistribution,
  FusionPoLine,
  FusionPoSchedule,
  FusionPoSummary,
  FusionPurchaseOrder,
} from './types.js';

export interface PoMapOptions {
  /** Delimiter of the concatenated charge account (chart of accounts setting); default "-". */
  chargeAccountDelimiter?: string;
}

export class PoMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoMappingError';
  }
}

export const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') {
    const t = v.trim();
    return t ? t : undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};

export const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

export const flag = (v: unknown): boolean => v === true || v === 'Y' || v === 'true';

export function date(v: unknown): Date | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const d = new Date(v.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function required<T>(value: T | undefined, what: string, where: string): T {
  if (value === undefined) throw new PoMappingError(`${where}: ${what} is missing or invalid`);
  return value;
}

export function mapPoSummary(row: JsonObject): FusionPoSummary {
  const poHeaderId = required(str(row.POHeaderId), 'POHeaderId', 'purchase order row');
  const where = `purchase order ${poHeaderId}`;
  return {
    poHeaderId,
    orderNumber: required(str(row.OrderNumber), 'OrderNumber', where),
    revision: num(row.Revision) ?? 0,
    statusCode: str(row.StatusCode) ?? '',
    lastUpdateDate: required(date(row.LastUpdateDate), 'LastUpdateDate', where),
  };
}

/** The header DFF from an expanded `DFF` child (a collection with one row, or a v1 array). */
export function mapFlexfield(value: unknown): FusionFlexfield {
  const row = asCollection(value).items[0];
  if (!row) return { segments: {} };
  const segments: FusionFlexfield['segments'] = {};
  for (const [key, v] of Object.entries(row)) {
    if (
      key === 'links' ||
      key === '@context' ||
      key.startsWith('__FLEX_') ||
      /^po(header|line|distribution)id$/i.test(key)
    ) {
      continue;
    }
    if (key === 'LineLocationId') continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      segments[key] = v;
  }
  return { context: str(row.__FLEX_Context), segments };
}

export function mapDistribution(row: JsonObject, options: PoMapOptions = {}): FusionPoDistribution {
  const chargeAccount = str(row.POChargeAccount) ?? str(row.ChargeAccount);
  const delimiter = options.chargeAccountDelimiter ?? '-';
  return {
    distributionId: required(str(row.PODistributionId), 'PODistributionId', 'distribution'),
    distributionNumber: num(row.DistributionNumber),
    quantity: num(row.Quantity) ?? num(row.QuantityOrdered),
    chargeAccount,
    chargeAccountSegments: chargeAccount ? chargeAccount.split(delimiter).map((s) => s.trim()) : [],
    deliverToLocationId: str(row.DeliverToLocationId),
    requester: str(row.Requester),
    selfHref: selfHref(row),
  };
}

export function mapSchedule(row: JsonObject, options: PoMapOptions = {}): FusionPoSchedule {
  const lineLocationId = required(str(row.LineLocationId), 'LineLocationId', 'schedule');
  return {
    lineLocationId,
    scheduleNumber: num(row.ScheduleNumber),
    quantity: num(row.Quantity) ?? 0,
    quantityReceived: num(row.QuantityReceived),
    statusCode: str(row.StatusCode),
    shipToOrganizationId: str(row.ShipToOrganizationId),
    shipToOrganizationCode: str(row.ShipToOrganizationCode),
    shipToLocationId: str(row.ShipToLocationId),
    shipToLocationCode: str(row.ShipToLocationCode),
    destinationTypeCode: str(row.DestinationTypeCode),
    requestedDeliveryDate: str(row.RequestedDeliveryDate),
    promisedDeliveryDate: str(row.PromisedDeliveryDate),
    carrier: str(row.Carrier),
    shippingMethod: str(row.ShippingMethod),
    modeOfTransport: str(row.ModeOfTransport) ?? str(row.ModeOfTransportCode),
    serviceLevel: str(row.ServiceLevel) ?? str(row.ServiceLevelCode),
    distributions: asCollection(row.distributions).items.map((d) => mapDistribution(d, options)),
    selfHref: selfHref(row),
  };
}

export function mapLine(row: JsonObject, options: PoMapOptions = {}): FusionPoLine {
  const poLineId = required(str(row.POLineId), 'POLineId', 'line');
  return {
    poLineId,
    lineNumber: num(row.LineNumber) ?? 0,
    itemId: str(row.ItemId),
    itemNumber: str(row.Item) ?? str(row.ItemNumber),
    description: str(row.Description) ?? str(row.ItemDescription),
    quantity: num(row.Quantity) ?? 0,
    uomCode: str(row.UOMCode),
    uom: str(row.UOM),
    statusCode: str(row.StatusCode),
    schedules: asCollection(row.schedules).items.map((s) => mapSchedule(s, options)),
    selfHref: selfHref(row),
  };
}

export function mapPurchaseOrder(item: unknown, options: PoMapOptions = {}): FusionPurchaseOrder {
  if (!isObject(item)) throw new PoMappingError('purchase order: response is not an object');
  const summary = mapPoSummary(item);
  const lines = asCollection(item.lines).items.map((l) => mapLine(l, options));
  const headerShipTo = str(item.ShipToLocationId);
  const shipToLocationIds = [
    ...new Set(
      [headerShipTo, ...lines.flatMap((l) => l.schedules.map((s) => s.shipToLocationId))].filter(
        (v): v is string => v !== undefined,
      ),
    ),
  ];
  return {
    ...summary,
    status: str(item.Status),
    frozen: flag(item.FrozenFlag),
    supplierId: str(item.SupplierId),
    supplier: str(item.Supplier),
    supplierSiteId: str(item.SupplierSiteId),
    supplierSite: str(item.SupplierSite),
    buyerId: str(item.BuyerId),
    buyer: str(item.BuyerDisplayName) ?? str(item.Buyer),
    buyerEmail: str(item.BuyerEmail),
    procurementBuId: str(item.ProcurementBUId),
    procurementBu: str(item.ProcurementBU),
    requisitioningBu: str(item.RequisitioningBU),
    billToBu: str(item.BillToBU),
    soldToLegalEntity: str(item.SoldToLegalEntity),
    shipToLocationId: headerShipTo,
    shipToLocationCode: str(item.ShipToLocationCode),
    shipToLocationAddress: str(item.ShipToLocationAddress),
    carrier: str(item.Carrier),
    shippingMethod: str(item.ShippingMethod),
    modeOfTransport: str(item.ModeOfTransport) ?? str(item.ModeOfTransportCode),
    serviceLevel: str(item.ServiceLevel) ?? str(item.ServiceLevelCode),
    currencyCode: str(item.CurrencyCode),
    description: str(item.Description),
    creationDate: date(item.CreationDate),
    dff: mapFlexfield(item.DFF),
    lines,
    shipToLocationIds,
    links: {
      self: selfHref(item),
      dff: childHref(item, 'DFF'),
      attachments: childHref(item, 'attachments'),
      lines: childHref(item, 'lines'),
    },
  };
}
