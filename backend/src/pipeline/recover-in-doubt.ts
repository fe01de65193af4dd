/**
 * The compensation written next to step 7 (ship): what to do with an intent whose ship call may have
 * reached UPS (state `submitting` found after a crash, or `in_doubt` after a timeout / 5xx).
 *
 *  1. Look the shipment up by the intent's reference (tracking by reference; the reference travels as a
 *     package ReferenceNumber and the intent id as TransactionReference.CustomerContext).
 *  2. Found → label recovery for each package gives the shipment id and the label; the first shipment
 *     (lowest ShipmentIdentificationNumber) is adopted as the intent's result; any other shipment is a
 *     duplicate. Duplicates are stored (void_requested) BEFORE the adoption, so a crash in between leaves
 *     the intent in doubt and the next run finds and records them again (idempotent by shipment id);
 *     after the adoption they are voided, and voidLeftoverDuplicates retries any void left undone.
 *  3. Not found by tracking → label recovery by reference is asked too (a second index). Only when both
 *     are empty, and the intent has been in doubt for `confirmAfterMs` since its first empty lookup
 *     (a crashed `submitting` row starts that clock on its first lookup), is absence taken as proof; the
 *     intent goes back to intent_recorded and may be shipped again, under the same reference.
 * Nothing here ever calls /ship.
 */
import type { ShipmentState } from '../domain/shipment-state.js';
import { classify } from './failures.js';
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
  ups: Pick<UpsPort, 'findByReference' | 'recoverLabel' | 'recoverByReference' | 'void'>;
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
  const state: ShipmentState = intent.state;
  const age = deps.clock.now().getTime() - intent.stateChangedAt.getTime();
  if (state === 'submitting' && age < deps.submitGraceMs) {
    await audit(
      'retry',
      `intent is being submitted (for ${Math.round(age / 1000)} s); not recovering it yet`,
    );
    return 'unknown';
  }
  const reference = intentReference(intent.id);
  const found = (await deps.ups.findByReference(account, reference)).filter((p) => !p.voided);
  // Group packages into shipments through label recovery, which also gives back each label.
  const byShipment = new Map<string, { trackingNumbers: string[]; labels: LabelImage[] }>();
  let ungrouped: { trackingNumbers: string[]; labels: LabelImage[] } | null = null;
  for (const pkg of found) {
    const recovered = await deps.ups.recoverLabel(account, pkg.trackingNumber, labelFormat);
    const sid = recovered?.shipmentIdentificationNumber;
    // Without a shipment id a package cannot be told apart from its siblings: it joins the adopted
    // shipment rather than risk voiding part of a live one.
    const group = sid
      ? (byShipment.get(sid) ?? { trackingNumbers: [], labels: [] })
      : (ungrouped ??= { trackingNumbers: [], labels: [] });
    group.trackingNumbers.push(pkg.trackingNumber);
    if (recovered) group.labels.push(recovered.label);
    if (sid) byShipment.set(sid, group);
  }
  if (found.length === 0) {
    const byLabel = await deps.ups.recoverByReference(account, reference, labelFormat);
    if (byLabel && byLabel.trackingNumbers.length > 0) {
      const sid = byLabel.shipmentIdentificationNumber ?? byLabel.trackingNumbers[0]!;
      byShipment.set(sid, { trackingNumbers: byLabel.trackingNumbers, labels: byLabel.labels });
      await audit('info', `found by label recovery under reference ${reference} (tracking had nothing yet)`);
    }
  }

  if (byShipment.size === 0 && !ungrouped) {
    if (state === 'submitting') {
      await deps.shipments.transition(deps.tenantId, intent.id, 'submitting', 'in_doubt', {
        reason: 'found submitting on recovery',
      });
      // The confirmation window starts now, at the first empty lookup: UPS's indexes may lag the label.
      await audit(
        'retry',
        `no UPS shipment found for reference ${reference} yet; waiting before it counts as absent`,
      );
      return 'unknown';
    }
    if (age < deps.confirmAfterMs) {
      await audit(
        'retry',
        `no UPS shipment found for reference ${reference} yet; waiting before it counts as absent`,
      );
      return 'unknown';
    }
    await deps.shipments.transition(deps.tenantId, intent.id, 'in_doubt', 'intent_recorded', {
      reason: `no UPS shipment under reference ${reference} (tracking and label recovery) after ${Math.round(age / 1000)} s`,
    });
    await audit('info', 'proven absent at UPS; the intent may be shipped again');
    return 'absent';
  }

  const sorted = [...byShipment.entries()].sort(([a], [b]) => a.localeCompare(b));
  const [adoptSid, adoptGroup] = sorted[0] ?? ['', { trackingNumbers: [], labels: [] }];
  const duplicates = sorted.slice(1);
  if (ungrouped) {
    adoptGroup.trackingNumbers.push(...ungrouped.trackingNumbers);
    adoptGroup.labels.push(...ungrouped.labels);
  }
  const duplicateRows: ShipmentRecord[] = [];
  for (const [sid, group] of duplicates) {
    duplicateRows.push(
      await deps.shipments.recordDuplicate(deps.tenantId, intent.id, sid, group.trackingNumbers),
    );
  }
  await deps.shipments.recordShipped(deps.tenantId, intent.id, state, {
    shipmentIdentificationNumber: adoptSid || adoptGroup.trackingNumbers[0]!,
    trackingNumbers: adoptGroup.trackingNumbers,
    labels: adoptGroup.labels,
  });
  await audit('ok', `adopted UPS shipment ${adoptSid || adoptGroup.trackingNumbers[0]} found by reference`);
  for (const dup of duplicateRows) await voidDuplicate(dup, account, deps);
  return 'adopted';
}

/**
 * Voids a duplicate label. A hard refusal (e.g. outside the void window) leaves it in void_failed with an
 * alert for an operator; a transient failure (5xx, 429, network) leaves it in void_requested, and
 * voidLeftoverDuplicates tries again next cycle. Never silently lost.
 */
export async function voidDuplicate(
  dup: ShipmentRecord,
  account: UpsAccount,
  deps: Pick<RecoveryDeps, 'tenantId' | 'shipments' | 'audit'> & { ups: Pick<UpsPort, 'void'> },
): Promise<'voided' | 'void_failed' | 'pending'> {
  const sid = dup.shipmentIdentificationNumber ?? dup.trackingNumbers[0] ?? '';
  const record = (outcome: 'alert' | 'error' | 'retry', message: string) =>
    deps.audit.record({
      tenantId: deps.tenantId,
      poHeaderId: dup.poHeaderId,
      shipmentId: dup.id,
      step: 'recover-in-doubt',
      outcome,
      message,
    });
  try {
    await deps.ups.void(account, sid);
    await deps.shipments.transition(deps.tenantId, dup.id, 'void_requested', 'voided');
    await record('alert', `voided duplicate UPS shipment ${sid}`);
    return 'voided';
  } catch (error) {
    const failure = classify(error);
    if (failure.kind !== 'hard') {
      await record(
        'retry',
        `could not void duplicate UPS shipment ${sid} yet (${failure.message}); trying again next cycle`,
      );
      return 'pending';
    }
    await deps.shipments.transition(deps.tenantId, dup.id, 'void_requested', 'void_failed', {
      reason: failure.message,
    });
    await record('error', `could not void duplicate UPS shipment ${sid}: ${failure.message}`);
    return 'void_failed';
  }
}
