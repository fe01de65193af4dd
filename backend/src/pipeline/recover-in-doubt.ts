/**
 * The compensation written next to step 7 (ship): what to do with an intent whose ship call may have
 * reached UPS (state `submitting` found after a crash, or `in_doubt` after a timeout / 5xx).
 *
 *  1. Look the shipment up by the intent's reference (tracking by reference; the reference travels as a
 *     package ReferenceNumber and the intent id as TransactionReference.CustomerContext).
 *  2. Found → label recovery for each package gives the shipment id and the label; the first shipment
 *     (lowest ShipmentIdentificationNumber) is adopted as the intent's result; any other shipment is a
 *     duplicate: stored in void_requested and voided at UPS.
 *  3. Not found → only after the intent has been in doubt for `confirmAfterMs` (tracking data can lag)
 *     is absence taken as proof; the intent goes back to intent_recorded and may be shipped again, under
 *     the same reference, so a late-surfacing first label would still be found and voided later.
 * Nothing here ever calls /ship.
 */
import type { ShipmentState } from '../domain/shipment-state.js';
import type {
  AuditPort,
  Clock,
  LabelImage,
  ShipmentRecord,
  ShipmentStore,
  UpsAccount,
  UpsPort,
} from './ports.js';

export interface RecoveryDeps {
  tenantId: string;
  ups: Pick<UpsPort, 'findByReference' | 'recoverLabel' | 'void'>;
  shipments: ShipmentStore;
  audit: AuditPort;
  clock: Clock;
  confirmAfterMs: number;
  /**
   * A `submitting` row younger than this may still be in flight in another worker (whose lease this
   * worker should not have got, but defence in depth costs one comparison); it is left alone.
   */
  submitGraceMs: number;
}

export type RecoveryOutcome = 'adopted' | 'absent' | 'unknown';

/** UPS ReferenceNumber values are ≤35 characters; a UUID without hyphens is 32. */
export function intentReference(intentId: string): string {
  const compact = intentId.length > 35 ? intentId.replace(/-/g, '') : intentId;
  return compact.slice(0, 35);
}

export async function recoverIntent(
  intent: ShipmentRecord,
  account: UpsAccount,
  deps: RecoveryDeps,
  labelFormat: 'GIF' | 'ZPL' = 'GIF',
): Promise<RecoveryOutcome> {
  const audit = (outcome: 'ok' | 'alert' | 'info' | 'retry', message: string) =>
    deps.audit.record({
      tenantId: deps.tenantId,
      poHeaderId: intent.poHeaderId,
      shipmentId: intent.id,
      step: 'recover-in-doubt',
      outcome,
      message,
    });
  let state: ShipmentState = intent.state;
  const age = deps.clock.now().getTime() - intent.stateChangedAt.getTime();
  if (state === 'submitting' && age < deps.submitGraceMs) {
    await audit(
      'retry',
      `intent is being submitted (for ${Math.round(age / 1000)} s); not recovering it yet`,
    );
    return 'unknown';
  }
  const found = (await deps.ups.findByReference(account, intentReference(intent.id))).filter(
    (p) => !p.voided,
  );

  if (!found.length) {
    if (state === 'submitting') {
      await deps.shipments.transition(deps.tenantId, intent.id, 'submitting', 'in_doubt', {
        reason: 'found submitting on recovery',
      });
      state = 'in_doubt';
    }
    const waited = age;
    if (waited < deps.confirmAfterMs) {
      await audit(
        'retry',
        `no UPS shipment found for reference ${intentReference(intent.id)} yet; waiting before it counts as absent`,
      );
      return 'unknown';
    }
    await deps.shipments.transition(deps.tenantId, intent.id, 'in_doubt', 'intent_recorded', {
      reason: `no UPS shipment under reference ${intentReference(intent.id)} after ${Math.round(waited / 1000)} s`,
    });
    await audit('info', 'proven absent at UPS; the intent may be shipped again');
    return 'absent';
  }

  // Group packages into shipments through label recovery, which also gives back each label.
  const byShipment = new Map<string, { trackingNumbers: string[]; labels: LabelImage[] }>();
  for (const pkg of found) {
    const recovered = await deps.ups.recoverLabel(account, pkg.trackingNumber, labelFormat);
    const sid = recovered?.shipmentIdentificationNumber ?? pkg.trackingNumber;
    const group = byShipment.get(sid) ?? { trackingNumbers: [], labels: [] };
    group.trackingNumbers.push(pkg.trackingNumber);
    if (recovered) group.labels.push(recovered.label);
    byShipment.set(sid, group);
  }
  const [adopt, ...duplicates] = [...byShipment.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (!adopt) return 'unknown';
  await deps.shipments.recordShipped(deps.tenantId, intent.id, state, {
    shipmentIdentificationNumber: adopt[0],
    trackingNumbers: adopt[1].trackingNumbers,
    labels: adopt[1].labels,
  });
  await audit('ok', `adopted UPS shipment ${adopt[0]} found by reference`);

  for (const [sid, group] of duplicates) {
    const dup = await deps.shipments.recordDuplicate(deps.tenantId, intent.id, sid, group.trackingNumbers);
    await voidDuplicate(dup, account, deps);
  }
  return 'adopted';
}

/** Voids a duplicate label; a refusal leaves it in void_failed for an operator, never silently lost. */
export async function voidDuplicate(
  dup: ShipmentRecord,
  account: UpsAccount,
  deps: RecoveryDeps,
): Promise<void> {
  const sid = dup.shipmentIdentificationNumber ?? dup.trackingNumbers[0] ?? '';
  try {
    await deps.ups.void(account, sid);
    await deps.shipments.transition(deps.tenantId, dup.id, 'void_requested', 'voided');
    await deps.audit.record({
      tenantId: deps.tenantId,
      poHeaderId: dup.poHeaderId,
      shipmentId: dup.id,
      step: 'recover-in-doubt',
      outcome: 'alert',
      message: `voided duplicate UPS shipment ${sid}`,
    });
  } catch (error) {
    await deps.shipments.transition(deps.tenantId, dup.id, 'void_requested', 'void_failed', {
      reason: error instanceof Error ? error.message : String(error),
    });
    await deps.audit.record({
      tenantId: deps.tenantId,
      poHeaderId: dup.poHeaderId,
      shipmentId: dup.id,
      step: 'recover-in-doubt',
      outcome: 'error',
      message: `could not void duplicate UPS shipment ${sid}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
