import { describe, expect, it } from 'vitest';
import { selectPurchaseOrder, type SelectionRule } from './select.js';
import { makePo } from './testing/fixtures.js';

const withScheduleCarrier = (carrier: string) => {
  const po = makePo({ carrier: undefined });
  po.lines[0]!.schedules[0]!.carrier = carrier;
  return po;
};

describe('select', () => {
  const rules: SelectionRule[] = [{ id: 'ups', action: 'select', carrier: 'UPS' }];

  it('selects a PO whose header carrier is UPS', () => {
    expect(selectPurchaseOrder(makePo({ carrier: 'UPS' }), rules)).toMatchObject({
      selected: true,
      ruleId: 'ups',
    });
  });

  it('selects on a schedule carrier when the header has none', () => {
    expect(selectPurchaseOrder(withScheduleCarrier('UPS Ground'), rules).selected).toBe(true);
  });

  it('does not mistake a carrier that merely contains the letters for UPS', () => {
    const result = selectPurchaseOrder(makePo({ carrier: 'GROUPSHIP Logistics' }), rules);
    expect(result.selected).toBe(false);
    expect(result.reason).toContain('no selection rule matched');
    expect(result.reason).toContain('GROUPSHIP Logistics');
  });

  it('selects by flexfield flag and by supplier site together (all conditions must hold)', () => {
    const flagRules: SelectionRule[] = [
      {
        id: 'flag',
        action: 'select',
        supplierSite: 'SAN JOSE',
        flexfield: { segment: 'shipViaUps', equals: 'Y' },
      },
    ];
    const flagged = makePo({ carrier: undefined, flexfields: { shipViaUps: 'Y' } });
    expect(selectPurchaseOrder(flagged, flagRules)).toMatchObject({ selected: true, ruleId: 'flag' });
    const otherSite = makePo({
      carrier: undefined,
      supplierSite: 'AUSTIN',
      supplierSiteId: 'SITE9',
      flexfields: { shipViaUps: 'Y' },
    });
    expect(selectPurchaseOrder(otherSite, flagRules).selected).toBe(false);
    const unflagged = makePo({ carrier: undefined, flexfields: { shipViaUps: 'N' } });
    const r = selectPurchaseOrder(unflagged, flagRules);
    expect(r.selected).toBe(false);
    expect(r.reason).toContain('shipViaUps=N');
  });

  it('lets a higher-priority ignore rule exclude a supplier that would otherwise match', () => {
    const ordered: SelectionRule[] = [
      { id: 'ups', action: 'select', carrier: 'UPS' },
      { id: 'no-widgets', action: 'ignore', supplier: 'Widget Works', priority: 10 },
    ];
    const result = selectPurchaseOrder(makePo(), ordered);
    expect(result).toMatchObject({ selected: false, ruleId: 'no-widgets' });
    expect(result.reason).toBe('ignored by rule no-widgets (supplier Widget Works)');
  });

  it('accepts lists: any one carrier or supplier of a rule matches', () => {
    const listRules: SelectionRule[] = [
      { id: 'parcel', action: 'select', carrier: ['FedEx', 'UPS'], supplier: ['S9', 'S1'] },
    ];
    expect(selectPurchaseOrder(makePo(), listRules)).toMatchObject({
      selected: true,
      reason: 'selected by rule parcel (carrier FedEx/UPS, supplier S9/S1)',
    });
    expect(selectPurchaseOrder(makePo({ carrier: 'DHL' }), listRules).selected).toBe(false);
  });

  it('uses table order between rules of equal priority', () => {
    const ordered: SelectionRule[] = [
      { id: 'first', action: 'ignore', carrier: 'UPS' },
      { id: 'second', action: 'select', carrier: 'UPS' },
    ];
    expect(selectPurchaseOrder(makePo(), ordered).ruleId).toBe('first');
  });
});
