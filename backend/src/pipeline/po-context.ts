/**
 * What the pipeline remembers about one purchase order between steps. It is persisted after every step
 * so a run resumes at the step where the last one stopped, without repeating calls already made.
 */
import type { PostalAddress } from '../domain/types.js';
import type { ResolvedMapping } from './map-account.js';
import type { ShipmentGroup } from './shipment-groups.js';

/** The steps in the order a PO goes through them; `done` = nothing left to do. */
export const STEPS = ['select', 'map', 'address', 'packages', 'rate', 'ship', 'write-back', 'done'] as const;
export type StepName = (typeof STEPS)[number];

/**
 * pending: to be processed; retrying: a transient failure, due again at nextAttemptAt;
 * ignored: not selected (reason says why); flagged: needs a PO change or an admin retry; done: shipped and written back.
 */
export type PoState = 'pending' | 'retrying' | 'ignored' | 'flagged' | 'done';

export interface AddressCandidates {
  role: 'ship-to' | 'ship-from';
  given: PostalAddress;
  candidates: PostalAddress[];
}

export interface PoContext {
  selection?: { ruleId: string; reason: string };
  mapping?: ResolvedMapping;
  /** One per ship-to location: addresses, packages, rate and shipment as the steps fill them in. */
  groups?: ShipmentGroup[];
  /** Kept for the UI when an address needs correction. */
  addressCandidates?: AddressCandidates[];
  /** A flag's category, so a new revision knows what to retry (address, weight, account...). */
  flagKind?: string;
  /**
   * The flag status last written to Fusion (status + digest of the reason). It survives resets: a status
   * written through a change order creates a new PO revision, which makes the PO look changed; without this
   * the re-run would flag it again, write again, and loop.
   */
  lastStatusKey?: string;
}

/** What a PO keeps when it starts over from `select`. */
export function carriedOver(ctx: PoContext): PoContext {
  return ctx.lastStatusKey === undefined ? {} : { lastStatusKey: ctx.lastStatusKey };
}

export function nextStep(step: StepName): StepName {
  const i = STEPS.indexOf(step);
  return STEPS[Math.min(i + 1, STEPS.length - 1)] ?? 'done';
}
