/**
 * Step 3 — map: which UPS account pays, and how the shipment is built.
 *
 * Precedence (documented for admins):
 *  1. A rule matches when every condition it sets holds (supplier, supplier site, cost center, ship-to
 *     organisation); a rule with no conditions is a default that matches every PO.
 *  2. The most specific matching rule wins: the one with the most conditions set.
 *  3. Between equally specific rules the higher `priority` wins; then the earlier rule in the table.
 *
 * Cost center = segment `segmentIndex` (0-based) of the distribution's charge account split on
 * `delimiter`. When distributions disagree, the cost center (and ship-to organisation) carrying the most
 * quantity is the PO's; ties go to the first seen.
 */
import type { LengthUnit, PostalAddress, WeightUnit } from '../domain/types.js';
import { hardFailure } from './failures.js';
import type { PurchaseOrder, UpsAccount } from './ports.js';

export type ShipFromPolicy = { policy: 'supplier-site' } | { policy: 'warehouse'; address: PostalAddress };

export interface ShipmentProfile {
  account: UpsAccount;
  /** UPS service code, e.g. "03" Ground. */
  serviceCode: string;
  /**
   * Fusion service level -> UPS service code (e.g. { GND: '03', '2DA': '02' }). When the PO carries a
   * service level found here (header first, else its schedules), it overrides `serviceCode`.
   */
  serviceByLevel?: Record<string, string>;
  /** UPS packaging code, e.g. "02" customer-supplied package. */
  packagingCode: string;
  labelFormat: 'GIF' | 'ZPL' | 'EPL' | 'SPL';
  /** Overrides the tenant's rate mode for POs this rule maps. */
  rateMode?: 'rate' | 'shop';
  shipFrom: ShipFromPolicy;
  /** The account holder's address (UPS Shipper); defaults to the ship-to (buyer-arranged inbound freight). */
  shipperAddress?: PostalAddress;
  weightUnit: WeightUnit;
  /** Weight of one unit when the item master has none. */
  defaultUnitWeight?: number;
  defaultDimensions?: { length: number; width: number; height: number; unit: LengthUnit };
}

export interface MappingRule extends ShipmentProfile {
  id: string;
  priority?: number;
  /** Each criterion takes one value or a list (any one matches). */
  match: {
    supplier?: string | string[];
    supplierSite?: string | string[];
    costCenter?: string | string[];
    shipToOrganization?: string | string[];
  };
}

export interface CostCenterSetting {
  segmentIndex: number;
  delimiter: string;
}

export interface ResolvedMapping extends ShipmentProfile {
  ruleId: string;
  costCenter?: string;
  shipToOrganization?: string;
}

function dominant(values: { value: string | undefined; weight: number }[]): string | undefined {
  const totals = new Map<string, number>();
  for (const { value, weight } of values) {
    if (value === undefined || value === '') continue;
    totals.set(value, (totals.get(value) ?? 0) + weight);
  }
  let best: string | undefined;
  let bestWeight = -1;
  for (const [value, weight] of totals) if (weight > bestWeight) [best, bestWeight] = [value, weight];
  return best;
}

export function costCenterOf(po: PurchaseOrder, setting: CostCenterSetting): string | undefined {
  const values: { value: string | undefined; weight: number }[] = [];
  for (const line of po.lines)
    for (const schedule of line.schedules)
      for (const d of schedule.distributions)
        values.push({
          value: d.chargeAccount?.split(setting.delimiter)[setting.segmentIndex]?.trim(),
          weight: d.quantity ?? schedule.quantity,
        });
  return dominant(values);
}

export function shipToOrganizationOf(po: PurchaseOrder): string | undefined {
  return dominant(
    po.lines.flatMap((l) =>
      l.schedules.map((s) => ({ value: s.shipToOrganizationCode, weight: s.quantity })),
    ),
  );
}

export function serviceLevelOf(po: PurchaseOrder): string | undefined {
  return (
    po.serviceLevel ??
    dominant(po.lines.flatMap((l) => l.schedules.map((s) => ({ value: s.serviceLevel, weight: s.quantity }))))
  );
}

const eq = (a: string | undefined, b: string | string[]) =>
  a !== undefined &&
  (Array.isArray(b) ? b : [b]).some((v) => a.trim().toLowerCase() === v.trim().toLowerCase());

export function mapAccount(
  po: PurchaseOrder,
  rules: readonly MappingRule[],
  setting: CostCenterSetting,
): ResolvedMapping {
  const costCenter = costCenterOf(po, setting);
  const shipToOrganization = shipToOrganizationOf(po);
  let best: { rule: MappingRule; specificity: number; index: number } | undefined;
  rules.forEach((rule, index) => {
    const m = rule.match;
    if (m.supplier !== undefined && !eq(po.supplierId, m.supplier) && !eq(po.supplier, m.supplier)) return;
    if (
      m.supplierSite !== undefined &&
      !eq(po.supplierSiteId, m.supplierSite) &&
      !eq(po.supplierSite, m.supplierSite)
    )
      return;
    if (m.costCenter !== undefined && !eq(costCenter, m.costCenter)) return;
    if (m.shipToOrganization !== undefined && !eq(shipToOrganization, m.shipToOrganization)) return;
    const specificity = Object.values(m).filter((v) => v !== undefined).length;
    const better =
      !best ||
      specificity > best.specificity ||
      (specificity === best.specificity && (rule.priority ?? 0) > (best.rule.priority ?? 0));
    if (better) best = { rule, specificity, index };
  });
  if (!best) {
    throw hardFailure(
      'account',
      `no UPS account mapping (supplier ${po.supplier ?? po.supplierId ?? '?'}, site ${po.supplierSite ?? po.supplierSiteId ?? '?'}, ` +
        `cost center ${costCenter ?? '?'}, ship-to organisation ${shipToOrganization ?? '?'})`,
    );
  }
  const { id, priority: _priority, match: _match, ...profile } = best.rule;
  const level = serviceLevelOf(po);
  const byLevel = level !== undefined ? profile.serviceByLevel?.[level] : undefined;
  return {
    ...profile,
    serviceCode: byLevel ?? profile.serviceCode,
    ruleId: id,
    costCenter,
    shipToOrganization,
  };
}
