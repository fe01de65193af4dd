import { describe, expect, it } from 'vitest';
import { buildPackages, packageSetHash } from './build-packages.js';
import type { ShipmentProfile } from './map-account.js';
import type { PoLine } from './ports.js';
import { DEFAULT_MAPPING, makePo } from './testing/fixtures.js';

const line = (
  n: number,
  quantity: number,
  unitWeight?: PoLine['unitWeight'],
  extra: Partial<PoLine> = {},
): PoLine => ({
  poLineId: `L${n}`,
  lineNumber: n,
  itemNumber: `ITEM-${n}`,
  quantity,
  unitWeight,
  schedules: [{ lineLocationId: `LL${n}`, quantity, distributions: [] }],
  ...extra,
});
const profile: ShipmentProfile = DEFAULT_MAPPING;

describe('build-packages', () => {
  it('puts a light PO in one package with its weight rounded up to 0.1 and the PO number as reference', () => {
    const pkgs = buildPackages(makePo({ lines: [line(1, 3, { value: 1.234, unit: 'LBS' })] }), profile);
    expect(pkgs).toEqual([
      { weight: { value: 3.8, unit: 'LBS' }, packagingCode: '02', references: ['US1001'] },
    ]);
  });

  it('splits above 150 lb without splitting a unit', () => {
    // 7 units × 40 lb = 280 lb → 3 units (120) | 3 units (120) | 1 unit (40)
    const pkgs = buildPackages(makePo({ lines: [line(1, 7, { value: 40, unit: 'LBS' })] }), profile);
    expect(pkgs.map((p) => p.weight.value)).toEqual([120, 120, 40]);
    expect(pkgs.every((p) => p.weight.value <= 150)).toBe(true);
  });

  it('converts item weights to the mapping unit and applies the 70 kg limit', () => {
    const kg: ShipmentProfile = { ...profile, weightUnit: 'KGS' };
    const pkgs = buildPackages(makePo({ lines: [line(1, 4, { value: 66.1387, unit: 'LBS' })] }), kg); // 30 kg each
    expect(pkgs.map((p) => p.weight)).toEqual([
      { value: 60, unit: 'KGS' },
      { value: 60, unit: 'KGS' },
    ]);
  });

  it('uses the mapping default unit weight when the item has none, and fails clearly without one', () => {
    const po = makePo({ lines: [line(1, 2)] });
    expect(buildPackages(po, { ...profile, defaultUnitWeight: 5 }).map((p) => p.weight.value)).toEqual([10]);
    expect(() => buildPackages(po, profile)).toThrow(/line 1 \(ITEM-1\) has no item weight/);
  });

  it('refuses a unit heavier than the per-package limit as a hard weight failure', () => {
    expect(() =>
      buildPackages(makePo({ lines: [line(1, 1, { value: 151, unit: 'LBS' })] }), profile),
    ).toThrow(expect.objectContaining({ kind: 'hard', category: 'weight' }));
  });

  it('skips cancelled lines and fills packages across lines in line order', () => {
    const po = makePo({
      lines: [
        line(2, 1, { value: 100, unit: 'LBS' }),
        line(1, 1, { value: 100, unit: 'LBS' }),
        line(3, 5, { value: 100, unit: 'LBS' }, { statusCode: 'CANCELED' }),
        line(4, 1, { value: 30, unit: 'LBS' }),
      ],
    });
    expect(buildPackages(po, profile).map((p) => p.weight.value)).toEqual([100, 130]);
  });

  it('gives a single-unit package the item dimensions, others the mapping default', () => {
    const dims = { length: 10, width: 8, height: 6, unit: 'IN' as const };
    const po = makePo({
      lines: [
        line(1, 1, { value: 149, unit: 'LBS' }, { unitDimensions: dims }),
        line(2, 2, { value: 5, unit: 'LBS' }),
      ],
    });
    const pkgs = buildPackages(po, {
      ...profile,
      defaultDimensions: { length: 20, width: 20, height: 20, unit: 'IN' },
    });
    expect(pkgs.map((p) => p.dimensions?.length)).toEqual([10, 20]);
  });

  it('hashes the package set stably: same content → same hash; references and key order do not matter', () => {
    const a = buildPackages(makePo({ lines: [line(1, 7, { value: 40, unit: 'LBS' })] }), profile);
    const b = buildPackages(
      makePo({ orderNumber: 'OTHER', lines: [line(1, 7, { value: 40, unit: 'LBS' })] }),
      profile,
    );
    const reordered = a.map((p) => ({
      references: ['x'],
      packagingCode: p.packagingCode,
      weight: { unit: p.weight.unit, value: p.weight.value },
    }));
    expect(packageSetHash(a)).toBe(packageSetHash(b));
    expect(packageSetHash(a)).toBe(packageSetHash(reordered));
    expect(packageSetHash(a)).toMatch(/^[0-9a-f]{64}$/);
    const heavier = buildPackages(makePo({ lines: [line(1, 8, { value: 40, unit: 'LBS' })] }), profile);
    expect(packageSetHash(heavier)).not.toBe(packageSetHash(a));
  });

  it('matches the snapshot for a mixed PO', () => {
    const po = makePo({
      lines: [line(1, 3, { value: 55, unit: 'LBS' }), line(2, 10, { value: 2.5, unit: 'KGS' })],
    });
    expect(buildPackages(po, profile)).toMatchSnapshot();
  });
});
