import { describe, expect, it } from 'vitest';
import { StepFailure } from './failures.js';
import { costCenterOf, mapAccount, type MappingRule } from './map-account.js';
import { DEFAULT_MAPPING, makePo } from './testing/fixtures.js';

const cc = { segmentIndex: 1, delimiter: '-' };
const rule = (
  id: string,
  match: MappingRule['match'],
  shipperNumber: string,
  priority?: number,
): MappingRule => ({
  ...DEFAULT_MAPPING,
  id,
  match,
  priority,
  account: { shipperNumber },
});

describe('map-account', () => {
  it('reads the cost center from the configured segment of the charge account', () => {
    expect(costCenterOf(makePo(), cc)).toBe('510');
    expect(costCenterOf(makePo(), { segmentIndex: 2, delimiter: '-' })).toBe('7530');
  });

  it('takes the cost center carrying most quantity when distributions disagree', () => {
    const po = makePo();
    po.lines[0]!.schedules[0]!.distributions = [
      { chargeAccount: '01-510-1-0', quantity: 1 },
      { chargeAccount: '01-620-1-0', quantity: 3 },
    ];
    expect(costCenterOf(po, cc)).toBe('620');
  });

  it('prefers the most specific matching rule over a default', () => {
    const rules = [
      rule('default', {}, 'DEF001'),
      rule('cc', { costCenter: '510' }, 'CC0510'),
      rule('cc+org', { costCenter: '510', shipToOrganization: 'M1' }, 'CCORG1'),
      rule(
        'other-supplier',
        { supplier: 'Someone Else', costCenter: '510', shipToOrganization: 'M1' },
        'NOPE01',
      ),
    ];
    const m = mapAccount(makePo(), rules, cc);
    expect(m.ruleId).toBe('cc+org');
    expect(m.account.shipperNumber).toBe('CCORG1');
    expect(m.costCenter).toBe('510');
    expect(m.shipToOrganization).toBe('M1');
  });

  it('breaks ties between equally specific rules by priority, then table order', () => {
    const bySupplier = rule('by-supplier', { supplier: 'S1' }, 'SUP001');
    const bySite = rule('by-site', { supplierSite: 'SITE1' }, 'SITE01');
    expect(mapAccount(makePo(), [bySupplier, bySite], cc).ruleId).toBe('by-supplier');
    expect(mapAccount(makePo(), [bySupplier, { ...bySite, priority: 5 }], cc).ruleId).toBe('by-site');
  });

  it('takes the UPS service from the PO service level when the rule maps it', () => {
    const r: MappingRule = {
      ...rule('d', {}, 'DEF001'),
      serviceCode: '03',
      serviceByLevel: { '2DA': '02', '1DA': '01' },
    };
    expect(mapAccount(makePo({ serviceLevel: '2DA' }), [r], cc).serviceCode).toBe('02');
    const onSchedule = makePo();
    onSchedule.lines[0]!.schedules[0]!.serviceLevel = '1DA';
    expect(mapAccount(onSchedule, [r], cc).serviceCode).toBe('01');
    expect(mapAccount(makePo({ serviceLevel: 'EXP' }), [r], cc).serviceCode).toBe('03');
  });

  it('flags "no UPS account mapping" as a hard failure when nothing matches', () => {
    let thrown: unknown;
    try {
      mapAccount(makePo(), [rule('x', { costCenter: '999' }, 'X00001')], cc);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StepFailure);
    expect(thrown).toMatchObject({ kind: 'hard', category: 'account' });
    expect((thrown as Error).message).toMatch(
      /^no UPS account mapping \(supplier Widget Works, site SAN JOSE, cost center 510/,
    );
  });
});
