/**
 * A seeded, deterministic generator of realistic Fusion data: reference data from seed-catalog.ts and a
 * mix of purchase orders a connector's selection rules can select from and ignore (UPS via flexfield,
 * via header or schedule carrier, other carriers, no carrier; open, incomplete-then-approved, closed,
 * canceled, frozen; a few bad addresses). Same seed + same clock reading → the same data.
 */
import { buildLines } from './po-lines-builder.js';
import { STATUS_NAMES, type PoStatusCode } from './po-status.js';
import {
  BAD_SHIP_TO_LOCATIONS,
  BILL_TO,
  BUSINESS_UNITS,
  BUYERS,
  LEGAL_ENTITY,
  REQUESTERS,
  SHIP_TO_LOCATIONS,
  type CatalogLocation,
} from './seed-catalog.js';
import { CARRIERS, DESCRIPTIONS, ITEMS, PAYMENT_TERMS, type CarrierChoice } from './seed-items.js';
import { createRng, between, DAY, fail, HOUR, pick, round2, type Rng } from './seed-random.js';
import { seedReferenceData } from './seed-reference-data.js';
import type { Row } from './schemas.js';
import {
  changeIndicator,
  formatLocationAddress,
  fusionDateTime,
  type FusionState,
  type PurchaseOrder,
} from './state.js';

export { createRng, type Rng } from './seed-random.js';
export { STATUS_NAMES, type PoStatusCode } from './po-status.js';

export interface PoSpec {
  status?: PoStatusCode;
  frozen?: boolean;
  /** For INCOMPLETE / PENDING APPROVAL: seconds on the sandbox clock until approval makes it OPEN; null = never. */
  approveInSeconds?: number | null;
  supplierSiteCode?: string;
  shipToLocationCode?: string;
  procurementBUId?: number;
  /** true → DFF shipViaUps 'Y'; false → 'N'; null → no flexfield context. */
  shipViaUps?: boolean | null;
  carrier?: keyof typeof CARRIERS | null;
  carrierOn?: 'header' | 'schedule';
  lines?: { item: string; quantity: number }[];
  description?: string;
  createdSecondsAgo?: number;
  /** Revision of an Open PO (0 unless given; the random mix revises about 15 %). */
  revision?: number;
}

/** Draws a PO spec from the mix described in the README. */
export function randomSpec(rng: Rng): PoSpec {
  const r = rng();
  const spec: PoSpec =
    r < 0.35
      ? {
          shipViaUps: true,
          carrier: pick(rng, ['UPS_GROUND', 'UPS_GROUND', 'UPS_2DA', 'UPS_1DA'] as const),
          carrierOn: 'header',
        }
      : r < 0.45
        ? { shipViaUps: true, carrier: null }
        : r < 0.55
          ? { shipViaUps: null, carrier: 'UPS_GROUND', carrierOn: 'header' }
          : r < 0.63
            ? {
                shipViaUps: null,
                carrier: pick(rng, ['UPS_GROUND', 'UPS_2DA'] as const),
                carrierOn: 'schedule',
              }
            : r < 0.8
              ? {
                  shipViaUps: rng() < 0.3 ? false : null,
                  carrier: pick(rng, ['FEDEX', 'DHL', 'ODFL'] as const),
                  carrierOn: 'header',
                }
              : { shipViaUps: null, carrier: null };
  const s = rng();
  spec.status =
    s < 0.7
      ? 'OPEN'
      : s < 0.8
        ? 'INCOMPLETE'
        : s < 0.85
          ? 'PENDING APPROVAL'
          : s < 0.9
            ? 'CLOSED'
            : s < 0.93
              ? 'CANCELED'
              : s < 0.95
                ? 'FINALLY CLOSED'
                : s < 0.97
                  ? 'ON HOLD'
                  : 'OPEN';
  if (s >= 0.97) spec.frozen = true;
  if (spec.status === 'OPEN' && rng() < 0.15) spec.revision = 1;
  return spec;
}

function chooseShipTo(state: FusionState, rng: Rng, code: string | undefined): Row {
  const bad = rng() < 0.05;
  const catalog: CatalogLocation = code
    ? ([...SHIP_TO_LOCATIONS, ...BAD_SHIP_TO_LOCATIONS].find((l) => l.code === code) ??
      fail(`unknown ship-to location ${code}`))
    : bad
      ? pick(rng, BAD_SHIP_TO_LOCATIONS)
      : pick(rng, SHIP_TO_LOCATIONS);
  return state.findLocation(catalog.code)!.row;
}

/** Suppliers with a bad or ambiguous site address get a small share of POs; the rest share evenly. */
const RARE_SUPPLIERS = ['Lone Star Tools', 'Prairie Lab Supply'];
function pickSupplier<T extends { row: Row }>(rng: Rng, suppliers: T[]): T {
  const r = rng();
  const rare = suppliers.filter((s) => RARE_SUPPLIERS.includes(String(s.row.Supplier)));
  if (r < 0.06 && rare.length > 0) return rare[Math.floor((r / 0.06) * rare.length)]!;
  return pick(
    rng,
    suppliers.filter((s) => !RARE_SUPPLIERS.includes(String(s.row.Supplier))),
  );
}

/** Builds and stores one purchase order. */
export function createPurchaseOrder(state: FusionState, rng: Rng, spec: PoSpec): PurchaseOrder {
  const nowMs = state.clock.nowMs();
  const status = spec.status ?? 'OPEN';
  const pending = status === 'INCOMPLETE' || status === 'PENDING APPROVAL';
  const createdMs =
    nowMs -
    (spec.createdSecondsAgo !== undefined
      ? spec.createdSecondsAgo * 1000
      : pending
        ? between(rng, 0, 2 * HOUR)
        : between(rng, DAY, 30 * DAY));
  const bu =
    BUSINESS_UNITS.find((b) => b.id === spec.procurementBUId) ??
    (rng() < 0.8 ? BUSINESS_UNITS[0]! : BUSINESS_UNITS[1]!);

  const siteCode = spec.supplierSiteCode;
  const supplierEntries = [...state.suppliers.values()];
  const supplier = siteCode
    ? (supplierEntries.find((s) => s.sites.some((x) => x.SupplierSite === siteCode)) ??
      fail(`unknown supplier site ${siteCode}`))
    : pickSupplier(rng, supplierEntries);
  const siteCandidates = supplier.sites.filter(
    (x) => x.ProcurementBUId === bu.id && (!siteCode || x.SupplierSite === siteCode),
  );
  const site = pick(rng, siteCandidates);

  const shipTo = chooseShipTo(state, rng, spec.shipToLocationCode);
  const billTo = state.findLocation(BILL_TO.code)!.row;
  const buyer = pick(rng, BUYERS);
  const requester = pick(rng, REQUESTERS);
  const terms = pick(rng, PAYMENT_TERMS);
  const carrier: CarrierChoice | null = spec.carrier ? CARRIERS[spec.carrier] : null;
  const onHeader = carrier !== null && (spec.carrierOn ?? 'header') === 'header';
  const createdBy = buyer.email.split('@')[0]!.toUpperCase();
  const poHeaderId = state.nextId();
  const orderNumber = `US${165000 + state.purchaseOrders.size + 1}`;
  const created = fusionDateTime(createdMs);

  const lineSpecs =
    spec.lines ??
    Array.from({ length: between(rng, 1, 4) }, () => {
      const item = pick(rng, ITEMS);
      return { item: item.number, quantity: between(rng, 1, item.maxQty) };
    });
  const lines = buildLines(state, rng, {
    lineSpecs,
    poHeaderId,
    orderNumber,
    status,
    createdMs,
    created,
    createdBy,
    supplierNumber: String(supplier.row.SupplierNumber),
    shipTo,
    carrier,
    onHeader,
    requester,
  });

  const ordered = round2(lines.reduce((sum, l) => sum + (l.row.Ordered as number), 0));
  const tax = round2(lines.reduce((sum, l) => sum + (l.row.TotalTax as number), 0));
  const approvedMs = Math.min(createdMs + between(rng, 1, 48) * HOUR, nowMs - 60_000);
  const revised = status === 'OPEN' && (spec.revision ?? 0) > 0;
  const lastUpdateMs = pending
    ? createdMs
    : revised
      ? Math.min(approvedMs + between(rng, 1, 72) * HOUR, nowMs - 30_000)
      : approvedMs;
  const dffSegments = Object.fromEntries(state.dff.segments.map((seg) => [seg, null])) as Row;
  const dff: Row =
    spec.shipViaUps === null || spec.shipViaUps === undefined
      ? { PoHeaderId: poHeaderId, __FLEX_Context: null, __FLEX_Context_DisplayValue: null, ...dffSegments }
      : {
          PoHeaderId: poHeaderId,
          __FLEX_Context: state.dff.context,
          __FLEX_Context_DisplayValue: state.dff.contextDisplay,
          ...dffSegments,
          [state.dff.shipViaUpsSegment]: spec.shipViaUps ? 'Y' : 'N',
          ...(state.dff.segments.includes('upsServiceCode')
            ? { upsServiceCode: carrier?.upsServiceCode ?? '03' }
            : {}),
        };
  const header: Row = {
    POHeaderId: poHeaderId,
    OrderNumber: orderNumber,
    SoldToLegalEntityId: LEGAL_ENTITY.id,
    SoldToLegalEntity: LEGAL_ENTITY.name,
    StatusCode: status,
    Status: STATUS_NAMES[status]!,
    ProcurementBUId: bu.id,
    ProcurementBU: bu.name,
    RequisitioningBUId: bu.id,
    RequisitioningBU: bu.name,
    BillToBUId: bu.id,
    BillToBU: bu.name,
    Revision: status === 'OPEN' ? (spec.revision ?? 0) : 0,
    BuyerId: buyer.id,
    Buyer: buyer.display,
    BuyerDisplayName: buyer.display.split(', ').reverse().join(' '),
    BuyerEmail: buyer.email,
    CurrencyCode: 'USD',
    Currency: 'US Dollar',
    Description: spec.description ?? `${pick(rng, DESCRIPTIONS)} - ${String(shipTo.LocationName)}`,
    SupplierId: supplier.row.SupplierId,
    Supplier: supplier.row.Supplier,
    SupplierSiteId: site.SupplierSiteId,
    SupplierSite: site.SupplierSite,
    SupplierContactId: null,
    SupplierContact: null,
    PaymentTermsId: terms.id,
    PaymentTerms: terms.name,
    BillToLocationId: billTo.LocationId,
    BillToLocation: billTo.LocationCode,
    BillToLocationAddress: formatLocationAddress(billTo),
    ShipToLocationId: shipTo.LocationId,
    ShipToLocationCode: shipTo.LocationCode,
    ShipToLocationAddress: formatLocationAddress(shipTo),
    CarrierId: onHeader ? carrier.carrierId : null,
    Carrier: onHeader ? carrier.carrier : null,
    ModeOfTransportCode: onHeader ? carrier.modeCode : null,
    ModeOfTransport: onHeader ? carrier.mode : null,
    ServiceLevelCode: onHeader ? carrier.serviceCode : null,
    ServiceLevel: onHeader ? carrier.service : null,
    ShippingMethod: onHeader ? `${carrier.carrier}-${carrier.mode}-${carrier.service}` : null,
    FreightTermsCode: onHeader && carrier.carrier === 'UPS' ? 'BUYER_PAYS' : 'SUPPLIER_PAYS',
    FreightTerms: onHeader && carrier.carrier === 'UPS' ? 'Buyer pays freight' : 'Supplier pays freight',
    FOBCode: 'ORIGIN',
    FOB: 'Origin',
    NoteToSupplier: null,
    NoteToReceiver: null,
    SupplierOrder: null,
    RequiredAcknowledgmentCode: 'N',
    RequiredAcknowledgment: 'None',
    AcknowledgmentDueDate: null,
    AcknowledgmentWithinDays: null,
    SupplierCommunicationMethod: 'EMAIL',
    SupplierEmailAddress: site.Email,
    PayOnReceiptFlag: false,
    ConfirmingOrderFlag: false,
    BuyerManagedTransportFlag: carrier?.carrier === 'UPS',
    Ordered: ordered,
    TotalTax: tax,
    Total: round2(ordered + tax),
    DocumentStyleId: 1,
    DocumentStyle: 'Purchase Order',
    PurchaseBasis: 'GOODS',
    RequesterId: requester.id,
    RequesterDisplayName: requester.display.split(', ').reverse().join(' '),
    OrderDate: created,
    FrozenFlag: spec.frozen ?? false,
    CreationDate: created,
    CreatedBy: createdBy,
    LastUpdateDate: fusionDateTime(lastUpdateMs),
    LastUpdatedBy: createdBy,
  };
  const approveIn = spec.approveInSeconds === undefined ? between(rng, 300, 3 * 3600) : spec.approveInSeconds;
  const po: PurchaseOrder = {
    header,
    dff,
    lines,
    attachments: [],
    version: 1,
    approveAtMs: pending && approveIn !== null ? nowMs + approveIn * 1000 : null,
    changeOrder: null,
  };
  state.purchaseOrders.set(poHeaderId, po);
  return po;
}

export function etagOf(po: PurchaseOrder): string {
  return changeIndicator(po.version);
}

export interface SeedOptions {
  seed: number;
  poCount: number;
}

/** Clears the data and generates reference data plus `poCount` purchase orders. */
export function seedFusion(state: FusionState, options: SeedOptions): void {
  state.clearData(options.seed);
  const rng = createRng(options.seed);
  seedReferenceData(state);
  for (let i = 0; i < options.poCount; i++) createPurchaseOrder(state, rng, randomSpec(rng));
}
