/**
 * Step 2 — select: decides whether a purchase order goes to UPS at all, by a rule table.
 *
 * A rule lists conditions that must ALL hold (carrier on the header or on any schedule, supplier,
 * supplier site, a header flexfield value) and an action (select or ignore). Rules are tried by
 * descending priority, then in table order; the first that matches decides. No match → ignored, with a
 * reason that names what the PO carried, so an operator sees why.
 */
import type { PurchaseOrder } from './ports.js';

export interface SelectionRule {
  id: string;
  action: 'select' | 'ignore';
  priority?: number;
  /** Carrier or shipping method word(s), e.g. "UPS": matches the header or any schedule, case-insensitive. */
  carrier?: string | string[];
  /** SupplierId(s) or supplier name(s); any one matches. */
  supplier?: string | string[];
  /** SupplierSiteId(s) or supplier site name(s); any one matches. */
  supplierSite?: string | string[];
  /** Header DFF segment (API name) and the value that means "ship via UPS". */
  flexfield?: { segment: string; equals: string };
}

export type Selection =
  | { selected: true; ruleId: string; reason: string }
  | { selected: false; ruleId: string | null; reason: string };

export const anyOf = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

function wordMatch(haystack: string | undefined, words: string | string[]): boolean {
  return anyOf(words).some((word) => wordMatchOne(haystack, word));
}

function wordMatchOne(haystack: string | undefined, word: string): boolean {
  if (!haystack) return false;
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(haystack);
}

/** A DFF segment value as text; objects (links, nested rows) never match a flag. */
function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function sameId(value: string | undefined, wanted: string | string[]): boolean {
  return (
    value !== undefined && anyOf(wanted).some((w) => value.trim().toLowerCase() === w.trim().toLowerCase())
  );
}

/** Every carrier/shipping-method string on the header and schedules. */
export function carriersOf(po: PurchaseOrder): string[] {
  const out = [po.carrier, po.shippingMethod];
  for (const line of po.lines) for (const s of line.schedules) out.push(s.carrier, s.shippingMethod);
  return out.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
}

function ruleMatches(rule: SelectionRule, po: PurchaseOrder): boolean {
  const { carrier } = rule;
  if (carrier !== undefined && !carriersOf(po).some((c) => wordMatch(c, carrier))) return false;
  if (
    rule.supplier !== undefined &&
    !sameId(po.supplierId, rule.supplier) &&
    !sameId(po.supplier, rule.supplier)
  )
    return false;
  if (
    rule.supplierSite !== undefined &&
    !sameId(po.supplierSiteId, rule.supplierSite) &&
    !sameId(po.supplierSite, rule.supplierSite)
  )
    return false;
  if (rule.flexfield !== undefined) {
    const value = scalar(po.flexfields[rule.flexfield.segment]);
    if (value === undefined || value.trim().toLowerCase() !== rule.flexfield.equals.trim().toLowerCase())
      return false;
  }
  return true;
}

function describeRule(rule: SelectionRule): string {
  const parts: string[] = [];
  if (rule.carrier !== undefined) parts.push(`carrier ${anyOf(rule.carrier).join('/')}`);
  if (rule.supplier !== undefined) parts.push(`supplier ${anyOf(rule.supplier).join('/')}`);
  if (rule.supplierSite !== undefined) parts.push(`supplier site ${anyOf(rule.supplierSite).join('/')}`);
  if (rule.flexfield !== undefined) parts.push(`${rule.flexfield.segment}=${rule.flexfield.equals}`);
  return parts.length ? parts.join(', ') : 'every PO';
}

export function orderRules<R extends { priority?: number }>(rules: readonly R[]): R[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)
    .map((x) => x.rule);
}

export function selectPurchaseOrder(po: PurchaseOrder, rules: readonly SelectionRule[]): Selection {
  for (const rule of orderRules(rules)) {
    if (!ruleMatches(rule, po)) continue;
    const reason = `rule ${rule.id} (${describeRule(rule)})`;
    return rule.action === 'select'
      ? { selected: true, ruleId: rule.id, reason: `selected by ${reason}` }
      : { selected: false, ruleId: rule.id, reason: `ignored by ${reason}` };
  }
  const carriers = carriersOf(po);
  const flags = Object.entries(po.flexfields)
    .filter(([k, v]) => !k.startsWith('__') && scalar(v) !== undefined)
    .map(([k, v]) => `${k}=${scalar(v)}`);
  return {
    selected: false,
    ruleId: null,
    reason:
      `no selection rule matched (carrier: ${carriers.length ? carriers.join('/') : 'none'}; ` +
      `supplier: ${po.supplier ?? po.supplierId ?? 'none'}; site: ${po.supplierSite ?? po.supplierSiteId ?? 'none'}; ` +
      `flexfields: ${flags.length ? flags.join(', ') : 'none'})`,
  };
}
