/**
 * Duplicate labels still live after recovery: a crash between adopting a shipment and voiding its
 * duplicates, or a void that failed for a transient reason (UPS 5xx, 429, network). Every cycle voids them
 * again. A row younger than `graceMs` may be in the middle of its first void in another worker and is left
 * alone; each void runs under the PO's lease, as recovery does.
 */
import type { AuditPort, Clock, PoStore, ShipmentStore, UpsPort } from './ports.js';
import { voidDuplicate } from './recover-in-doubt.js';

export interface LeftoverDeps {
  tenantId: string;
  ups: Pick<UpsPort, 'void'>;
  shipments: ShipmentStore;
  pos: Pick<PoStore, 'get'>;
  audit: AuditPort;
  clock: Clock;
  graceMs: number;
  /** Takes the PO's lease; null when another worker holds it (tried again next cycle). */
  withPoLease: <T>(poHeaderId: string, work: () => Promise<T>) => Promise<T | null>;
}

export async function voidLeftoverDuplicates(
  deps: LeftoverDeps,
): Promise<{ voided: number; pending: number }> {
  const now = deps.clock.now().getTime();
  const leftovers = (await deps.shipments.listInState(deps.tenantId, ['void_requested'])).filter(
    (s) => s.duplicateOf !== null && now - s.stateChangedAt.getTime() >= deps.graceMs,
  );
  let voided = 0;
  let pending = 0;
  for (const dup of leftovers) {
    const outcome = await deps.withPoLease(dup.poHeaderId, async () => {
      const current = await deps.shipments.get(deps.tenantId, dup.id);
      if (current?.state !== 'void_requested') return 'gone' as const;
      const account = (await deps.pos.get(deps.tenantId, dup.poHeaderId))?.context.mapping?.account;
      if (!account) {
        await deps.audit.record({
          tenantId: deps.tenantId,
          poHeaderId: dup.poHeaderId,
          shipmentId: dup.id,
          step: 'recover-in-doubt',
          outcome: 'alert',
          message: `duplicate UPS shipment ${dup.shipmentIdentificationNumber} awaits a void, but the PO has no UPS account on record; void it in UPS`,
        });
        return 'pending' as const;
      }
      return voidDuplicate(current, account, deps);
    });
    if (outcome === 'voided') voided += 1;
    else if (outcome === 'pending' || outcome === null) pending += 1;
  }
  return { voided, pending };
}
