/**
 * A seeded, deterministic generator of realistic Fusion data: reference data from seed-catalog.ts and a
 * mix of purchase orders a connector's selection rules can select from and ignore (UPS via flexfield,
 * via header or schedule carrier, other carriers, no carrier; open, incomplete-then-approved, closed,
 * canceled, frozen; a few bad addresses). Same seed + same clock reading → the same data.
 */
import {
  BAD_SHIP_TO_LOCATIONS,
  BILL_TO,
  BUSINESS_UNITS,
  BUYERS,
  CARRIERS,
  CHARGE_ACCOUNTS,
  COST_CENTERS,
  DESCRIPTIONS,
  ITEMS,
  LEGAL_ENTITY,
  PAYMENT_TERMS,
  REQUESTERS,
  SHIP_TO_LOCATIONS,
  SUPPLIERS,
  type CarrierChoice,
  type CatalogItem,
  type CatalogLocation,
} from './seed-catalog.js';
import type { Row } from './schemas.js';
import {
  changeIndicator,
  formatLocationAddress,
  fusionDate,
  fusionDateTime,
  type FusionState,
  type PoLine,
  type PurchaseOrder,
} from './state.js';

export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for test data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const round2 = (x: number): number => Math.round(x * 100) / 100;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const STATUS_NAMES: Record<string, string> = {
  OPEN: 'Open',
  INCOMPLETE: 'Incomplete',
  'PENDING APPROVAL': 'Pending Approval',
  REJECTED: 'Rejected',
  CLOSED: 'Closed',
  'CLOSED FOR RECEIVING': 'Closed for Receiving',
  'FINALLY CLOSED': 'Finally Closed',
  CANCELED: 'Canceled',
  'ON HOLD': 'On Hold',
};

export type PoStatusCode = keyof typeof STATUS_NAMES;

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
}

export function seedReferenceData(state: FusionState): void {
  const now = state.nowIso();
  state.businessUnits = BUSINESS_UNITS.map((b) => ({ ...b }));
  for (const loc of [BILL_TO, ...SHIP_TO_LOCATIONS, ...BAD_SHIP_TO_LOCATIONS]) {
    const id = state.nextId();
    const a = loc.address;
    state.locations.set(id, {
      row: {
        LocationId: id,
        LocationCode: loc.code,
        LocationName: loc.name,
        Description: loc.name,
        ActiveStatus: 'A',
        SetName: 'Common Set',
        AddressLine1: a.line1,
        AddressLine2: a.line2 ?? null,
        AddressLine3: null,
        AddressLine4: null,
        TownOrCity: a.city,
        Region1: a.county,
        Region2: a.state,
        Region3: null,
        PostalCode: a.postalCode === '' ? null : a.postalCode,
        Country: a.country,
        ShipToSiteFlag: loc !== BILL_TO,
        ReceivingSiteFlag: loc !== BILL_TO,
        BillToSiteFlag: loc === BILL_TO,
        OfficeSiteFlag: loc === BILL_TO || loc.code === 'DEN-OFC',
        MainPhoneNumber: null,
        CreationDate: now,
        CreatedBy: 'SETUP',
        LastUpdateDate: now,
        LastUpdatedBy: 'SETUP',
      },
    });
  }
  for (const sup of SUPPLIERS) {
    const supplierId = state.nextId();
    const sites: Row[] = [];
    const addresses: Row[] = [];
    for (const site of sup.sites) {
      const addressId = state.nextId();
      const a = site.address;
      addresses.push({
        SupplierAddressId: addressId,
        AddressName: site.code,
        CountryCode: a.country,
        Country: 'United States',
        AddressLine1: a.line1,
        AddressLine2: a.line2 ?? null,
        AddressLine3: null,
        AddressLine4: null,
        City: a.city,
        State: a.state,
        Province: null,
        County: a.county,
        PostalCode: a.postalCode === '' ? null : a.postalCode,
        PostalCodeExtension: null,
        PhoneNumber: null,
        Email: site.email,
        AddressPurposeOrderingFlag: true,
        AddressPurposeRemitToFlag: true,
        InactiveDate: null,
        CreationDate: now,
        CreatedBy: 'SETUP',
        LastUpdateDate: now,
        LastUpdatedBy: 'SETUP',
      });
      for (const bu of BUSINESS_UNITS) {
        sites.push({
          SupplierSiteId: state.nextId(),
          SupplierSite: site.code,
          ProcurementBUId: bu.id,
          ProcurementBU: bu.name,
          SupplierAddressId: addressId,
          SupplierAddressName: site.code,
          SitePurposePurchasingFlag: true,
          SitePurposePayFlag: true,
          Email: site.email,
          InactiveDate: null,
          CreationDate: now,
          CreatedBy: 'SETUP',
          LastUpdateDate: now,
          LastUpdatedBy: 'SETUP',
        });
      }
    }
    const row: Row = {
      SupplierId: supplierId,
      Supplier: sup.name,
      SupplierNumber: sup.number,
      AlternateName: null,
      TaxOrganizationType: 'Corporation',
      SupplierType: 'Supplier',
      Status: 'ACTIVE',
      CreationDate: now,
      CreatedBy: 'SETUP',
      LastUpdateDate: now,
      LastUpdatedBy: 'SETUP',
    };
    state.suppliers.set(supplierId, { row, sites, addresses });
  }
  for (const item of ITEMS) {
    const id = state.nextId();
    const entry = { row: itemRow(id, item, now), uniqId: '' };
    entry.uniqId = state.opaqueKey('item', id, entry);
    state.items.set(id, entry);
  }
}

function itemRow(id: number, item: CatalogItem, now: string): Row {
  return {
    ItemId: id,
    OrganizationId: 300000046987210,
    OrganizationCode: 'MST',
    ItemNumber: item.number,
    ItemDescription: item.description,
    ItemClass: item.category,
    PrimaryUOMValue: item.uom,
    UnitWeightQuantity: item.weight,
    WeightUOMValue: item.weightUom === 'LBS' ? 'Pound' : item.weightUom === 'KG' ? 'Kilogram' : null,
    UnitLengthQuantity: item.dims?.[0] ?? null,
    UnitWidthQuantity: item.dims?.[1] ?? null,
    UnitHeightQuantity: item.dims?.[2] ?? null,
    DimensionUOMValue: item.dims ? 'Inch' : null,
    UnitVolumeQuantity: null,
    VolumeUOMValue: null,
    CreationDate: now,
    CreatedBy: 'SETUP',
    LastUpdateDate: now,
    LastUpdatedBy: 'SETUP',
  };
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

function fail(message: string): never {
  throw new Error(message);
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
    : rng() < 0.04
      ? supplierEntries.find((s) => s.row.Supplier === 'Lone Star Tools')!
      : pick(
          rng,
          supplierEntries.filter((s) => s.row.Supplier !== 'Lone Star Tools'),
        );
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
  const lines: PoLine[] = lineSpecs.map((ls, index) => {
    const item = ITEMS.find((i) => i.number === ls.item) ?? fail(`unknown item ${ls.item}`);
    const itemId = [...state.items.values()].find((i) => i.row.ItemNumber === item.number)!.row
      .ItemId as number;
    const poLineId = state.nextId();
    const ordered = round2(item.price * ls.quantity);
    const tax = round2(ordered * 0.0825);
    const line: PoLine = {
      row: {
        POLineId: poLineId,
        LineNumber: index + 1,
        POHeaderId: poHeaderId,
        OrderNumber: orderNumber,
        LineTypeId: item.uomCode === 'HRS' ? 6 : 1,
        LineType: item.uomCode === 'HRS' ? 'Fixed Price Services' : 'Goods',
        ItemId: itemId,
        Item: item.number,
        ItemRevision: null,
        Description: item.description,
        CategoryId: 300000046990000 + ITEMS.indexOf(item),
        Category: item.category,
        Quantity: ls.quantity,
        UOMCode: item.uomCode,
        UOM: item.uom,
        Price: item.price,
        Ordered: ordered,
        TotalTax: tax,
        Total: round2(ordered + tax),
        CurrencyCode: 'USD',
        StatusCode: status,
        Status: STATUS_NAMES[status]!,
        SupplierItem: `${String(supplier.row.SupplierNumber)}-${item.number}`,
        UNNumber: item.hazard?.unNumber ?? null,
        HazardClass: item.hazard?.hazardClass ?? null,
        CreationDate: created,
        CreatedBy: createdBy,
        LastUpdateDate: created,
        LastUpdatedBy: createdBy,
      },
      dff: { PoLineId: poLineId, __FLEX_Context: null, __FLEX_Context_DisplayValue: null },
      schedules: [],
    };
    const split =
      ls.quantity >= 4 && rng() < 0.15
        ? [Math.ceil(ls.quantity / 2), Math.floor(ls.quantity / 2)]
        : [ls.quantity];
    split.forEach((qty, sIndex) => {
      const lineLocationId = state.nextId();
      const schedShipTo = sIndex > 0 && rng() < 0.5 ? pick(rng, SHIP_TO_LOCATIONS) : null;
      const loc = schedShipTo ? state.findLocation(schedShipTo.code)!.row : shipTo;
      const allShipTo = [...SHIP_TO_LOCATIONS, ...BAD_SHIP_TO_LOCATIONS];
      const orgIndex = allShipTo.findIndex((l) => l.code === loc.LocationCode);
      const orgCode = allShipTo[orgIndex]!.orgCode;
      const schedCarrier = carrier && !onHeader ? carrier : null;
      const deliveryMs = createdMs + between(rng, 7, 21) * DAY;
      const schedule = {
        row: {
          LineLocationId: lineLocationId,
          ScheduleNumber: sIndex + 1,
          POLineId: poLineId,
          POHeaderId: poHeaderId,
          LineNumber: index + 1,
          StatusCode: status,
          Status: STATUS_NAMES[status]!,
          Quantity: qty,
          Ordered: round2(item.price * qty),
          ShipToOrganizationId: 300000046987300 + orgIndex,
          ShipToOrganizationCode: orgCode,
          ShipToOrganization: loc.LocationName,
          ShipToLocationId: loc.LocationId,
          ShipToLocationCode: loc.LocationCode,
          ShipToLocation: loc.LocationName,
          DestinationTypeCode: item.uomCode === 'HRS' ? 'EXPENSE' : 'INVENTORY',
          DestinationType: item.uomCode === 'HRS' ? 'Expense' : 'Inventory',
          RequestedDeliveryDate: fusionDate(deliveryMs),
          PromisedDeliveryDate: rng() < 0.5 ? fusionDate(deliveryMs + DAY) : null,
          RequestedShipDate: null,
          PromisedShipDate: null,
          CarrierId: schedCarrier?.carrierId ?? null,
          Carrier: schedCarrier?.carrier ?? null,
          ModeOfTransportCode: schedCarrier?.modeCode ?? null,
          ModeOfTransport: schedCarrier?.mode ?? null,
          ServiceLevelCode: schedCarrier?.serviceCode ?? null,
          ServiceLevel: schedCarrier?.service ?? null,
          ShippingMethod: schedCarrier
            ? `${schedCarrier.carrier}-${schedCarrier.mode}-${schedCarrier.service}`
            : null,
          CountryOfOriginCode: 'US',
          QuantityReceived: 0,
          QuantityAccepted: 0,
          QuantityRejected: 0,
          QuantityBilled: 0,
          CreationDate: created,
          CreatedBy: createdBy,
          LastUpdateDate: created,
          LastUpdatedBy: createdBy,
        } satisfies Row,
        dff: {
          LineLocationId: lineLocationId,
          __FLEX_Context: null,
          __FLEX_Context_DisplayValue: null,
        } as Row,
        uniqId: '',
        distributions: [] as PurchaseOrder['lines'][number]['schedules'][number]['distributions'],
      };
      schedule.uniqId = state.opaqueKey('schedule', lineLocationId, schedule);
      const parts = rng() < 0.2 && qty >= 2 ? [Math.ceil(qty / 2), Math.floor(qty / 2)] : [qty];
      parts.forEach((dq, dIndex) => {
        const distId = state.nextId();
        const cc = pick(rng, COST_CENTERS);
        const account = `01-${cc}-${pick(rng, CHARGE_ACCOUNTS)}-0000-000`;
        const dist = {
          row: {
            PODistributionId: distId,
            DistributionNumber: dIndex + 1,
            POHeaderId: poHeaderId,
            POLineId: poLineId,
            LineLocationId: lineLocationId,
            Quantity: dq,
            Ordered: round2(item.price * dq),
            UOMCode: item.uomCode,
            DeliverToLocationId: loc.LocationId,
            DeliverToLocationCode: loc.LocationCode,
            RequesterId: requester.id,
            Requester: requester.display,
            POChargeAccountId: 300000048000000 + Number(cc) * 10 + dIndex,
            POChargeAccount: account,
            DestinationChargeAccountId: null,
            DestinationChargeAccount: null,
            Percent: round2((dq / qty) * 100),
            CreationDate: created,
            CreatedBy: createdBy,
            LastUpdateDate: created,
            LastUpdatedBy: createdBy,
          } satisfies Row,
          dff: { PoDistributionId: distId, __FLEX_Context: null, __FLEX_Context_DisplayValue: null } as Row,
          uniqId: '',
        };
        dist.uniqId = state.opaqueKey('distribution', distId, dist);
        schedule.distributions.push(dist);
      });
      line.schedules.push(schedule);
    });
    return line;
  });

  const ordered = round2(lines.reduce((sum, l) => sum + (l.row.Ordered as number), 0));
  const tax = round2(lines.reduce((sum, l) => sum + (l.row.TotalTax as number), 0));
  const approvedMs = Math.min(createdMs + between(rng, 1, 48) * HOUR, nowMs - 60_000);
  const revised = status === 'OPEN' && rng() < 0.15;
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
    Revision: revised ? 1 : 0,
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
