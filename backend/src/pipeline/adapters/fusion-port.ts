/**
 * The pipeline's Fusion port over the Fusion client (backend/src/fusion). Item weights come from the item
 * master (cached per item and organisation); header DFF segments become the PO's flexfields. The client's
 * own PO object is kept for the write-back (links, procurement BU) of the POs this adapter has read.
 */
import type { FusionClient } from '../../fusion/fusion-client.js';
import type { FusionPurchaseOrder, ItemPhysicalAttributes } from '../../fusion/types.js';
import type { StatusMechanism, StatusSegments } from '../../fusion/write-back/status.js';
import type { LengthUnit, WeightUnit } from '../../domain/types.js';
import { LookupCache } from '../resolve-addresses.js';
import type { FusionPort, PoLine, PoRef, PurchaseOrder } from '../ports.js';

export interface FusionPortSettings {
  /** How the PO status (shipped / address needs correction / failed) reaches Fusion; 'none' keeps it here. */
  statusMechanism: StatusMechanism | 'none';
  /** DFF segments for the status ('flexfield'), and the DFF context. */
  statusSegments?: StatusSegments;
  /** DFF segment that receives the tracking number(s) for the flexfield write-back. */
  trackingSegment?: string;
  /** FreightCarrierName on ASNs; must be a carrier defined in Fusion. Default "UPS". */
  carrierName?: string;
  itemCacheTtlMs?: number;
}

const WEIGHT_UNITS: Record<string, WeightUnit> = {
  LB: 'LBS',
  LBS: 'LBS',
  POUND: 'LBS',
  POUNDS: 'LBS',
  KG: 'KGS',
  KGS: 'KGS',
  KILOGRAM: 'KGS',
  KILOGRAMS: 'KGS',
};
const LENGTH_UNITS: Record<string, LengthUnit> = {
  IN: 'IN',
  INCH: 'IN',
  INCHES: 'IN',
  CM: 'CM',
  CENTIMETER: 'CM',
  CENTIMETERS: 'CM',
};

/** Item master weight in a unit UPS takes (grams and ounces converted); undefined when unknown. */
export function itemWeight(attrs: ItemPhysicalAttributes | null): PoLine['unitWeight'] {
  if (!attrs?.unitWeight || !(attrs.unitWeight.value > 0)) return undefined;
  const uom = attrs.unitWeight.uom.trim().toUpperCase();
  const direct = WEIGHT_UNITS[uom];
  if (direct) return { value: attrs.unitWeight.value, unit: direct };
  if (uom === 'G' || uom === 'GRAM' || uom === 'GRAMS')
    return { value: attrs.unitWeight.value / 1000, unit: 'KGS' };
  if (uom === 'OZ' || uom === 'OUNCE' || uom === 'OUNCES')
    return { value: attrs.unitWeight.value / 16, unit: 'LBS' };
  return undefined;
}

export function itemDimensions(attrs: ItemPhysicalAttributes | null): PoLine['unitDimensions'] {
  const d = attrs?.dimensions;
  const unit = d ? LENGTH_UNITS[d.uom.trim().toUpperCase()] : undefined;
  return d && unit && d.length > 0 && d.width > 0 && d.height > 0
    ? { length: d.length, width: d.width, height: d.height, unit }
    : undefined;
}

export function fusionPort(client: FusionClient, settings: FusionPortSettings): FusionPort {
  const items = new LookupCache<ItemPhysicalAttributes | null>(settings.itemCacheTtlMs ?? 60 * 60_000);
  const read = new Map<string, FusionPurchaseOrder>();

  async function fusionPo(poHeaderId: string): Promise<FusionPurchaseOrder> {
    const known = read.get(poHeaderId);
    if (known) return known;
    const po = await client.getPurchaseOrder(poHeaderId);
    remember(po);
    return po;
  }
  function remember(po: FusionPurchaseOrder) {
    read.delete(po.poHeaderId);
    read.set(po.poHeaderId, po);
    // Bounded: the write-back needs only the POs of the current cycle.
    if (read.size > 1000) read.delete(read.keys().next().value!);
  }

  async function toPipelinePo(po: FusionPurchaseOrder): Promise<PurchaseOrder> {
    const lines: PoLine[] = [];
    for (const line of po.lines) {
      const org = line.schedules[0]?.shipToOrganizationId;
      const itemId = line.itemId;
      const attrs = itemId
        ? await items.get(`${itemId}@${org ?? ''}`, () => client.getItemPhysicalAttributes(itemId, org))
        : null;
      lines.push({
        poLineId: line.poLineId,
        lineNumber: line.lineNumber,
        itemNumber: line.itemNumber,
        description: line.description,
        quantity: line.quantity,
        uom: line.uom ?? line.uomCode,
        statusCode: line.statusCode,
        unitWeight: itemWeight(attrs),
        unitDimensions: itemDimensions(attrs),
        schedules: line.schedules
          .filter((s) => !/CLOSED|CANCEL/i.test(s.statusCode ?? ''))
          .map((s) => ({
            lineLocationId: s.lineLocationId,
            scheduleNumber: s.scheduleNumber,
            quantity: s.quantity - (s.quantityReceived ?? 0),
            shipToOrganizationCode: s.shipToOrganizationCode,
            shipToLocationId: s.shipToLocationId,
            carrier: s.carrier,
            shippingMethod: s.shippingMethod,
            serviceLevel: s.serviceLevel,
            distributions: s.distributions.map((d) => ({
              chargeAccount: d.chargeAccount,
              quantity: d.quantity,
            })),
          })),
      });
    }
    return {
      poHeaderId: po.poHeaderId,
      orderNumber: po.orderNumber,
      revision: po.revision,
      statusCode: po.statusCode,
      lastUpdateDate: po.lastUpdateDate,
      frozen: po.frozen,
      supplierId: po.supplierId,
      supplier: po.supplier,
      supplierSiteId: po.supplierSiteId,
      supplierSite: po.supplierSite,
      carrier: po.carrier,
      shippingMethod: po.shippingMethod,
      serviceLevel: po.serviceLevel,
      shipToLocationId: po.shipToLocationId,
      flexfields: { ...po.dff.segments, ...(po.dff.context ? { __FLEX_Context: po.dff.context } : {}) },
      lines,
    };
  }

  const links = async (po: PoRef) => (await fusionPo(po.poHeaderId)).links;

  return {
    async listChangedSince(since, { after, offset, limit }) {
      const page = await client.listChangedSince({ since, offset, limit, ...(after ? { after } : {}) });
      return { items: page.items, hasMore: page.hasMore };
    },
    async getPurchaseOrder(poHeaderId) {
      const po = await client.getPurchaseOrder(poHeaderId);
      remember(po);
      return toPipelinePo(po);
    },
    getShipToAddress: (locationId) => client.getShipToAddress(locationId),
    getSupplierSiteAddress: (supplierId, siteId) => client.getSupplierSiteAddress(supplierId, siteId),

    async findAsn(po, shipmentNumber) {
      return (
        (await client.findExistingAsn(po.poHeaderId, { shipmentNumber, trackingNumber: shipmentNumber })) !==
        null
      );
    },
    async createAsn(request) {
      const po = await fusionPo(request.po.poHeaderId);
      await client.createAsn({
        po,
        shipmentNumber: request.shipmentNumber,
        trackingNumber: request.trackingNumber,
        shippedDate: request.shippedDate,
        carrierName: settings.carrierName ?? 'UPS',
        packingSlip: po.orderNumber,
        lines: request.lines.map((l) => ({
          poLineId: l.poLineId,
          lineNumber: l.lineNumber,
          lineLocationId: l.lineLocationId,
          scheduleNumber: l.scheduleNumber,
          quantity: l.quantity,
          uom: l.uom,
          itemNumber: l.itemNumber,
        })),
      });
    },
    async writeTrackingFlexfield(po, trackingNumbers) {
      if (!settings.trackingSegment) {
        throw Object.assign(
          new Error(
            'no DFF segment is configured for the tracking number (writeBack.flexfield.trackingNumberSegment)',
          ),
          { kind: 'hard', system: 'fusion' },
        );
      }
      await client.writeHeaderFlexfield(
        po.poHeaderId,
        {
          context: settings.statusSegments?.context,
          segments: { [settings.trackingSegment]: trackingNumbers.join(' ').slice(0, 150) },
        },
        { description: 'UPS tracking number' },
      );
    },
    async addTrackingAttachment(po, title, url) {
      await client.addAttachment(
        { poHeaderId: po.poHeaderId, links: await links(po) },
        { kind: 'url', title, url },
      );
    },
    async writePoStatus(po, status) {
      if (settings.statusMechanism === 'none') return;
      await client.writePoStatus({
        mechanism: settings.statusMechanism,
        poHeaderId: po.poHeaderId,
        update: status,
        segments: settings.statusSegments,
        poAttachmentsHref:
          settings.statusMechanism === 'attachment' ? (await links(po)).attachments : undefined,
      });
    },
  };
}
