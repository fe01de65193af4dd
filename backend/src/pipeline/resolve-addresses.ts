/**
 * Step 4 — address: structured ship-to and ship-from from Fusion lookups (cached), then UPS Address
 * Validation. Valid → the standardised address is used (name, contact and phone kept from Fusion).
 * Ambiguous / NoCandidates → AddressNeedsCorrection, which the runner turns into a flag and an
 * "address needs correction" status in Fusion, keeping the candidates for the UI; the PO is tried
 * again when it changes.
 */
import type { PostalAddress } from '../domain/types.js';
import type { AddressCandidates } from './po-context.js';
import { StepFailure, hardFailure } from './failures.js';
import type { ResolvedMapping } from './map-account.js';
import type { FusionPort, PurchaseOrder, UpsPort } from './ports.js';

export class AddressNeedsCorrection extends StepFailure {
  constructor(
    message: string,
    readonly candidates: AddressCandidates[],
  ) {
    super('hard', 'address', message, candidates);
    this.name = 'AddressNeedsCorrection';
  }
}

/** Location and supplier-site addresses change rarely; cache them for `ttlMs` per tenant. */
export class LookupCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = await load();
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    return value;
  }
}

export interface AddressDeps {
  tenantId: string;
  fusion: Pick<FusionPort, 'getShipToAddress' | 'getSupplierSiteAddress'>;
  ups: Pick<UpsPort, 'validateAddress'>;
  cache: LookupCache<PostalAddress | null>;
}

export interface ResolvedAddresses {
  shipper: PostalAddress;
  shipFrom: PostalAddress;
  shipTo: PostalAddress;
}

/** The PO's single ship-to location (schedules first, then the header default). */
export function shipToLocationOf(po: PurchaseOrder): string {
  const fromSchedules = new Set(
    po.lines.flatMap((l) => l.schedules.map((s) => s.shipToLocationId)).filter((x): x is string => !!x),
  );
  if (fromSchedules.size > 1) {
    throw hardFailure(
      'address',
      `schedules ship to ${fromSchedules.size} locations (${[...fromSchedules].join(', ')}); one UPS shipment covers one ship-to`,
    );
  }
  const id = [...fromSchedules][0] ?? po.shipToLocationId;
  if (!id) throw hardFailure('address', 'the PO has no ship-to location');
  return id;
}

async function validate(
  deps: AddressDeps,
  mapping: ResolvedMapping,
  role: AddressCandidates['role'],
  given: PostalAddress,
): Promise<{ address: PostalAddress } | { problem: AddressCandidates; message: string }> {
  const result = await deps.ups.validateAddress(mapping.account, given);
  switch (result.result) {
    case 'valid': {
      const std = result.address;
      return {
        address: {
          ...given,
          lines: std.lines.length ? std.lines : given.lines,
          city: std.city || given.city,
          stateProvince: std.stateProvince ?? given.stateProvince,
          postalCode: std.postalCode ?? given.postalCode,
          countryCode: std.countryCode || given.countryCode,
          residential: result.residential ?? given.residential,
        },
      };
    }
    case 'unsupported':
      return { address: given };
    case 'ambiguous':
      return {
        problem: { role, given, candidates: result.candidates },
        message: `${role} address is ambiguous (${result.candidates.length} candidates)`,
      };
    case 'no_candidates':
      return {
        problem: { role, given, candidates: [] },
        message: `${role} address not found by UPS (no candidates)`,
      };
  }
}

export async function resolveAddresses(
  po: PurchaseOrder,
  mapping: ResolvedMapping,
  deps: AddressDeps,
): Promise<ResolvedAddresses> {
  const locationId = shipToLocationOf(po);
  const shipToGiven = await deps.cache.get(`${deps.tenantId}:location:${locationId}`, () =>
    deps.fusion.getShipToAddress(locationId),
  );
  if (!shipToGiven) throw hardFailure('address', `ship-to location ${locationId} has no address in Fusion`);

  let shipFromGiven: PostalAddress | null;
  if (mapping.shipFrom.policy === 'warehouse') {
    shipFromGiven = mapping.shipFrom.address;
  } else {
    const { supplierId, supplierSiteId } = po;
    if (!supplierId || !supplierSiteId)
      throw hardFailure('address', 'the PO has no supplier site to ship from');
    shipFromGiven = await deps.cache.get(`${deps.tenantId}:site:${supplierId}:${supplierSiteId}`, () =>
      deps.fusion.getSupplierSiteAddress(supplierId, supplierSiteId),
    );
    if (!shipFromGiven)
      throw hardFailure('address', `supplier site ${supplierSiteId} has no address in Fusion`);
  }

  const problems: AddressCandidates[] = [];
  const messages: string[] = [];
  const checked: PostalAddress[] = [];
  for (const [role, given] of [
    ['ship-to', shipToGiven],
    ['ship-from', shipFromGiven],
  ] as const) {
    const outcome = await validate(deps, mapping, role, given);
    if ('problem' in outcome) {
      problems.push(outcome.problem);
      messages.push(outcome.message);
    } else checked.push(outcome.address);
  }
  if (problems.length)
    throw new AddressNeedsCorrection(`address needs correction: ${messages.join('; ')}`, problems);
  const [shipTo, shipFrom] = checked as [PostalAddress, PostalAddress];
  return {
    shipTo,
    shipFrom,
    shipper: mapping.shipperAddress ?? (mapping.shipFrom.policy === 'warehouse' ? shipFrom : shipTo),
  };
}
