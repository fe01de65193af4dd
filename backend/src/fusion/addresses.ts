/**
 * Structured addresses for labels. PO REST gives ship-to only as one formatted string (fusion.md §2.3),
 * so ship-to comes from the `locations` resource (HCM, the same rows as PO_LOCATIONS_VAL_V) and the
 * supplier site's address from `suppliers` → `sites` → `addresses`, following `child` links from the
 * supplier row. Results are cached per client instance (TTL), concurrent look-ups share one request,
 * and failures are not cached.
 */
import type { PostalAddress } from '../domain/types.js';
import { q } from './adf-query.js';
import { FusionError } from './errors.js';
import { asCollection, childHref, type JsonObject } from './links.js';
import { str } from './po-mapper.js';
import { numericId } from './purchase-orders.js';
import type { FusionRestClient } from './rest-client.js';

export const LOCATIONS_PATH = '/hcmRestApi/resources/11.13.18.05/locations';
const LOCATION_FIELDS = [
  'LocationId',
  'LocationCode',
  'LocationName',
  'AddressLine1',
  'AddressLine2',
  'AddressLine3',
  'AddressLine4',
  'TownOrCity',
  'Region1',
  'Region2',
  'Region3',
  'PostalCode',
  'Country',
  'MainPhoneNumber',
];
const ADDRESS_FIELDS = [
  'SupplierAddressId',
  'AddressName',
  'AddressLine1',
  'AddressLine2',
  'AddressLine3',
  'AddressLine4',
  'City',
  'State',
  'Province',
  'County',
  'PostalCode',
  'CountryCode',
  'Country',
  'PhoneNumber',
  'Email',
];

const lines = (...values: unknown[]): string[] => {
  const present = values.map(str).filter((v): v is string => v !== undefined);
  // UPS takes three street lines; a fourth Fusion line is kept by joining it onto the third.
  return present.length > 3 ? [...present.slice(0, 2), present.slice(2).join(', ')] : present;
};

const shortCode = (v: string | undefined) =>
  v && /^[A-Za-z0-9]{1,3}$/.test(v) ? v.toUpperCase() : undefined;

/**
 * HCM location regions depend on the country's address style: for US addresses Region1 is the county and
 * Region2 the state; Canada keeps the province in Region1. Elsewhere a short code in any region is used.
 */
export function stateFromRegions(country: string, r1?: string, r2?: string, r3?: string): string | undefined {
  if (country === 'US' || country === 'PR') return shortCode(r2) ?? shortCode(r1);
  if (country === 'CA') return shortCode(r1) ?? shortCode(r2);
  return shortCode(r1) ?? shortCode(r2) ?? shortCode(r3);
}

/** A `locations` row → PostalAddress; null when it lacks a street, city or country. */
export function mapLocationAddress(row: JsonObject): PostalAddress | null {
  const country = str(row.Country)?.toUpperCase();
  const city = str(row.TownOrCity);
  const street = lines(row.AddressLine1, row.AddressLine2, row.AddressLine3, row.AddressLine4);
  if (!country || !city || street.length === 0) return null;
  const address: PostalAddress = {
    name: str(row.LocationName) ?? str(row.LocationCode),
    lines: street,
    city,
    postalCode: str(row.PostalCode),
    countryCode: country,
  };
  const state = stateFromRegions(country, str(row.Region1), str(row.Region2), str(row.Region3));
  if (state) address.stateProvince = state;
  const phone = str(row.MainPhoneNumber);
  if (phone) address.phone = phone;
  return address;
}

/** A supplier `addresses` row → PostalAddress; `name` is the supplier's when given. */
export function mapSupplierAddress(row: JsonObject, supplierName?: string): PostalAddress | null {
  const country = (str(row.CountryCode) ?? str(row.Country))?.toUpperCase();
  const city = str(row.City);
  const street = lines(row.AddressLine1, row.AddressLine2, row.AddressLine3, row.AddressLine4);
  if (!country || country.length !== 2 || !city || street.length === 0) return null;
  const address: PostalAddress = {
    name: supplierName ?? str(row.AddressName),
    lines: street,
    city,
    postalCode: str(row.PostalCode),
    countryCode: country,
  };
  const state = shortCode(str(row.State)) ?? shortCode(str(row.Province));
  if (state) address.stateProvince = state;
  const phone = str(row.PhoneNumber);
  if (phone) address.phone = phone;
  const email = str(row.Email);
  if (email) address.email = email;
  return address;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 5000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    // A failed look-up is forgotten at once, so the next call tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

export interface AddressOptions {
  ttlMs?: number;
  now?: () => number;
  /** Override when the pod serves locations elsewhere (e.g. `/hcmRestApi/resources/latest/locations`). */
  locationsPath?: string;
}

export class Addresses {
  private readonly locations: TtlCache<PostalAddress | null>;
  private readonly supplierRows: TtlCache<JsonObject | null>;
  private readonly siteAddresses: TtlCache<PostalAddress | null>;
  private readonly locationsPath: string;

  constructor(
    private readonly rest: FusionRestClient,
    options: AddressOptions = {},
  ) {
    const ttl = options.ttlMs ?? 15 * 60_000;
    this.locations = new TtlCache(ttl, options.now);
    this.supplierRows = new TtlCache(ttl, options.now);
    this.siteAddresses = new TtlCache(ttl, options.now);
    this.locationsPath = options.locationsPath ?? LOCATIONS_PATH;
  }

  /** The structured address of a ship-to location; null when Fusion has no usable address for it. */
  getShipToAddress(locationId: string): Promise<PostalAddress | null> {
    return this.locations.get(locationId, async () => {
      const { body } = await this.rest.request({
        method: 'GET',
        path: this.locationsPath,
        query: {
          q: q.eq('LocationId', numericId(locationId, 'LocationId')),
          fields: LOCATION_FIELDS,
          onlyData: true,
          limit: 1,
        },
        operation: 'get ship-to location',
      });
      const row = asCollection(body).items[0];
      return row ? mapLocationAddress(row) : null;
    });
  }

  /** The address of a supplier site (the ship-from of buyer-arranged inbound freight). */
  getSupplierSiteAddress(supplierId: string, supplierSiteId: string): Promise<PostalAddress | null> {
    return this.siteAddresses.get(`${supplierId}/${supplierSiteId}`, async () => {
      const supplier = await this.supplierRow(supplierId);
      if (!supplier) return null;
      const site = await this.childRow(
        supplier,
        'sites',
        q.eq('SupplierSiteId', numericId(supplierSiteId, 'SupplierSiteId')),
        ['SupplierSiteId', 'SupplierSite', 'SupplierAddressId'],
      );
      const addressId = site ? str(site.SupplierAddressId) : undefined;
      if (!addressId) return null;
      const address = await this.childRow(
        supplier,
        'addresses',
        q.eq('SupplierAddressId', numericId(addressId, 'SupplierAddressId')),
        ADDRESS_FIELDS,
      );
      return address ? mapSupplierAddress(address, str(supplier.Supplier)) : null;
    });
  }

  clearCache(): void {
    this.locations.clear();
    this.supplierRows.clear();
    this.siteAddresses.clear();
  }

  private supplierRow(supplierId: string): Promise<JsonObject | null> {
    return this.supplierRows.get(supplierId, async () => {
      const { body } = await this.rest.request({
        method: 'GET',
        path: 'suppliers',
        // Links are kept (no onlyData): the sites and addresses children are reached through them.
        query: {
          q: q.eq('SupplierId', numericId(supplierId, 'SupplierId')),
          fields: ['SupplierId', 'Supplier'],
          limit: 1,
        },
        operation: 'get supplier',
      });
      return asCollection(body).items[0] ?? null;
    });
  }

  private async childRow(
    parent: JsonObject,
    accessor: string,
    filter: ReturnType<typeof q.eq>,
    fields: string[],
  ) {
    const href = childHref(parent, accessor);
    if (!href) {
      throw new FusionError({
        kind: 'hard',
        operation: `get supplier ${accessor}`,
        fusionMessage: `supplier ${str(parent.SupplierId) ?? '?'} has no "${accessor}" child link`,
      });
    }
    const { body } = await this.rest.request({
      method: 'GET',
      path: href,
      query: { q: filter, fields, onlyData: true, limit: 1 },
      operation: `get supplier ${accessor}`,
    });
    return asCollection(body).items[0];
  }
}
