import { describe, expect, it } from 'vitest';
import { asCollection } from './links.js';
import { mapFlexfield, mapPoSummary, mapPurchaseOrder, PoMappingError } from './po-mapper.js';
import { mapItemPhysicalAttributes } from './purchase-orders.js';

const BASE = 'https://abcd.fa.us2.oraclecloud.com/fscmRestApi/resources/11.13.18.05';
const PO = `${BASE}/purchaseOrders/300000047110815`;
const link = (rel: string, href: string, name: string, kind = rel === 'child' ? 'collection' : 'item') => ({
  rel,
  href,
  name,
  kind,
});

const distribution = {
  PODistributionId: 300000047110830,
  DistributionNumber: 1,
  POHeaderId: 300000047110815,
  Quantity: 12,
  DeliverToLocationId: 300000001456123,
  Requester: 'Brown, Casey',
  POChargeAccount: '01-510-7530-0000-000',
  links: [
    link(
      'self',
      `${PO}/child/lines/300000047110820/child/schedules/00020000000EACED00057708000110F0833D/child/distributions/00020000000EACED0005770800011`,
      'distributions',
    ),
  ],
};

const schedule = {
  LineLocationId: 300000047110825,
  ScheduleNumber: 1,
  StatusCode: 'OPEN',
  Quantity: 12,
  QuantityReceived: 2,
  ShipToOrganizationId: 300000001455871,
  ShipToOrganizationCode: 'M1',
  ShipToLocationId: 300000001456123,
  ShipToLocationCode: 'SEA-HQ',
  DestinationTypeCode: 'INVENTORY',
  RequestedDeliveryDate: '2026-12-05',
  Carrier: 'UPS',
  ShippingMethod: 'UPS-Parcel-Ground',
  ModeOfTransportCode: 'PARCEL',
  ServiceLevelCode: 'GND',
  links: [
    link(
      'self',
      `${PO}/child/lines/300000047110820/child/schedules/00020000000EACED00057708000110F0833D`,
      'schedules',
    ),
  ],
};

/** A v4 item as `GET purchaseOrders?q=POHeaderId=…&expand=lines,lines.schedules,lines.schedules.distributions,DFF`. */
const v4Item = {
  POHeaderId: 300000047110815,
  OrderNumber: 'US165121',
  SoldToLegalEntity: 'US1 Legal Entity',
  StatusCode: 'OPEN',
  Status: 'Open',
  ProcurementBUId: 300000046987012,
  ProcurementBU: 'US1 Business Unit',
  RequisitioningBU: 'US1 Business Unit',
  BillToBU: 'US1 Business Unit',
  Revision: 2,
  BuyerId: 100010026863783,
  Buyer: 'Furey, Clare',
  BuyerDisplayName: 'Clare Furey',
  BuyerEmail: 'clare.furey@example.com',
  CurrencyCode: 'USD',
  Currency: 'US Dollar',
  Description: 'Office chairs  ',
  SupplierId: 300000047507499,
  Supplier: 'Lee Supplies',
  SupplierSiteId: 300000047507503,
  SupplierSite: 'Lee US1',
  ShipToLocationId: 300000001456123,
  ShipToLocationCode: 'SEA-HQ',
  ShipToLocationAddress: '411 University Street, Seattle, WA 98101, King, United States',
  Carrier: 'UPS',
  ShippingMethod: 'UPS',
  FrozenFlag: false,
  CreationDate: '2026-11-20T09:12:44.001+00:00',
  LastUpdateDate: '2026-11-28T11:59:01.123-06:00',
  lines: {
    items: [
      {
        POLineId: 300000047110820,
        LineNumber: 1,
        ItemId: 300000012345001,
        Item: 'CH-1000',
        Description: 'Ergonomic chair',
        Quantity: 12,
        UOMCode: 'Ea',
        UOM: 'Each',
        StatusCode: 'OPEN',
        schedules: {
          items: [
            {
              ...schedule,
              distributions: { items: [distribution], count: 1, hasMore: false, limit: 25, offset: 0 },
            },
          ],
          count: 1,
          hasMore: false,
          limit: 25,
          offset: 0,
        },
        links: [
          link('self', `${PO}/child/lines/300000047110820`, 'lines'),
          link('child', `${PO}/child/lines/300000047110820/child/schedules`, 'schedules'),
        ],
      },
    ],
    count: 1,
    hasMore: false,
    limit: 25,
    offset: 0,
  },
  DFF: {
    items: [
      {
        PoHeaderId: 300000047110815,
        __FLEX_Context: 'UPS_SHIPPING',
        __FLEX_Context_DisplayValue: 'UPS shipping',
        shipViaUps: 'Y',
        upsServiceCode: '03',
        upsTrackingNumber: null,
        links: [link('self', `${PO}/child/DFF/300000047110815`, 'DFF')],
      },
    ],
    count: 1,
    hasMore: false,
  },
  links: [
    {
      ...link('self', PO, 'purchaseOrders'),
      properties: { changeIndicator: 'ACED0005737200136A6176612E7574696C2E41727261794C697374' },
    },
    link('canonical', PO, 'purchaseOrders'),
    link('child', `${PO}/child/DFF`, 'DFF'),
    link('child', `${PO}/child/attachments`, 'attachments'),
    link('child', `${PO}/child/lines`, 'lines'),
  ],
};

describe('mapPurchaseOrder', () => {
  it('maps a v4 item with collection children, DFF and links', () => {
    expect(mapPurchaseOrder(v4Item)).toMatchSnapshot();
  });

  it('maps v1 children given as plain arrays the same way', () => {
    const v1 = {
      ...v4Item,
      lines: v4Item.lines.items.map((l) => ({
        ...l,
        schedules: l.schedules.items.map((s) => ({ ...s, distributions: s.distributions.items })),
      })),
      DFF: v4Item.DFF.items,
    };
    expect(mapPurchaseOrder(v1)).toEqual(mapPurchaseOrder(v4Item));
  });

  it('tolerates missing optional attributes and children that were not expanded', () => {
    const po = mapPurchaseOrder({
      POHeaderId: 5,
      OrderNumber: 'X5',
      LastUpdateDate: '2026-01-01T00:00:00+00:00',
    });
    expect(po).toMatchObject({
      poHeaderId: '5',
      orderNumber: 'X5',
      revision: 0,
      statusCode: '',
      frozen: false,
      lines: [],
      dff: { segments: {} },
      shipToLocationIds: [],
      links: {},
    });
    expect(po.supplierId).toBeUndefined();
  });

  it('collects distinct ship-to locations from header and schedules, and splits the charge account', () => {
    const withSecondSchedule = structuredClone(v4Item);
    withSecondSchedule.lines.items[0]!.schedules.items.push({
      ...structuredClone(schedule),
      LineLocationId: 300000047110826,
      ShipToLocationId: 300000001456999,
      distributions: { items: [], count: 0, hasMore: false, limit: 25, offset: 0 },
    });
    const po = mapPurchaseOrder(withSecondSchedule, { chargeAccountDelimiter: '-' });
    expect(po.shipToLocationIds).toEqual(['300000001456123', '300000001456999']);
    expect(po.lines[0]!.schedules[0]!.distributions[0]!.chargeAccountSegments).toEqual([
      '01',
      '510',
      '7530',
      '0000',
      '000',
    ]);
    expect(po.lines[0]!.schedules[1]!.distributions).toEqual([]);
  });

  it('refuses a row without the keys the pipeline depends on, naming what is missing', () => {
    expect(() => mapPurchaseOrder({ POHeaderId: 7, OrderNumber: 'X7' })).toThrow(
      new PoMappingError('purchase order 7: LastUpdateDate is missing or invalid'),
    );
    expect(() => mapPurchaseOrder({ ...v4Item, lines: [{ LineNumber: 1 }] })).toThrow(/line: POLineId/);
    expect(() => mapPurchaseOrder('nope')).toThrow(/not an object/);
  });
});

describe('poll rows and other shapes', () => {
  it('maps a poll row with onlyData=true', () => {
    expect(
      mapPoSummary({
        POHeaderId: 300000047110815,
        OrderNumber: 'US165121',
        Revision: 2,
        StatusCode: 'OPEN',
        LastUpdateDate: '2026-11-28T11:59:01.123+00:00',
      }),
    ).toEqual({
      poHeaderId: '300000047110815',
      orderNumber: 'US165121',
      revision: 2,
      statusCode: 'OPEN',
      lastUpdateDate: new Date('2026-11-28T11:59:01.123Z'),
    });
  });

  it('a user without data access gets an empty collection, which maps to no rows', () => {
    const page = asCollection({ items: [], count: 0, hasMore: false, limit: 25, offset: 0, links: [] });
    expect(page.items.map(mapPoSummary)).toEqual([]);
    expect(page.hasMore).toBe(false);
  });

  it('an empty or absent DFF gives no segments', () => {
    expect(mapFlexfield({ items: [], count: 0, hasMore: false })).toEqual({ segments: {} });
    expect(mapFlexfield(undefined)).toEqual({ segments: {} });
  });

  it('item physical attributes: weight and dimensions only when complete and positive', () => {
    expect(
      mapItemPhysicalAttributes({
        ItemId: 1,
        ItemNumber: 'CH-1000',
        UnitWeightQuantity: 18.5,
        WeightUOMValue: 'Pound',
        UnitLengthQuantity: 30,
        UnitWidthQuantity: 28,
        UnitHeightQuantity: 0,
        DimensionUOMValue: 'Inch',
      }),
    ).toEqual({
      itemId: '1',
      itemNumber: 'CH-1000',
      unitWeight: { value: 18.5, uom: 'Pound' },
      dimensions: undefined,
    });
    expect(mapItemPhysicalAttributes({ ItemId: 2, UnitWeightQuantity: null })?.unitWeight).toBeUndefined();
  });
});
