import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { mapAccount } from '../map-account.js';
import { selectPurchaseOrder } from '../select.js';
import { makePo } from '../testing/fixtures.js';
import { pipelineSettingsFor } from './tenant-settings.js';

const example = fileURLToPath(new URL('../../config/example.yaml', import.meta.url));
const config = loadConfig({
  configFile: example,
  env: {
    CONNECTOR_DATABASE_URL: 'postgres://c@db:5432/c',
    CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
    CONNECTOR_FUSION_CLIENT_SECRET: 'f',
    CONNECTOR_UPS_CLIENT_SECRET: 'u',
  },
  cwd: '/srv/connector',
});

describe('pipeline settings from the configuration (example.yaml)', () => {
  const tenant = config.tenants[0]!;
  const settings = pipelineSettingsFor(tenant, config.scheduler);

  it('maps selection rules, the 1-based cost-center segment and the scheduler knobs', () => {
    expect(settings.selectionRules.map((r) => r.id)).toEqual(tenant.selection.rules.map((r) => r.id));
    expect(settings.costCenter).toEqual({ segmentIndex: 2, delimiter: '-' });
    expect(settings.poll.overlapMs).toBe(config.scheduler.pollOverlapSeconds * 1000);
    expect(settings.writeBack).toEqual([tenant.writeBack.mode]);
    expect(settings.leaseMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(settings.poll.initialLookbackMs).toBe(7 * 24 * 3600_000);
    const backfill = pipelineSettingsFor(tenant, { ...config.scheduler, initialLookbackDays: 45 });
    expect(backfill.poll.initialLookbackMs).toBe(45 * 24 * 3600_000);
  });

  it('maps account rules so the example routes cost center 7530 to Z9Y8X7 and the rest to the default', () => {
    const po = makePo(); // charge account 01-510-7530-0000-000
    expect(mapAccount(po, settings.mappingRules, settings.costCenter)).toMatchObject({
      ruleId: 'it-department',
      account: { shipperNumber: 'Z9Y8X7' },
      serviceCode: '02',
    });
    po.lines[0]!.schedules[0]!.distributions = [{ chargeAccount: '01-510-1111-0000-000', quantity: 4 }];
    const fallback = mapAccount(po, settings.mappingRules, settings.costCenter);
    expect(fallback).toMatchObject({
      ruleId: 'default',
      account: { shipperNumber: 'A1B2C3' },
      defaultUnitWeight: 5,
      weightUnit: 'LBS',
    });
    po.lines[0]!.schedules[0]!.shipToOrganizationCode = 'RET1';
    expect(mapAccount(po, settings.mappingRules, settings.costCenter)).toMatchObject({
      ruleId: 'warehouse-returns',
      shipFrom: { policy: 'warehouse', address: { city: 'Dayton' } },
    });
  });

  it('selects by the configured flexfield flag', () => {
    const flagged = makePo({ carrier: undefined, flexfields: { shipViaUps: 'Y' } });
    expect(selectPurchaseOrder(flagged, settings.selectionRules).selected).toBe(true);
  });
});
