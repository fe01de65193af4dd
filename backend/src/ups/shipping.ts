/**
 * UPS Shipping: Create Shipment and Void (ups.md §3.1, §3.2). Create Shipment has no idempotency key, so
 * it is sent as non-idempotent: a failure after sending becomes `UpsInDoubtError`, and our intent id travels
 * in `TransactionReference.CustomerContext` so a lookup can tie a found shipment to it.
 */
import type { Money, PackageSpec, PostalAddress } from '../domain/types.js';
import { clip, inputError, isUsLike, toUpsAddress, upsPhone } from './address-format.js';
import { UpsError, UpsInDoubtError, VOID_WINDOW_CLOSED_CODE } from './errors.js';
import type { UpsHttp } from './http.js';
import { alerts, asArray, money, pick, text } from './normalise.js';
import type { UpsAlert } from './normalise.js';
import { checkPackages, packageDimensions, packageWeight, packagingCode } from './package-format.js';

export const SHIPPING_VERSION = 'v2409';

export type LabelFormat = 'GIF' | 'ZPL';

export interface ShipInput {
  /** Six-character UPS account; also billed (BillShipper.AccountNumber). */
  shipperNumber: string;
  shipper: PostalAddress;
  shipFrom?: PostalAddress;
  shipTo: PostalAddress;
  serviceCode: string;
  packages: PackageSpec[];
  labelFormat: LabelFormat;
  /** Our ship intent id, echoed by UPS; ≤ 512 characters. */
  customerContext: string;
  /** YYYYMMDD, up to 7 days ahead. */
  shipmentDate?: string;
  /** ≤ 50 characters; needed for most international shipments. */
  description?: string;
  negotiatedRates?: boolean;
  /** "validate" checks city/state/postal code (default); "nonvalidate" only postal/state. */
  requestOption?: 'validate' | 'nonvalidate';
}

export interface ShippingLabel {
  trackingNumber: string;
  format: string;
  /** Base64 as UPS sent it. */
  imageBase64: string;
}

export interface ShipResult {
  shipmentId: string;
  trackingNumbers: string[];
  labels: ShippingLabel[];
  charges: { published?: Money; negotiated?: Money; total?: Money };
  billingWeight?: { value: string; unit: string };
  alerts: UpsAlert[];
  customerContext?: string;
  transactionIdentifier?: string;
}

export function shipPath(): string {
  return `/api/shipments/${SHIPPING_VERSION}/ship`;
}

function party(role: string, address: PostalAddress, extra: { residential?: boolean; email?: boolean }) {
  const name = clip(address.name ?? address.attentionName, 35);
  if (!name) throw inputError('ship', `${role} needs a name`);
  const out: Record<string, unknown> = { Name: name };
  const attention = clip(address.attentionName, 35);
  if (attention) out.AttentionName = attention;
  const phone = upsPhone(address.phone);
  if (phone) out.Phone = { Number: phone };
  const email = clip(address.email, 50);
  if (extra.email && email) out.EMailAddress = email;
  const upsAddress = toUpsAddress('ship', role, address, { stateMax: 5, requireCity: true });
  if (extra.residential && address.residential) upsAddress.ResidentialAddressIndicator = '';
  out.Address = upsAddress;
  return out;
}

function references(values: string[] | undefined): Record<string, unknown>[] {
  return (values ?? [])
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .slice(0, 5)
    .map((v, i) => (i === 0 ? { Code: 'PO', Value: v.slice(0, 35) } : { Value: v.slice(0, 35) }));
}

export function toShipRequest(input: ShipInput): Record<string, unknown> {
  checkPackages('ship', input.packages);
  if (!/^[0-9A-Z]{6}$/.test(input.shipperNumber)) {
    throw inputError('ship', `shipper number "${input.shipperNumber}" must be 6 characters`);
  }
  if (!/^[0-9A-Z]{2}$/.test(input.serviceCode))
    throw inputError('ship', `service code "${input.serviceCode}" must be 2 characters`);
  if (!input.customerContext)
    throw inputError('ship', 'a ship request needs the intent id as CustomerContext');
  const origin = input.shipFrom ?? input.shipper;
  // Package-level references print for US/US and PR/PR only; elsewhere UPS wants them on the shipment.
  const domestic = isUsLike(origin.countryCode) && isUsLike(input.shipTo.countryCode);
  const shipment: Record<string, unknown> = {};
  if (input.description) shipment.Description = input.description.trim().slice(0, 50);
  shipment.Shipper = {
    ...party('shipper', input.shipper, { email: true }),
    ShipperNumber: input.shipperNumber,
  };
  shipment.ShipTo = party('ship-to', input.shipTo, { residential: true, email: true });
  if (input.shipFrom) shipment.ShipFrom = party('ship-from', input.shipFrom, {});
  shipment.PaymentInformation = {
    ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: input.shipperNumber } }],
  };
  if (input.negotiatedRates) shipment.ShipmentRatingOptions = { NegotiatedRatesIndicator: '' };
  if (!domestic) {
    const shipmentRefs = references(input.packages.flatMap((p) => p.references ?? [])).slice(0, 2);
    if (shipmentRefs.length > 0) shipment.ReferenceNumber = shipmentRefs;
  }
  shipment.Service = { Code: input.serviceCode };
  if (input.shipmentDate) {
    if (!/^\d{8}$/.test(input.shipmentDate))
      throw inputError('ship', `shipment date "${input.shipmentDate}" must be YYYYMMDD`);
    shipment.ShipmentDate = input.shipmentDate;
  }
  shipment.Package = input.packages.map((pkg) => {
    const p: Record<string, unknown> = { Packaging: { Code: packagingCode('ship', pkg) } };
    const dims = packageDimensions('ship', pkg);
    if (dims) p.Dimensions = dims;
    p.PackageWeight = packageWeight('ship', pkg);
    const refs = domestic ? references(pkg.references) : [];
    if (refs.length > 0) p.ReferenceNumber = refs;
    return p;
  });
  const labelSpecification: Record<string, unknown> = {
    LabelImageFormat: { Code: input.labelFormat },
    LabelStockSize: { Height: '6', Width: '4' },
  };
  if (input.labelFormat === 'GIF') labelSpecification.HTTPUserAgent = 'Mozilla/4.5';
  return {
    ShipmentRequest: {
      Request: {
        RequestOption: input.requestOption ?? 'validate',
        SubVersion: SHIPPING_VERSION.slice(1),
        TransactionReference: { CustomerContext: input.customerContext.slice(0, 512) },
      },
      Shipment: shipment,
      LabelSpecification: labelSpecification,
    },
  };
}

export function fromShipResponse(body: unknown): ShipResult {
  const sr = pick(body, 'ShipmentResponse');
  const results = pick(sr, 'ShipmentResults');
  const packages = asArray(pick(results, 'PackageResults'));
  const trackingNumbers = packages
    .map((p) => text(pick(p, 'TrackingNumber')))
    .filter((t): t is string => !!t);
  const shipmentId = text(pick(results, 'ShipmentIdentificationNumber')) ?? trackingNumbers[0];
  if (!shipmentId) {
    throw new UpsInDoubtError({
      operation: 'ship',
      upsMessage: 'UPS answered without a shipment identification number or tracking number',
    });
  }
  const labels: ShippingLabel[] = [];
  for (const p of packages) {
    const trackingNumber = text(pick(p, 'TrackingNumber'));
    const image = text(pick(p, 'ShippingLabel', 'GraphicImage'));
    if (trackingNumber && image) {
      labels.push({
        trackingNumber,
        format: (text(pick(p, 'ShippingLabel', 'ImageFormat', 'Code')) ?? '').toUpperCase(),
        imageBase64: image,
      });
    }
  }
  const published = money(pick(results, 'ShipmentCharges', 'TotalCharges'));
  const negotiated = money(pick(results, 'NegotiatedRateCharges', 'TotalCharge'), published?.currency);
  const charges: ShipResult['charges'] = {};
  if (published) charges.published = published;
  if (negotiated) charges.negotiated = negotiated;
  const total = negotiated ?? published;
  if (total) charges.total = total;
  const out: ShipResult = {
    shipmentId,
    trackingNumbers: trackingNumbers.length > 0 ? trackingNumbers : [shipmentId],
    labels,
    charges,
    alerts: alerts(pick(sr, 'Response', 'Alert')),
  };
  const weight = text(pick(results, 'BillingWeight', 'Weight'));
  if (weight)
    out.billingWeight = {
      value: weight,
      unit: text(pick(results, 'BillingWeight', 'UnitOfMeasurement', 'Code')) ?? '',
    };
  const context = text(pick(sr, 'Response', 'TransactionReference', 'CustomerContext'));
  if (context) out.customerContext = context;
  const txId = text(pick(sr, 'Response', 'TransactionReference', 'TransactionIdentifier'));
  if (txId) out.transactionIdentifier = txId;
  return out;
}

/** Sends Create Shipment once; never retried after it may have reached UPS (see http.ts). */
export async function createShipment(http: UpsHttp, input: ShipInput): Promise<ShipResult> {
  const res = await http.send({
    operation: 'ship',
    method: 'POST',
    path: shipPath(),
    query: { additionaladdressvalidation: 'city' },
    body: toShipRequest(input),
    nonIdempotent: true,
    customerContext: input.customerContext,
  });
  return fromShipResponse(res.body);
}

// ---- Void ---------------------------------------------------------------------------------------------

export type VoidStatus =
  'voided' | 'already_voided' | 'partially_voided' | 'not_voided' | 'void_window_closed';

export interface VoidResult {
  status: VoidStatus;
  description?: string;
  packages: { trackingNumber: string; voided: boolean; description?: string }[];
  alerts: UpsAlert[];
}

export function voidPath(shipmentId: string): string {
  return `/api/shipments/${SHIPPING_VERSION}/void/cancel/${encodeURIComponent(shipmentId)}`;
}

export function fromVoidResponse(body: unknown): VoidResult {
  const vr = pick(body, 'VoidShipmentResponse');
  // Real bodies say PackageLevelResult (object or array); the spec says PackageLevelResults.
  const packages = asArray(pick(vr, 'PackageLevelResults'))
    .concat(asArray(pick(vr, 'PackageLevelResult')))
    .map((p) => {
      const description = text(pick(p, 'Status', 'Description'));
      return {
        trackingNumber: text(pick(p, 'TrackingNumber')) ?? '',
        voided: text(pick(p, 'Status', 'Code')) === '1',
        ...(description ? { description } : {}),
      };
    });
  const code = text(pick(vr, 'SummaryResult', 'Status', 'Code'));
  const description = text(pick(vr, 'SummaryResult', 'Status', 'Description'));
  let status: VoidStatus;
  if (code === '1') status = /already/i.test(description ?? '') ? 'already_voided' : 'voided';
  else if (packages.some((p) => p.voided)) status = 'partially_voided';
  else status = 'not_voided';
  const out: VoidResult = { status, packages, alerts: alerts(pick(vr, 'Response', 'Alert')) };
  if (description) out.description = description;
  return out;
}

/**
 * Voids a whole shipment, or some of its packages. "Already voided" is success; 190102 (no shipment within
 * the void window) comes back as `void_window_closed` rather than an error, since callers branch on it.
 */
export async function voidShipment(
  http: UpsHttp,
  shipmentId: string,
  trackingNumbers: string[] = [],
): Promise<VoidResult> {
  const id = shipmentId.trim();
  if (!/^[0-9A-Z]{18}$/i.test(id))
    throw inputError('void', `shipment id "${shipmentId}" must be an 18-character 1Z number`);
  const tn = trackingNumbers.map((t) => t.trim()).filter((t) => t !== '');
  if (tn.length > 20) throw inputError('void', 'UPS voids at most 20 packages per call');
  let trackingnumber: string | undefined;
  if (tn.length === 1) trackingnumber = tn[0];
  else if (tn.length > 1) trackingnumber = `[${tn.map((t) => `"${t}"`).join(',')}]`;
  try {
    const res = await http.send({
      operation: 'void',
      method: 'DELETE',
      path: voidPath(id),
      query: { trackingnumber },
    });
    return fromVoidResponse(res.body);
  } catch (e) {
    if (e instanceof UpsError && e.code === VOID_WINDOW_CLOSED_CODE) {
      return { status: 'void_window_closed', description: e.upsMessage, packages: [], alerts: [] };
    }
    throw e;
  }
}
