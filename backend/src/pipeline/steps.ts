/**
 * The step table: one function per named step, each taking the PO and what earlier steps left in the
 * context, and returning the context to persist. The runner calls them in STEPS order from the step
 * where the PO stopped.
 */
import type { PostalAddress } from '../domain/types.js';
import { buildPackages, packageSetHash } from './build-packages.js';
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
import { LookupCache, resolveAddresses } from './resolve-addresses.js';
import { selectPurchaseOrder } from './select.js';
import { shipOnce } from './ship.js';
import { writeBackShipment } from './write-back.js';

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
    const addresses = await resolveAddresses(po, need(ctx.mapping, 'mapping'), {
      tenantId: env.tenantId,
      fusion: env.fusion,
      ups: env.ups,
      cache: env.addressCache,
    });
    const { addressCandidates: _cleared, ...rest } = ctx;
    return {
      context: { ...rest, addresses },
      message: `ship from ${addresses.shipFrom.city} ${addresses.shipFrom.countryCode} to ${addresses.shipTo.city} ${addresses.shipTo.countryCode}`,
    };
  },
  packages: async (po, ctx) => {
    const packages = buildPackages(po, need(ctx.mapping, 'mapping'));
    const hash = packageSetHash(packages);
    const total = packages.reduce((sum, p) => sum + p.weight.value, 0);
    return {
      context: { ...ctx, packages: { packages, hash } },
      message: `${packages.length} package(s), ${total.toFixed(1)} ${packages[0]?.weight.unit ?? ''}`,
    };
  },
  rate: async (po, ctx, env) => {
    const packages = need(ctx.packages, 'packages');
    const quote = await rateShipment(
      po,
      packages.hash,
      need(ctx.mapping, 'mapping'),
      need(ctx.addresses, 'addresses'),
      packages.packages,
      {
        tenantId: env.tenantId,
        mode: ctx.mapping?.rateMode ?? env.settings.rateMode,
        ups: env.ups,
        rates: env.rates,
      },
    );
    return {
      context: { ...ctx, rate: quote },
      message: `service ${quote.serviceCode} at ${(quote.negotiated ?? quote.total).amount} ${(quote.negotiated ?? quote.total).currency}`,
    };
  },
  ship: async (po, ctx, env) => {
    const packages = need(ctx.packages, 'packages');
    const shipped = await shipOnce(
      {
        po,
        mapping: need(ctx.mapping, 'mapping'),
        addresses: need(ctx.addresses, 'addresses'),
        packages: packages.packages,
        packageSetHash: packages.hash,
        serviceCode: need(ctx.rate, 'rate').serviceCode,
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
    );
    return {
      context: { ...ctx, shipment: shipped },
      message: `shipped: ${shipped.trackingNumbers.join(', ')}`,
    };
  },
  'write-back': async (po, ctx, env) => {
    await writeBackShipment(po, need(ctx.shipment, 'shipment'), {
      tenantId: env.tenantId,
      fusion: env.fusion,
      writeBacks: env.writeBacks,
      shipments: env.shipments,
      audit: env.audit,
      clock: env.clock,
      kinds: env.settings.writeBack,
      trackingUrl: env.settings.trackingUrl,
      attachmentTitle: env.settings.attachmentTitle,
    });
    return {
      context: ctx,
      message: `written back to Fusion (${[...env.settings.writeBack, 'status'].join(', ')})`,
    };
  },
};
