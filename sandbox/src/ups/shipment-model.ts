/**
 * What Rating and Shipping share: reading a Shipment from a request (objects or arrays, as UPS accepts both),
 * the rules that refuse it, and deterministic prices from weight, zone and service.
 */
import { E } from './errors.js';
import type { LedgerPackage, LedgerShipment, PostalAddress } from './state.js';

/** Untyped UPS JSON at the edge; every field read from it is narrowed where it is used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UpsJson = any;

export interface ServiceInfo {
  code: string;
  name: string;
  base: number;
  perLb: number;
  /** Business days in transit; Ground depends on the zone. */
  days: number | 'zone';
}

export const DOMESTIC_SERVICES: readonly ServiceInfo[] = [
  { code: '14', name: 'UPS Next Day Air Early', base: 58.0, perLb: 3.4, days: 1 },
  { code: '01', name: 'UPS Next Day Air', base: 28.5, perLb: 3.1, days: 1 },
  { code: '13', name: 'UPS Next Day Air Saver', base: 25.1, perLb: 2.75, days: 1 },
  { code: '59', name: 'UPS 2nd Day Air A.M.', base: 20.9, perLb: 1.9, days: 2 },
  { code: '02', name: 'UPS 2nd Day Air', base: 17.2, perLb: 1.65, days: 2 },
  { code: '12', name: 'UPS 3 Day Select', base: 13.4, perLb: 1.05, days: 3 },
  { code: '03', name: 'UPS Ground', base: 9.85, perLb: 0.62, days: 'zone' },
];
const INTERNATIONAL_ONLY = new Set(['07', '08', '11', '54', '65', '72', '17', '96']);

export interface ParsedPackage {
  weightLbs: number;
  billableLbs: number;
  references: string[];
  packagingCode: string;
}

export interface ParsedShipment {
  shipperNumber?: string;
  shipperName: string;
  shipper: PostalAddress;
  shipTo: PostalAddress & { name: string; attentionName?: string };
  shipFrom: PostalAddress;
  serviceCode?: string;
  packages: ParsedPackage[];
  billShipperAccount?: string;
  negotiatedRequested: boolean;
  shipmentReferences: string[];
}

export function asArray<T>(v: T | T[] | undefined | null | ''): T[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function s(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function address(a: UpsJson): PostalAddress {
  return {
    addressLines: asArray<unknown>(a?.AddressLine).map(s).filter(Boolean),
    city: s(a?.City),
    stateProvinceCode: s(a?.StateProvinceCode).toUpperCase(),
    postalCode: s(a?.PostalCode),
    countryCode: s(a?.CountryCode).toUpperCase(),
    residential: a?.ResidentialAddressIndicator !== undefined,
  };
}

function references(v: unknown): string[] {
  return asArray<UpsJson>(v as UpsJson)
    .map((r) => s(r?.Value))
    .filter(Boolean);
}

function toLbs(weight: number, unit: string): number {
  if (unit === 'KGS') return weight * 2.20462;
  if (unit === 'OZS') return weight / 16;
  return weight;
}

/** Reads Rating's `Package.PackagingType` or Shipping's `Package.Packaging`, and either payment container. */
export function parseShipment(shipment: UpsJson): ParsedShipment {
  if (!shipment || typeof shipment !== 'object') throw E.malformedBody('Shipment is required');
  const packages = asArray<UpsJson>(shipment.Package).map((p, i): ParsedPackage => {
    const raw = s(p?.PackageWeight?.Weight);
    const weight = Number(raw);
    if (raw === '' || !Number.isFinite(weight) || weight <= 0) throw E.weightMissing(i + 1);
    const lbs = toLbs(weight, s(p?.PackageWeight?.UnitOfMeasurement?.Code).toUpperCase() || 'LBS');
    let dimLbs = 0;
    const d = p?.Dimensions;
    if (d) {
      const cm = s(d.UnitOfMeasurement?.Code).toUpperCase() === 'CM';
      const [l, w, h] = [d.Length, d.Width, d.Height].map((x) => Number(s(x)) / (cm ? 2.54 : 1));
      if ([l, w, h].every((x) => Number.isFinite(x) && x! > 0)) dimLbs = Math.ceil((l! * w! * h!) / 139);
    }
    return {
      weightLbs: lbs,
      billableLbs: Math.max(Math.ceil(lbs), dimLbs, 1),
      references: references(p?.ReferenceNumber),
      packagingCode: s(p?.Packaging?.Code ?? p?.PackagingType?.Code) || '02',
    };
  });
  if (packages.length === 0) throw E.noPackages();
  const charges = asArray<UpsJson>((shipment.PaymentInformation ?? shipment.PaymentDetails)?.ShipmentCharge);
  const billShipper = charges.find((c) => c?.BillShipper)?.BillShipper;
  const shipper = address(shipment.Shipper?.Address);
  const shipTo = address(shipment.ShipTo?.Address);
  return {
    shipperNumber: s(shipment.Shipper?.ShipperNumber) || undefined,
    shipperName: s(shipment.Shipper?.Name) || 'SHIPPER',
    shipper,
    shipTo: {
      ...shipTo,
      name: s(shipment.ShipTo?.Name) || 'CONSIGNEE',
      ...(s(shipment.ShipTo?.AttentionName) ? { attentionName: s(shipment.ShipTo?.AttentionName) } : {}),
    },
    shipFrom: shipment.ShipFrom?.Address ? address(shipment.ShipFrom.Address) : shipper,
    serviceCode: s(shipment.Service?.Code) || undefined,
    packages,
    billShipperAccount: billShipper ? s(billShipper.AccountNumber) : undefined,
    negotiatedRequested: shipment.ShipmentRatingOptions?.NegotiatedRatesIndicator !== undefined,
    shipmentReferences: references(shipment.ReferenceNumber),
  };
}

function zip3(a: PostalAddress): number {
  return Number(a.postalCode.replace(/\D/g, '').slice(0, 3) || '0');
}

/** UPS zones 002–008 from the distance between the first ZIP digits of origin and destination. */
export function zoneOf(from: PostalAddress, to: PostalAddress): number {
  const d1 = Math.floor(zip3(from) / 100);
  const d2 = Math.floor(zip3(to) / 100);
  return 2 + Math.min(6, Math.abs(d1 - d2));
}

function isAlaskaOrHawaii(a: PostalAddress): boolean {
  const z = zip3(a);
  return (
    a.stateProvinceCode === 'AK' ||
    a.stateProvinceCode === 'HI' ||
    (z >= 995 && z <= 999) ||
    z === 967 ||
    z === 968
  );
}

/** US/US or PR/PR: the pairs where only package-level references are valid (ups.md §3.1). */
export function domesticPair(p: Pick<ParsedShipment, 'shipFrom' | 'shipTo'>): boolean {
  return p.shipFrom.countryCode === p.shipTo.countryCode && ['US', 'PR'].includes(p.shipTo.countryCode);
}

/**
 * The packages a by-reference lookup finds: those carrying the value as a package reference, or all of them
 * when it is a (non-domestic) shipment reference. CustomerContext is not indexed by UPS.
 */
export function referencedBy(s: LedgerShipment, value: string): LedgerPackage[] {
  if (s.shipmentReferences.includes(value)) return s.packages;
  return s.packages.filter((p) => p.references.includes(value));
}

/** Refuses weights over 150 lb and services that the route or the destination does not allow. */
export function checkService(p: ParsedShipment, code: string): ServiceInfo {
  p.packages.forEach((pkg) => {
    if (pkg.weightLbs > 150) throw E.weightOver150();
  });
  if (domesticPair(p) && INTERNATIONAL_ONLY.has(code)) throw E.serviceInvalidOrigin();
  const info = DOMESTIC_SERVICES.find((x) => x.code === code);
  if (!info) throw E.serviceInvalidOrigin();
  if (code === '03' && isAlaskaOrHawaii(p.shipTo) !== isAlaskaOrHawaii(p.shipFrom))
    throw E.serviceUnavailableLocations();
  if (code === '14' && p.shipTo.residential) throw E.serviceUnavailableResidential();
  return info;
}

export interface Itemized {
  Code: string;
  Description: string;
  CurrencyCode: 'USD';
  MonetaryValue: string;
}

export interface Priced {
  service: ServiceInfo;
  zone: number;
  billableLbs: number;
  perPackage: Array<{ base: number; transport: number; billableLbs: number }>;
  itemized: Itemized[];
  base: number;
  transportation: number;
  serviceOptions: number;
  total: number;
  negotiatedTotal: number;
  businessDays: number;
}

const money = (n: number) => n.toFixed(2);
export { money };

/** Deterministic published rate: (base + perLb × billable lbs) × zone factor, plus fuel 14.5% and residential 5.55. */
export function price(p: ParsedShipment, service: ServiceInfo): Priced {
  const zone = zoneOf(p.shipFrom, p.shipTo);
  const factor = 1 + (zone - 2) * 0.12;
  const perPackage = p.packages.map((pkg) => {
    const base = Math.round((service.base + service.perLb * pkg.billableLbs) * factor * 100) / 100;
    const fuel = Math.round(base * 0.145 * 100) / 100;
    return { base, transport: base + fuel, billableLbs: pkg.billableLbs };
  });
  const base = perPackage.reduce((a, x) => a + x.base, 0);
  const fuel = perPackage.reduce((a, x) => a + (x.transport - x.base), 0);
  const residential = p.shipTo.residential ? 5.55 : 0;
  const transportation = Math.round((base + fuel + residential) * 100) / 100;
  const itemized: Itemized[] = [
    { Code: '375', Description: 'FUEL SURCHARGE', CurrencyCode: 'USD', MonetaryValue: money(fuel) },
  ];
  if (residential)
    itemized.push({
      Code: '270',
      Description: 'RESIDENTIAL ADDRESS',
      CurrencyCode: 'USD',
      MonetaryValue: money(residential),
    });
  const total = transportation;
  return {
    service,
    zone,
    billableLbs: perPackage.reduce((a, x) => a + x.billableLbs, 0),
    perPackage,
    itemized,
    base,
    transportation,
    serviceOptions: 0,
    total,
    negotiatedTotal: Math.round(total * 0.82 * 100) / 100,
    businessDays: service.days === 'zone' ? Math.max(1, zone - 1) : service.days,
  };
}

/** Adds business days (Mon–Fri) to a date. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return d;
}

export function yyyymmdd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
