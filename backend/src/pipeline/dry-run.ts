/**
 * What would happen to a PO, without a label: selection, account, addresses, packages and a live rate.
 * Nothing is persisted and nothing is written to Fusion; UPS is asked only to validate and rate.
 */
import type { PackageSpec } from '../domain/types.js';
import { classify } from './failures.js';
import type { ResolvedMapping } from './map-account.js';
import type { PoContext } from './po-context.js';
import type { RateQuote } from './ports.js';
import type { ResolvedAddresses } from './resolve-addresses.js';
import { AddressNeedsCorrection } from './resolve-addresses.js';
import { NotSelected, STEP_FUNCTIONS, type StepEnv } from './steps.js';

export interface DryRunResult {
  poHeaderId: string;
  orderNumber?: string;
  selected: boolean;
  /** Why it would not ship, or which rule selected it. */
  reason: string;
  /** The step that stopped the dry run, when it stopped early. */
  stoppedAt?: string;
  mapping?: ResolvedMapping;
  /** One per ship-to location: ship-from / ship-to, packages and the rate of each UPS shipment. */
  shipments?: {
    shipToLocationId: string;
    addresses?: ResolvedAddresses;
    packages?: PackageSpec[];
    rate?: RateQuote;
  }[];
  addressCandidates?: PoContext['addressCandidates'];
}

const DRY_STEPS = ['select', 'map', 'address', 'packages', 'rate'] as const;

export async function dryRunPo(poHeaderId: string, env: StepEnv): Promise<DryRunResult> {
  const po = await env.fusion.getPurchaseOrder(poHeaderId);
  let ctx: PoContext = {};
  const summary = (extra: Partial<DryRunResult>): DryRunResult => ({
    poHeaderId,
    orderNumber: po.orderNumber,
    selected: ctx.selection !== undefined,
    reason: ctx.selection?.reason ?? '',
    mapping: ctx.mapping,
    shipments: ctx.groups?.map((g) => ({
      shipToLocationId: g.shipToLocationId,
      addresses: g.addresses,
      packages: g.packages?.packages,
      rate: g.rate,
    })),
    ...extra,
  });
  for (const step of DRY_STEPS) {
    try {
      ctx = (await STEP_FUNCTIONS[step](po, ctx, env)).context;
    } catch (error) {
      if (error instanceof NotSelected)
        return summary({ selected: false, reason: error.reason, stoppedAt: step });
      const addressCandidates = error instanceof AddressNeedsCorrection ? error.candidates : undefined;
      return summary({ reason: classify(error).message, stoppedAt: step, addressCandidates });
    }
  }
  return summary({});
}
