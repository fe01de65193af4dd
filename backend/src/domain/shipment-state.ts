/**
 * The life of one shipment intent, from "we mean to ship" to a label in the carrier's hands or a void.
 * The storage layer enforces this table with a conditional UPDATE (… WHERE state = :from), so two
 * workers can never both move a shipment out of the same state.
 *
 * How it serves "ship exactly once" (issue 4, step 7):
 *  - `intent_recorded`: the intent row (tenant, POHeaderId, revision, package-set hash; its id travels to UPS
 *    as TransactionReference.CustomerContext) is committed. UPS has NOT been called for it yet, so a worker
 *    that finds it after a crash may submit it.
 *  - `submitting`: committed immediately BEFORE the ship request leaves the process. A crash or timeout from
 *    here on means UPS may or may not have made a label, so nobody may submit again without a lookup.
 *  - `in_doubt`: the outcome is unknown (timeout, connection reset, 5xx, or a `submitting` row found on
 *    restart). Recovery looks the shipment up (tracking by reference = the intent id / PO number, label
 *    recovery). Found → `shipped`. Proven absent → back to `intent_recorded` (the only way back to a state
 *    that may call UPS). Extra shipments found for the same intent are stored as duplicates in
 *    `void_requested`.
 *  - `shipped`: UPS accepted; tracking number and label are stored in the same transaction.
 *  - `written_back`: the tracking number is on the purchase order in Fusion.
 *  - `void_requested` → `voided`, or `void_failed` (UPS refused, e.g. already picked up) which an operator
 *    may retry (→ `void_requested`).
 *  - `failed`: UPS rejected the request outright (hard error: address, weight, service, account), so no
 *    label exists. Retried only when the PO changes or an admin asks (→ `intent_recorded`, same intent id,
 *    which is safe because nothing exists at UPS under it).
 * Carrier progress (in transit, delivered…) is NOT part of this machine; it is the shipment's tracking
 * status, which only moves forward in time.
 */
export const SHIPMENT_STATES = [
  'intent_recorded',
  'submitting',
  'in_doubt',
  'shipped',
  'written_back',
  'void_requested',
  'voided',
  'void_failed',
  'failed',
] as const;

export type ShipmentState = (typeof SHIPMENT_STATES)[number];

/** States a shipment row may be created in: a fresh intent, or a duplicate found during recovery. */
export const INITIAL_SHIPMENT_STATES: readonly ShipmentState[] = ['intent_recorded', 'void_requested'];

export const SHIPMENT_TRANSITIONS: Readonly<Record<ShipmentState, readonly ShipmentState[]>> = {
  intent_recorded: ['submitting', 'failed'],
  submitting: ['shipped', 'in_doubt', 'failed'],
  in_doubt: ['shipped', 'intent_recorded'],
  shipped: ['written_back', 'void_requested'],
  written_back: ['void_requested'],
  void_requested: ['voided', 'void_failed'],
  void_failed: ['void_requested'],
  voided: [],
  failed: ['intent_recorded'],
};

/** States in which the label surely exists at UPS and has not been voided: the ones tracking follows. */
export const LABELLED_SHIPMENT_STATES: readonly ShipmentState[] = ['shipped', 'written_back'];

/** States in which a label may exist at UPS, so the shipment counts as live until voided. */
export const LIVE_SHIPMENT_STATES: readonly ShipmentState[] = [
  'submitting',
  'in_doubt',
  'shipped',
  'written_back',
  'void_requested',
  'void_failed',
];

export class IllegalShipmentTransitionError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    const allowed = isShipmentState(from)
      ? SHIPMENT_TRANSITIONS[from].join(', ') || 'none (terminal)'
      : 'none';
    super(`illegal shipment transition ${from} → ${to} (allowed from ${from}: ${allowed})`);
    this.name = 'IllegalShipmentTransitionError';
  }
}

export function isShipmentState(value: string): value is ShipmentState {
  return (SHIPMENT_STATES as readonly string[]).includes(value);
}

export function canTransition(from: ShipmentState, to: ShipmentState): boolean {
  return SHIPMENT_TRANSITIONS[from].includes(to);
}

/** Throws IllegalShipmentTransitionError naming both states unless `from → to` is in the table. */
export function assertTransition(from: string, to: string): asserts to is ShipmentState {
  if (!isShipmentState(from) || !isShipmentState(to) || !canTransition(from, to)) {
    throw new IllegalShipmentTransitionError(from, to);
  }
}
