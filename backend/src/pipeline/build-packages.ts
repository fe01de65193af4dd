/**
 * Step 5 — packages: weight from the items on the lines × quantity (the mapping's default unit weight
 * when the item has none), packed greedily in line order into packages no heavier than UPS's per-package
 * limit (150 lb / 70 kg); a unit is never split. Dimensions when known: a package holding one unit of an
 * item with dimensions gets them, otherwise the mapping's default dimensions, if any.
 *
 * The package-set hash covers what UPS is asked to carry (weights, units, dimensions, packaging) and
 * nothing else, in a canonical form, so the same PO content always hashes the same.
 */
import { createHash } from 'node:crypto';
import type { PackageSpec, WeightUnit } from '../domain/types.js';
import { hardFailure } from './failures.js';
import type { ShipmentProfile } from './map-account.js';
import type { PoLine, PurchaseOrder } from './ports.js';

export const PACKAGE_WEIGHT_LIMIT: Readonly<Record<WeightUnit, number>> = { LBS: 150, KGS: 70 };
/** UPS accepts at most 200 packages in one shipment. */
export const MAX_PACKAGES = 200;
const LB_PER_KG = 2.2046226218;
const CLOSED_LINE_STATUSES = new Set([
  'CANCELED',
  'CANCELLED',
  'CLOSED',
  'FINALLY CLOSED',
  'CLOSED FOR RECEIVING',
]);

export function convertWeight(value: number, from: WeightUnit, to: WeightUnit): number {
  if (from === to) return value;
  return from === 'KGS' ? value * LB_PER_KG : value / LB_PER_KG;
}

/**
 * UPS takes at most 5 characters; round up to 0.1 so the declared weight is never below the real one
 * (after dropping sub-gram noise from unit conversion, so 30.00001 kg stays 30.0).
 */
function upsWeight(value: number): number {
  const thousandths = Math.round(value * 1000);
  return Math.max(0.1, Math.ceil(thousandths / 100) / 10);
}

function unitWeightOf(line: PoLine, profile: ShipmentProfile): number {
  if (line.unitWeight) return convertWeight(line.unitWeight.value, line.unitWeight.unit, profile.weightUnit);
  if (profile.defaultUnitWeight !== undefined) return profile.defaultUnitWeight;
  throw hardFailure(
    'weight',
    `line ${line.lineNumber} (${line.itemNumber ?? line.description ?? 'no item'}) has no item weight and the mapping has no default unit weight`,
  );
}

/** What is still to ship on a line: its schedules' open quantities when it has schedules. */
export function openQuantity(line: PoLine): number {
  return line.schedules.length
    ? line.schedules.reduce((sum, s) => sum + Math.max(0, s.quantity), 0)
    : line.quantity;
}

export function shippableLines(po: PurchaseOrder): PoLine[] {
  return [...po.lines]
    .filter((l) => openQuantity(l) > 0 && !CLOSED_LINE_STATUSES.has((l.statusCode ?? '').toUpperCase()))
    .sort((a, b) => a.lineNumber - b.lineNumber);
}

export function buildPackages(po: PurchaseOrder, profile: ShipmentProfile): PackageSpec[] {
  const limit = PACKAGE_WEIGHT_LIMIT[profile.weightUnit];
  const lines = shippableLines(po);
  if (!lines.length) throw hardFailure('weight', 'the PO has no open lines with a quantity to ship');

  const packages: { weight: number; units: number; lines: Set<PoLine> }[] = [];
  let current = { weight: 0, units: 0, lines: new Set<PoLine>() };
  const close = () => {
    if (current.units > 0) packages.push(current);
    current = { weight: 0, units: 0, lines: new Set<PoLine>() };
    if (packages.length > MAX_PACKAGES) {
      throw hardFailure(
        'weight',
        `the PO needs more than ${MAX_PACKAGES} packages; UPS takes at most ${MAX_PACKAGES} per shipment`,
      );
    }
  };
  for (const line of lines) {
    const unit = unitWeightOf(line, profile);
    if (unit > limit) {
      throw hardFailure(
        'weight',
        `one unit of line ${line.lineNumber} weighs ${unit.toFixed(1)} ${profile.weightUnit}, above UPS's ${limit} ${profile.weightUnit} per package`,
      );
    }
    let left = openQuantity(line);
    while (left > 1e-9) {
      const room = limit - current.weight;
      // Whole units that still fit; a fractional remainder (quantities in kg, m…) goes in as one piece.
      let piece = Math.min(left, Math.floor((room + 1e-9) / unit));
      if (piece === 0 && left < 1 && left * unit <= room + 1e-9) piece = left;
      if (piece <= 0) {
        close();
        continue;
      }
      current.weight += piece * unit;
      current.units += piece;
      current.lines.add(line);
      left -= piece;
    }
  }
  close();

  return packages.map((p) => {
    const spec: PackageSpec = {
      weight: { value: upsWeight(p.weight), unit: profile.weightUnit },
      packagingCode: profile.packagingCode,
      references: [po.orderNumber],
    };
    const only = p.units === 1 && p.lines.size === 1 ? [...p.lines][0] : undefined;
    const dims = only?.unitDimensions ?? profile.defaultDimensions;
    if (dims) spec.dimensions = { ...dims };
    return spec;
  });
}

/** Stable across key order and references: hash of what UPS carries. */
export function packageSetHash(packages: readonly PackageSpec[]): string {
  const canonical = packages.map((p) => [
    p.packagingCode,
    p.weight.value.toFixed(1),
    p.weight.unit,
    p.dimensions ? [p.dimensions.length, p.dimensions.width, p.dimensions.height, p.dimensions.unit] : null,
  ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
