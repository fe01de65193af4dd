/**
 * Operator void: cancels a live label at UPS. The shipment moves shipped/written_back → void_requested
 * (committed first, so a crash mid-void is visible and retried) → voided, or void_failed when UPS refuses
 * (e.g. already picked up; the row stays for the operator). The PO is flagged so it does not ship again
 * on its own; an admin retry ships it under a fresh intent.
 */
import type { ShipmentState } from '../domain/shipment-state.js';
import { classify } from './failures.js';
import type { AuditPort, PoStore, ShipmentStore, UpsAccount, UpsPort } from './ports.js';

export interface VoidDeps {
  tenantId: string;
  ups: Pick<UpsPort, 'void'>;
  shipments: ShipmentStore;
  pos: PoStore;
  audit: AuditPort;
}

export type VoidOutcome = 'voided' | 'void_failed';

/** flagKind of a PO whose label an operator voided. */
export const OPERATOR_VOID = 'operator-void';

const VOIDABLE: readonly ShipmentState[] = ['shipped', 'written_back', 'void_failed', 'void_requested'];

export class NotVoidable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotVoidable';
  }
}

export async function voidShipment(shipmentId: string, reason: string, deps: VoidDeps): Promise<VoidOutcome> {
  const { tenantId } = deps;
  const row = await deps.shipments.get(tenantId, shipmentId);
  if (!row) throw new NotVoidable(`no shipment ${shipmentId} for tenant ${tenantId}`);
  if (!VOIDABLE.includes(row.state))
    throw new NotVoidable(`shipment ${shipmentId} is ${row.state}; only a live label can be voided`);
  const record = await deps.pos.get(tenantId, row.poHeaderId);
  const account: UpsAccount | undefined = record?.context.mapping?.account;
  if (!account) throw new NotVoidable(`shipment ${shipmentId}: the PO has no UPS account mapping on record`);
  if (row.state !== 'void_requested')
    await deps.shipments.transition(tenantId, row.id, row.state, 'void_requested', { reason });

  const sid = row.shipmentIdentificationNumber ?? row.trackingNumbers[0] ?? '';
  let outcome: VoidOutcome;
  try {
    await deps.ups.void(account, sid);
    await deps.shipments.transition(tenantId, row.id, 'void_requested', 'voided', { reason });
    outcome = 'voided';
  } catch (error) {
    await deps.shipments.transition(tenantId, row.id, 'void_requested', 'void_failed', {
      reason: classify(error).message,
    });
    outcome = 'void_failed';
  }
  await deps.audit.record({
    tenantId,
    poHeaderId: row.poHeaderId,
    shipmentId: row.id,
    step: 'void',
    outcome: outcome === 'voided' ? 'ok' : 'error',
    message: outcome === 'voided' ? `voided UPS shipment ${sid}: ${reason}` : `UPS refused to void ${sid}`,
  });
  if (outcome === 'voided' && record && row.duplicateOf === null) {
    const context = {
      ...record.context,
      // Sticky: a later change to the PO does not undo an operator's void; only an admin retry does.
      flagKind: OPERATOR_VOID,
      groups: record.context.groups?.map(({ shipment, ...g }) =>
        shipment?.id === row.id ? g : { ...g, shipment },
      ),
    };
    await deps.pos.save({
      ...record,
      state: 'flagged',
      step: 'ship',
      reason: `shipment voided by an operator: ${reason}`,
      nextAttemptAt: null,
      context,
    });
  }
  return outcome;
}
