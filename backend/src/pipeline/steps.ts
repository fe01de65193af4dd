/**
 * The step table: one function per named step, each taking the PO and what earlier steps left in the
 * context, and returning the context to persist. The runner calls them in STEPS order from the step
 * where the PO stopped.
 */
import type { PostalAddress } from '../domain/types.js';
import { buildPackages } from './build-packages.js';
import { hardFailure } from './failures.js';
import { mapAccount } from './map-account.js';
import type { PipelineSettings } from './pipeline-settings.js';
import type { PoContext, StepName } from './po-context.js';
import type {
  AuditPort,
  Clock,
  FusionPort,
  PurchaseOrder,
  RateStore,
  ShipmentStore,
  UpsPort,
  WriteBackStore,
} from './ports.js';
import { rateShipment } from './rate.js';
import { AddressNeedsCorrection, LookupCache, resolveAddresses } from './resolve-addresses.js';
import {
  groupHash,
  needGroups,
  poForGroup,
  shipToLocationsOf,
  type ShipmentGroup,
} from './shipment-groups.js';
import { selectPurchaseOrder } from './select.js';
import { shipOnce } from './ship.js';
import { writeBackShipments } from './write-back.js';

export interface StepEnv {
  tenantId: string;
  fusion: FusionPort;
  ups: UpsPort;
  settings: PipelineSettings;
  shipments: ShipmentStore;
  /** Absent in a dry run. */
  rates?: RateStore;
  writeBacks: WriteBackStore;
  audit: AuditPort;
  clock: Clock;
  addressCache: LookupCache<PostalAddress | null>;
}

/** Thrown by `select` when the PO is not for UPS; the runner records it as ignored, not as a failure. */
export class NotSelected extends Error {
  constructor(
    readonly reason: string,
    readonly ruleId: string | null,
  ) {
    super(reason);
    this.name = 'NotSelected';
  }
}

function need<T>(value: T | undefined, what: string): T {
  // Only reachable if a context was persisted by an older version without this field.
  if (value === undefined) throw hardFailure('internal', `resumed without ${what}; retry the PO`);
  return value;
}

export type StepFn = (
  po: PurchaseOrder,
  ctx: PoContext,
  env: StepEnv,
) => Promise<{ context: PoContext; message: string }>;

export const STEP_FUNCTIONS: Record<Exclude<StepName, 'done'>, StepFn> = {
  select: async (po, ctx, env) => {
    // Polled while OPEN, but it may have been closed, canceled or put on hold since: never ship it then.
    if (po.statusCode.toUpperCase() !== 'OPEN') {
      throw new NotSelected(`the PO is ${po.statusCode} in Fusion, not OPEN`, null);
    }
    const selection = selectPurchaseOrder(po, env.settings.selectionRules);
    if (!selection.selected) throw new NotSelected(selection.reason, selection.ruleId);
    // A frozen PO takes no change orders, so nothing shipped for it could be written back: unfreeze first.
    if (po.frozen) throw hardFailure('frozen', 'the PO is frozen in Fusion; it ships once it is unfrozen');
    return {
      context: { ...ctx, selection: { ruleId: selection.ruleId, reason: selection.reason } },
      message: selection.reason,
    };
  },
  map: async (po, ctx, env) => {
    const mapping = mapAccount(po, env.settings.mappingRules, env.settings.costCenter);
    return {
      context: { ...ctx, mapping },
      message: `mapped by rule ${mapping.ruleId} to UPS account ${mapping.account.shipperNumber}, service ${mapping.serviceCode}`,
    };
  },
  address: async (po, ctx, env) => {
    const mapping = need(ctx.mapping, 'mapping');
    const groups: ShipmentGroup[] = [];
    const problems: AddressNeedsCorrection[] = [];
    for (const shipToLocationId of shipToLocationsOf(po)) {
      try {
        const addresses = await resolveAddresses(poForGroup(po, shipToLocationId), mapping, {
          tenantId: env.tenantId,
          fusion: env.fusion,
          ups: env.ups,
          cache: env.addressCache,
        });
        groups.push({ shipToLocationId, addresses });
      } catch (error) {
        if (!(error instanceof AddressNeedsCorrection)) throw error;
        problems.push(error);
      }
    }
    if (problems.length) {
      throw new AddressNeedsCorrection(
        problems.map((p) => p.message).join('; '),
        problems.flatMap((p) => p.candidates),
      );
    }
    const { addressCandidates: _cleared, ...rest } = ctx;
    return {
      context: { ...rest, groups },
      message: groups
        .map(
          ({ addresses: a }) =>
            `ship from ${a?.shipFrom.city} ${a?.shipFrom.countryCode} to ${a?.shipTo.city} ${a?.shipTo.countryCode}`,
        )
        .join('; '),
    };
  },
  packages: async (po, ctx) => {
    const mapping = need(ctx.mapping, 'mapping');
    const groups = needGroups(ctx.groups).map((g) => {
      const packages = buildPackages(poForGroup(po, g.shipToLocationId), mapping);
      return { ...g, packages: { packages, hash: groupHash(g.shipToLocationId, packages) } };
    });
    const count = groups.reduce((n, g) => n + (g.packages?.packages.length ?? 0), 0);
    const total = groups
      .flatMap((g) => g.packages?.packages ?? [])
      .reduce((sum, p) => sum + p.weight.value, 0);
    return {
      context: { ...ctx, groups },
      message: `${count} package(s) in ${groups.length} shipment(s), ${total.toFixed(1)} ${mapping.weightUnit}`,
    };
  },
  rate: async (po, ctx, env) => {
    const mapping = need(ctx.mapping, 'mapping');
    const groups: ShipmentGroup[] = [];
    for (const g of needGroups(ctx.groups)) {
      const packages = need(g.packages, 'packages');
      const rate = await rateShipment(
        po,
        packages.hash,
        mapping,
        need(g.addresses, 'addresses'),
        packages.packages,
        {
          tenantId: env.tenantId,
          mode: mapping.rateMode ?? env.settings.rateMode,
          ups: env.ups,
          rates: env.rates,
        },
      );
      groups.push({ ...g, rate });
    }
    return {
      context: { ...ctx, groups },
      message: groups
        .map(
          ({ rate: q }) =>
            `service ${q?.serviceCode} at ${(q?.negotiated ?? q?.total)?.amount} ${(q?.negotiated ?? q?.total)?.currency}`,
        )
        .join('; '),
    };
  },
  ship: async (po, ctx, env) => {
    const mapping = need(ctx.mapping, 'mapping');
    const groups: ShipmentGroup[] = [];
    for (const g of needGroups(ctx.groups)) {
      const packages = need(g.packages, 'packages');
      const shipment =
        g.shipment ??
        (await shipOnce(
          {
            po,
            groupKey: g.shipToLocationId,
            mapping,
            addresses: need(g.addresses, 'addresses'),
            packages: packages.packages,
            packageSetHash: packages.hash,
            serviceCode: need(g.rate, 'rate').serviceCode,
          },
          {
            tenantId: env.tenantId,
            ups: env.ups,
            shipments: env.shipments,
            audit: env.audit,
            clock: env.clock,
            confirmAfterMs: env.settings.inDoubtConfirmAfterMs,
            submitGraceMs: env.settings.submitGraceMs,
          },
        ));
      groups.push({ ...g, shipment });
    }
    return {
      context: { ...ctx, groups },
      message: `shipped: ${groups.flatMap((g) => g.shipment?.trackingNumbers ?? []).join(', ')}`,
    };
  },
  'write-back': async (po, ctx, env) => {
    await writeBackShipments(po, needGroups(ctx.groups), {
      tenantId: env.tenantId,
      fusion: env.fusion,
      writeBacks: env.writeBacks,
      shipments: env.shipments,
      audit: env.audit,
      clock: env.clock,
      kinds: env.settings.writeBack,
      trackingUrl: env.settings.trackingUrl,
      attachmentTitle: env.settings.attachmentTitle,
      statusCarriesTracking: env.settings.statusCarriesTracking,
    });
    return {
      context: ctx,
      message: `written back to Fusion (${[...env.settings.writeBack, 'status'].join(', ')})`,
    };
  },
};
