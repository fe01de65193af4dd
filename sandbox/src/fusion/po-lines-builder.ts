/**
 * Builds the lines of a generated PO: items from the catalog with quantities, schedules (sometimes split
 * across dates or ship-to locations, carrier when it is set per schedule) and distributions with charge
 * accounts whose second segment is the cost center.
 */
import { BAD_SHIP_TO_LOCATIONS, SHIP_TO_LOCATIONS } from './seed-catalog.js';
import { CHARGE_ACCOUNTS, COST_CENTERS, ITEMS, type CarrierChoice } from './seed-items.js';
import { between, DAY, fail, pick, round2, type Rng } from './seed-random.js';
import { STATUS_NAMES } from './po-status.js';
import type { Row } from './schemas.js';
import { fusionDate, type FusionState, type PoLine, type PoSchedule } from './state.js';

export interface LineContext {
  lineSpecs: { item: string; quantity: number }[];
  poHeaderId: number;
  orderNumber: string;
  status: string;
  createdMs: number;
  created: string;
  createdBy: string;
  supplierNumber: string;
  shipTo: Row;
  carrier: CarrierChoice | null;
  onHeader: boolean;
  requester: { id: number; display: string };
}

export function buildLines(state: FusionState, rng: Rng, ctx: LineContext): PoLine[] {
  return ctx.lineSpecs.map((ls, index) => {
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
        POHeaderId: ctx.poHeaderId,
        OrderNumber: ctx.orderNumber,
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
        StatusCode: ctx.status,
        Status: STATUS_NAMES[ctx.status]!,
        SupplierItem: `${ctx.supplierNumber}-${item.number}`,
        UNNumber: item.hazard?.unNumber ?? null,
        HazardClass: item.hazard?.hazardClass ?? null,
        CreationDate: ctx.created,
        CreatedBy: ctx.createdBy,
        LastUpdateDate: ctx.created,
        LastUpdatedBy: ctx.createdBy,
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
      const loc = schedShipTo ? state.findLocation(schedShipTo.code)!.row : ctx.shipTo;
      const allShipTo = [...SHIP_TO_LOCATIONS, ...BAD_SHIP_TO_LOCATIONS];
      const orgIndex = allShipTo.findIndex((l) => l.code === loc.LocationCode);
      const orgCode = allShipTo[orgIndex]!.orgCode;
      const schedCarrier = ctx.carrier && !ctx.onHeader ? ctx.carrier : null;
      const deliveryMs = ctx.createdMs + between(rng, 7, 21) * DAY;
      const schedule = {
        row: {
          LineLocationId: lineLocationId,
          ScheduleNumber: sIndex + 1,
          POLineId: poLineId,
          POHeaderId: ctx.poHeaderId,
          LineNumber: index + 1,
          StatusCode: ctx.status,
          Status: STATUS_NAMES[ctx.status]!,
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
          CreationDate: ctx.created,
          CreatedBy: ctx.createdBy,
          LastUpdateDate: ctx.created,
          LastUpdatedBy: ctx.createdBy,
        } satisfies Row,
        dff: {
          LineLocationId: lineLocationId,
          __FLEX_Context: null,
          __FLEX_Context_DisplayValue: null,
        } as Row,
        uniqId: '',
        distributions: [] as PoSchedule['distributions'],
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
            POHeaderId: ctx.poHeaderId,
            POLineId: poLineId,
            LineLocationId: lineLocationId,
            Quantity: dq,
            Ordered: round2(item.price * dq),
            UOMCode: item.uomCode,
            DeliverToLocationId: loc.LocationId,
            DeliverToLocationCode: loc.LocationCode,
            RequesterId: ctx.requester.id,
            Requester: ctx.requester.display,
            POChargeAccountId: 300000048000000 + Number(cc) * 10 + dIndex,
            POChargeAccount: account,
            DestinationChargeAccountId: null,
            DestinationChargeAccount: null,
            Percent: round2((dq / qty) * 100),
            CreationDate: ctx.created,
            CreatedBy: ctx.createdBy,
            LastUpdateDate: ctx.created,
            LastUpdatedBy: ctx.createdBy,
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
}
