/**
 * PackageSpec → the UPS package pieces shared by Rating and Shipping: weights and dimensions as strings
 * within UPS's lengths (Ship: weight ≤ 5 characters, each dimension ≤ 3).
 */
import type { LengthUnit, PackageSpec, WeightUnit } from '../domain/types.js';
import { inputError } from './address-format.js';

const WEIGHT_NAMES: Record<WeightUnit, string> = { LBS: 'Pounds', KGS: 'Kilograms' };
const LENGTH_NAMES: Record<LengthUnit, string> = { IN: 'Inches', CM: 'Centimeters' };

/** One decimal at most ("12", "12.5"); UPS's minimum billable weight is 0.1. */
export function formatWeight(operation: string, value: number): string {
  if (!Number.isFinite(value) || value <= 0)
    throw inputError(operation, `package weight ${value} must be above 0`);
  const rounded = Math.max(0.1, Math.ceil(value * 10) / 10);
  const s = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  if (s.length > 5) throw inputError(operation, `package weight ${s} is beyond UPS's limit for one package`);
  return s;
}

/** Whole units rounded up (declaring less than the real size is billed as a correction). */
export function formatLength(operation: string, value: number): string {
  if (!Number.isFinite(value) || value <= 0)
    throw inputError(operation, `package dimension ${value} must be above 0`);
  const s = String(Math.ceil(value));
  if (s.length > 3) throw inputError(operation, `package dimension ${s} is beyond UPS's 3 digits`);
  return s;
}

export function packageWeight(operation: string, pkg: PackageSpec): Record<string, unknown> {
  return {
    UnitOfMeasurement: { Code: pkg.weight.unit, Description: WEIGHT_NAMES[pkg.weight.unit] },
    Weight: formatWeight(operation, pkg.weight.value),
  };
}

export function packageDimensions(operation: string, pkg: PackageSpec): Record<string, unknown> | undefined {
  const d = pkg.dimensions;
  if (!d) return undefined;
  return {
    UnitOfMeasurement: { Code: d.unit, Description: LENGTH_NAMES[d.unit] },
    Length: formatLength(operation, d.length),
    Width: formatLength(operation, d.width),
    Height: formatLength(operation, d.height),
  };
}

export function packagingCode(operation: string, pkg: PackageSpec): string {
  const code = pkg.packagingCode.trim();
  if (!/^[0-9A-Z]{2}$/.test(code))
    throw inputError(operation, `packaging code "${code}" must be 2 characters, e.g. "02"`);
  return code;
}

export function checkPackages(operation: string, packages: PackageSpec[]): void {
  if (packages.length === 0) throw inputError(operation, 'a shipment needs at least one package');
  if (packages.length > 200)
    throw inputError(operation, `${packages.length} packages; UPS takes at most 200`);
}
