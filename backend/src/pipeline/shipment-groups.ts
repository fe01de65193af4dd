/**
 * One UPS shipment per ship-to location. A PO whose schedules ship to several locations becomes several
 * groups; each is validated, packed, rated and shipped on its own (its own intent, its own labels), and its
 * ASN lists only its schedules. The group key (the ship-to location id) prefixes the package-set hash, so
 * the intents of two groups never mix.
 */
import type { PackageSpec } from '../domain/types.js';
import { packageSetHash } from './build-packages.js';
import { hardFailure } from './failures.js';
import type { PurchaseOrder, RateQuote } from './ports.js';
import type { ResolvedAddresses } from './resolve-addresses.js';
import type { Shipped } from './ship.js';

export interface ShipmentGroup {
  /** Fusion ShipToLocationId of the schedules in this group. */
  shipToLocationId: string;
  addresses?: ResolvedAddresses;
  packages?: { packages: PackageSpec[]; hash: string };
  rate?: RateQuote;
  shipment?: Shipped;
}

const locationOf = (po: PurchaseOrder, scheduleLocation: string | undefined) =>
  scheduleLocation ?? po.shipToLocationId;

/** The distinct ship-to locations of the PO's schedules (the header's when a line has no schedule), in order. */
export function shipToLocationsOf(po: PurchaseOrder): string[] {
  const out: string[] = [];
  for (const line of po.lines) {
    const locations = line.schedules.length
      ? line.schedules.map((s) => locationOf(po, s.shipToLocationId))
      : [po.shipToLocationId];
    for (const id of locations) if (id && !out.includes(id)) out.push(id);
  }
  if (!out.length && po.shipToLocationId) out.push(po.shipToLocationId);
  if (!out.length) throw hardFailure('address', 'the PO has no ship-to location');
  return out;
}

/** The PO narrowed to the schedules that ship to one location (lines without any such schedule dropped). */
export function poForGroup(po: PurchaseOrder, shipToLocationId: string): PurchaseOrder {
  const lines = po.lines.flatMap((line) => {
    if (!line.schedules.length) return po.shipToLocationId === shipToLocationId ? [line] : [];
    const schedules = line.schedules.filter((s) => locationOf(po, s.shipToLocationId) === shipToLocationId);
    return schedules.length ? [{ ...line, schedules }] : [];
  });
  return { ...po, shipToLocationId, lines };
}

/** The intent's package-set hash: the group key, then the hash of what UPS carries. */
export function groupHash(shipToLocationId: string, packages: readonly PackageSpec[]): string {
  return `${shipToLocationId}:${packageSetHash(packages)}`;
}

export function needGroups(groups: ShipmentGroup[] | undefined): ShipmentGroup[] {
  if (!groups?.length) throw hardFailure('internal', 'resumed without shipment groups; retry the PO');
  return groups;
}
