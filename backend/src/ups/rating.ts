/**
 * UPS Rating (Rate, Shop, with or without time in transit), ups.md §2. Rating says `PaymentDetails` and
 * `Package.PackagingType` where Shipping says `PaymentInformation` and `Package.Packaging`.
 */
import type { Money, PackageSpec, PostalAddress } from '../domain/types.js';
import { clip, inputError, toUpsAddress } from './address-format.js';
import type { UpsHttp } from './http.js';
import { alerts, asArray, money, pick, text } from './normalise.js';
import type { UpsAlert } from './normalise.js';
import { checkPackages, packageDimensions, packageWeight, packagingCode } from './package-format.js';

export const RATING_VERSION = 'v2409';

export type RateMode = 'Rate' | 'Shop';

export interface RateInput {
  shipperNumber: string;
  shipper: PostalAddress;
  shipFrom?: PostalAddress;
  shipTo: PostalAddress;
  packages: PackageSpec[];
  /** Required for Rate, ignored for Shop. */
  serviceCode?: string;
  negotiatedRates?: boolean;
  customerContext?: string;
  /** Ask for time in transit; pickup date YYYYMMDD. */
  timeInTransit?: { pickupDate: string; packageBillType?: string };
}

export interface RateQuote {
  serviceCode: string;
  serviceName?: string;
  /** Published rate (`TotalCharges`). */
  published: Money;
  /** Account-specific rate when UPS returned one. */
  negotiated?: Money;
  /** What the shipper will pay: negotiated when present, else published. */
  total: Money;
  billingWeight?: { value: string; unit: string };
  businessDaysInTransit?: string;
  estimatedArrival?: { date: string; time?: string };
  alerts: UpsAlert[];
}

export interface RateResult {
  quotes: RateQuote[];
  alerts: UpsAlert[];
}

export function ratingRequestOption(mode: RateMode, timeInTransit: boolean): string {
  if (!timeInTransit) return mode;
  return mode === 'Rate' ? 'Ratetimeintransit' : 'Shoptimeintransit';
}

export function ratingPath(mode: RateMode, timeInTransit: boolean): string {
  return `/api/rating/${RATING_VERSION}/${ratingRequestOption(mode, timeInTransit)}`;
}

function party(role: string, address: PostalAddress, residentialFlag: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const name = clip(address.name, 35);
  if (name) out.Name = name;
  const attention = clip(address.attentionName, 35);
  if (attention) out.AttentionName = attention;
  const upsAddress = toUpsAddress('rate', role, address, { stateMax: 2, requireCity: false });
  if (residentialFlag && address.residential) upsAddress.ResidentialAddressIndicator = '';
  out.Address = upsAddress;
  return out;
}

export function toRateRequest(input: RateInput, mode: RateMode): Record<string, unknown> {
  checkPackages('rate', input.packages);
  if (!/^[0-9A-Z]{6}$/.test(input.shipperNumber)) {
    throw inputError('rate', `shipper number "${input.shipperNumber}" must be 6 characters`);
  }
  if (mode === 'Rate' && !input.serviceCode)
    throw inputError('rate', 'Rate needs a service code (or use Shop)');
  const shipment: Record<string, unknown> = {
    Shipper: { ...party('shipper', input.shipper, false), ShipperNumber: input.shipperNumber },
    ShipTo: party('ship-to', input.shipTo, true),
  };
  if (input.shipFrom) shipment.ShipFrom = party('ship-from', input.shipFrom, false);
  shipment.PaymentDetails = {
    ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: input.shipperNumber } }],
  };
  if (mode === 'Rate' && input.serviceCode) shipment.Service = { Code: input.serviceCode };
  shipment.NumOfPieces = String(input.packages.length);
  shipment.Package = input.packages.map((pkg) => {
    const p: Record<string, unknown> = { PackagingType: { Code: packagingCode('rate', pkg) } };
    const dims = packageDimensions('rate', pkg);
    if (dims) p.Dimensions = dims;
    p.PackageWeight = packageWeight('rate', pkg);
    return p;
  });
  if (input.negotiatedRates) shipment.ShipmentRatingOptions = { NegotiatedRatesIndicator: '' };
  if (input.timeInTransit) {
    if (!/^\d{8}$/.test(input.timeInTransit.pickupDate)) {
      throw inputError('rate', `pickup date "${input.timeInTransit.pickupDate}" must be YYYYMMDD`);
    }
    shipment.DeliveryTimeInformation = {
      PackageBillType: input.timeInTransit.packageBillType ?? '03',
      Pickup: { Date: input.timeInTransit.pickupDate },
    };
  }
  const request: Record<string, unknown> = {
    RequestOption: ratingRequestOption(mode, input.timeInTransit !== undefined),
    SubVersion: RATING_VERSION.slice(1),
  };
  if (input.customerContext)
    request.TransactionReference = { CustomerContext: input.customerContext.slice(0, 512) };
  return { RateRequest: { Request: request, Shipment: shipment } };
}

function quoteOf(rated: unknown): RateQuote | undefined {
  const serviceCode = text(pick(rated, 'Service', 'Code'));
  const published = money(pick(rated, 'TotalCharges'));
  if (!serviceCode || !published) return undefined;
  const negotiated = money(pick(rated, 'NegotiatedRateCharges', 'TotalCharge'), published.currency);
  const quote: RateQuote = {
    serviceCode,
    published,
    total: negotiated ?? published,
    alerts: alerts(pick(rated, 'RatedShipmentAlert')),
  };
  if (negotiated) quote.negotiated = negotiated;
  const serviceName =
    text(pick(rated, 'Service', 'Description')) ??
    text(pick(rated, 'TimeInTransit', 'ServiceSummary', 'Service', 'Description'));
  if (serviceName) quote.serviceName = serviceName;
  const weight = text(pick(rated, 'BillingWeight', 'Weight'));
  const unit = text(pick(rated, 'BillingWeight', 'UnitOfMeasurement', 'Code'));
  if (weight) quote.billingWeight = { value: weight, unit: unit ?? '' };
  const arrival = pick(rated, 'TimeInTransit', 'ServiceSummary', 'EstimatedArrival');
  const days =
    text(pick(arrival, 'BusinessDaysInTransit')) ??
    text(pick(rated, 'GuaranteedDelivery', 'BusinessDaysInTransit'));
  if (days) quote.businessDaysInTransit = days;
  const date = text(pick(arrival, 'Arrival', 'Date'));
  if (date) {
    const time = text(pick(arrival, 'Arrival', 'Time'));
    quote.estimatedArrival = time ? { date, time } : { date };
  }
  return quote;
}

export function fromRateResponse(body: unknown): RateResult {
  const rr = pick(body, 'RateResponse');
  return {
    quotes: asArray(pick(rr, 'RatedShipment'))
      .map(quoteOf)
      .filter((q): q is RateQuote => q !== undefined),
    alerts: alerts(pick(rr, 'Response', 'Alert')),
  };
}

export async function rateShipment(
  http: UpsHttp,
  input: RateInput,
  mode: RateMode = 'Rate',
): Promise<RateResult> {
  const res = await http.send({
    operation: mode === 'Rate' ? 'rate' : 'shop',
    method: 'POST',
    path: ratingPath(mode, input.timeInTransit !== undefined),
    body: toRateRequest(input, mode),
    customerContext: input.customerContext,
  });
  return fromRateResponse(res.body);
}
