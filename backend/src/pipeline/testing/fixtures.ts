/** Purchase orders, rules and a wired pipeline over in-memory ports, shared by the unit tests. */
import type { PostalAddress } from '../../domain/types.js';
import type { MappingRule } from '../map-account.js';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../pipeline-settings.js';
import type { PurchaseOrder } from '../ports.js';
import { createPipeline, type Pipeline } from '../runner.js';
import type { SelectionRule } from '../select.js';
import { FakeFusion, FakeUps } from './fake-systems.js';
import {
  ManualClock,
  MemoryAudit,
  MemoryLeases,
  MemoryPoStore,
  MemoryRates,
  MemoryShipments,
  MemoryWatermarks,
  MemoryWriteBacks,
} from './memory-stores.js';

export const TENANT = 'acme';

export const WAREHOUSE: PostalAddress = {
  name: 'Acme Receiving',
  lines: ['100 Dock Rd'],
  city: 'Albany',
  stateProvince: 'NY',
  postalCode: '12207',
  countryCode: 'US',
};

export const SUPPLIER_SITE: PostalAddress = {
  name: 'Widget Works',
  lines: ['5 Industrial Way'],
  city: 'San Jose',
  stateProvince: 'CA',
  postalCode: '95131',
  countryCode: 'US',
};

export function makePo(overrides: Partial<PurchaseOrder> = {}): PurchaseOrder {
  return {
    poHeaderId: '300100',
    orderNumber: 'US1001',
    revision: 0,
    statusCode: 'OPEN',
    lastUpdateDate: new Date('2026-03-02T09:00:00Z'),
    supplierId: 'S1',
    supplier: 'Widget Works',
    supplierSiteId: 'SITE1',
    supplierSite: 'SAN JOSE',
    carrier: 'UPS',
    shipToLocationId: 'LOC1',
    flexfields: {},
    lines: [
      {
        poLineId: 'L1',
        lineNumber: 1,
        itemNumber: 'WID-1',
        quantity: 4,
        uom: 'Each',
        unitWeight: { value: 10, unit: 'LBS' },
        schedules: [
          {
            lineLocationId: 'LL1',
            scheduleNumber: 1,
            quantity: 4,
            shipToOrganizationCode: 'M1',
            shipToLocationId: 'LOC1',
            distributions: [{ chargeAccount: '01-510-7530-0000-000', quantity: 4 }],
          },
        ],
      },
    ],
    ...overrides,
  };
}

export const SELECT_UPS: SelectionRule[] = [{ id: 'ups-carrier', action: 'select', carrier: 'UPS' }];

export const DEFAULT_MAPPING: MappingRule = {
  id: 'default',
  match: {},
  account: { shipperNumber: 'A1B2C3' },
  serviceCode: '03',
  packagingCode: '02',
  labelFormat: 'GIF',
  shipFrom: { policy: 'supplier-site' },
  weightUnit: 'LBS',
};

export function testSettings(overrides: Partial<PipelineSettings> = {}): PipelineSettings {
  return {
    ...DEFAULT_PIPELINE_SETTINGS,
    selectionRules: SELECT_UPS,
    mappingRules: [DEFAULT_MAPPING],
    inDoubtConfirmAfterMs: 0,
    ...overrides,
  };
}

export interface Harness {
  clock: ManualClock;
  fusion: FakeFusion;
  ups: FakeUps;
  pos: MemoryPoStore;
  watermarks: MemoryWatermarks;
  shipments: MemoryShipments;
  rates: MemoryRates;
  writeBacks: MemoryWriteBacks;
  leases: MemoryLeases;
  audit: MemoryAudit;
  settings: PipelineSettings;
  pipeline: Pipeline;
  /** A second instance sharing the same stores (another worker process). */
  newWorker(owner: string): Pipeline;
}

export function createHarness(settings: PipelineSettings = testSettings()): Harness {
  const clock = new ManualClock();
  const fusion = new FakeFusion();
  fusion.locations.set('LOC1', WAREHOUSE);
  fusion.sites.set('S1/SITE1', SUPPLIER_SITE);
  const ups = new FakeUps();
  const h = {
    clock,
    fusion,
    ups,
    pos: new MemoryPoStore(),
    watermarks: new MemoryWatermarks(),
    shipments: new MemoryShipments(clock),
    rates: new MemoryRates(),
    writeBacks: new MemoryWriteBacks(),
    leases: new MemoryLeases(clock),
    audit: new MemoryAudit(),
    settings,
  };
  const newWorker = (owner: string) =>
    createPipeline({
      ...h,
      owner,
      random: () => 0,
      tenant: async () => ({ fusion, ups, settings: h.settings }),
    });
  return { ...h, pipeline: newWorker('worker-1'), newWorker };
}
