/**
 * The demo tenant `npm start` runs when no real tenant is configured: the same configuration a customer
 * would write, pointed at the built-in sandboxes and their demo credentials. It goes through the config
 * schema like any other tenant, so the demo exercises the real validation and defaults.
 */
import type { ConfigInput } from '../config/index.js';

export interface SandboxEndpoints {
  fusionBaseUrl: string;
  upsBaseUrl: string;
  fusion: { username: string; password: string };
  ups: { clientId: string; clientSecret: string; shipperNumber: string };
  /** DFF segment that flags a PO for UPS in the sandbox's seed data. */
  shipViaUpsSegment: string;
  trackingSegment: string;
  statusSegment: string;
  /** 1-based position of the cost center in the sandbox's charge accounts. */
  costCenterSegment: number;
}

type TenantInput = NonNullable<ConfigInput['tenants']>[number];

export const SANDBOX_TENANT_ID = 'sandbox';

export function sandboxTenant(endpoints: SandboxEndpoints): TenantInput {
  return {
    id: SANDBOX_TENANT_ID,
    name: 'Sandbox (built-in Fusion and UPS simulators)',
    fusion: {
      baseUrl: endpoints.fusionBaseUrl,
      auth: { kind: 'basic', username: endpoints.fusion.username, password: endpoints.fusion.password },
    },
    ups: {
      baseUrl: endpoints.upsBaseUrl,
      clientId: endpoints.ups.clientId,
      clientSecret: endpoints.ups.clientSecret,
      shipperNumbers: [endpoints.ups.shipperNumber],
    },
    writeBack: {
      mode: 'asn',
      flexfield: { trackingNumberSegment: endpoints.trackingSegment, statusSegment: endpoints.statusSegment },
    },
    selection: {
      rules: [
        { id: 'carrier-ups', carrier: ['UPS'], action: 'ship' },
        { id: 'flexfield-ship-via-ups', flexfield: { segment: endpoints.shipViaUpsSegment, equals: 'Y' } },
      ],
      otherwise: 'ignore',
    },
    accountMapping: {
      costCenterSegment: endpoints.costCenterSegment,
      rules: [
        // Expedited for the executive cost center shows the precedence of a specific rule over the catch-all.
        {
          id: 'cost-center-740-next-day',
          match: { costCenter: ['740'] },
          shipperNumber: endpoints.ups.shipperNumber,
          serviceCode: '01',
        },
        {
          id: 'default-ground',
          shipperNumber: endpoints.ups.shipperNumber,
          serviceCode: '03',
          defaultPackageWeight: { value: 2, unit: 'LBS' },
        },
      ],
    },
  };
}
