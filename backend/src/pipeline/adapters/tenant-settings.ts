/**
 * A tenant's pipeline settings from the typed configuration (backend/src/config).
 *
 * Mapping precedence: the pipeline's rule (most specific match wins, see map-account.ts) with the order
 * in the configuration as the tie-breaker, so among equally specific rules the first listed wins.
 * `defaultPackageWeight` is applied per unit of a line whose item has no weight.
 */
import type { Config, TenantConfig } from '../../config/index.js';
import { statusMechanismOf } from '../../config/schema-tenant.js';
import type { MappingRule } from '../map-account.js';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../pipeline-settings.js';
import type { SelectionRule } from '../select.js';
import type { FusionPortSettings } from './fusion-port.js';

/** Leases cover one PO's whole run (several UPS and Fusion calls with their retries). */
const MIN_LEASE_MS = 5 * 60_000;

export function selectionRulesOf(tenant: TenantConfig): SelectionRule[] {
  const rules: SelectionRule[] = tenant.selection.rules.map((r) => ({
    id: r.id,
    action: r.action === 'ship' ? 'select' : 'ignore',
    ...(r.carrier ? { carrier: r.carrier } : {}),
    ...(r.supplier ? { supplier: r.supplier } : {}),
    ...(r.supplierSite ? { supplierSite: r.supplierSite } : {}),
    ...(r.flexfield ? { flexfield: r.flexfield } : {}),
  }));
  if (tenant.selection.otherwise === 'ship') rules.push({ id: 'otherwise', action: 'select', priority: -1 });
  return rules;
}

export function mappingRulesOf(tenant: TenantConfig): MappingRule[] {
  const count = tenant.accountMapping.rules.length;
  return tenant.accountMapping.rules.map((r, i) => ({
    id: r.id,
    priority: count - i,
    match: r.match,
    account: { shipperNumber: r.shipperNumber, ...(r.merchantId ? { merchantId: r.merchantId } : {}) },
    serviceCode: r.serviceCode,
    packagingCode: r.packagingCode,
    labelFormat: r.labelFormat,
    rateMode: r.rateMode,
    shipFrom:
      r.shipFrom === 'warehouse' && r.warehouse
        ? { policy: 'warehouse', address: r.warehouse }
        : { policy: 'supplier-site' },
    weightUnit: r.defaultPackageWeight?.unit ?? 'LBS',
    ...(r.defaultPackageWeight ? { defaultUnitWeight: r.defaultPackageWeight.value } : {}),
  }));
}

/**
 * `overrides` are for tests and the sandbox mode (e.g. inDoubtConfirmAfterMs / submitGraceMs of 0 so a
 * crash test does not wait out the production safety windows); production passes none.
 */
export function pipelineSettingsFor(
  tenant: TenantConfig,
  scheduler: Config['scheduler'],
  overrides: Partial<PipelineSettings> = {},
): PipelineSettings {
  return {
    ...DEFAULT_PIPELINE_SETTINGS,
    selectionRules: selectionRulesOf(tenant),
    mappingRules: mappingRulesOf(tenant),
    costCenter: {
      segmentIndex:
        (tenant.accountMapping.costCenterSegment ?? DEFAULT_PIPELINE_SETTINGS.costCenter.segmentIndex + 1) -
        1,
      delimiter: tenant.accountMapping.segmentSeparator,
    },
    writeBack: [tenant.writeBack.mode],
    poll: {
      ...DEFAULT_PIPELINE_SETTINGS.poll,
      overlapMs: scheduler.pollOverlapSeconds * 1000,
      pageSize: scheduler.pollPageSize,
      initialLookbackMs: scheduler.initialLookbackDays * 24 * 3600_000,
    },
    leaseMs: Math.max(MIN_LEASE_MS, scheduler.leaseSeconds * 1000),
    attachmentTitle: tenant.writeBack.attachmentTitle,
    statusCarriesTracking: statusMechanismOf(tenant.writeBack) === 'flexfield',
    ...overrides,
  };
}

/** What the Fusion port writes: the PO status where `writeBack.status` says (statusMechanismOf). */
export function fusionPortSettingsFor(tenant: TenantConfig, dffContext?: string): FusionPortSettings {
  const ff = tenant.writeBack.flexfield;
  const statusMechanism = statusMechanismOf(tenant.writeBack);
  return {
    statusMechanism,
    ...(statusMechanism === 'flexfield' && ff?.statusSegment
      ? {
          statusSegments: {
            ...(dffContext ? { context: dffContext } : {}),
            status: ff.statusSegment,
            trackingNumber: ff.trackingNumberSegment,
          },
        }
      : {}),
    ...(ff ? { trackingSegment: ff.trackingNumberSegment } : {}),
  };
}
