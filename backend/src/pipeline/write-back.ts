/**
 * Step 8 — write back to Fusion, per tenant: (a) an ASN through receivingReceiptRequests (default),
 * (b) header flexfield segments through a change order, (c) a web-page attachment with the UPS tracking
 * link; then a status on the PO. Each write is guarded by a write-back record per (shipment, kind):
 * `pending` before the call, `done` after, so a retry never writes twice. A `pending` ASN found on retry is
 * first looked up in Fusion by its ShipmentNumber (the call may have succeeded before a crash).
 *
 * Change-order conflicts: a pending change order → transient (retried next cycle); a frozen or closed PO
 * → hard (flagged; an admin decides).
 */
import { createHash } from 'node:crypto';
import { shippableLines } from './build-packages.js';
import { classify, hardFailure, transientFailure } from './failures.js';
import type {
  AsnRequest,
  WriteBackKey,
  AuditPort,
  Clock,
  FusionPort,
  PoRef,
  PoStatusWrite,
  PurchaseOrder,
  ShipmentStore,
  WriteBackKind,
  WriteBackStore,
} from './ports.js';
import type { Shipped } from './ship.js';
import { poForGroup, type ShipmentGroup } from './shipment-groups.js';

export type TrackingWriteKind = Exclude<WriteBackKind, 'status'>;

export interface WriteBackDeps {
  tenantId: string;
  fusion: FusionPort;
  writeBacks: WriteBackStore;
  shipments: ShipmentStore;
  audit: AuditPort;
  clock: Clock;
  kinds: readonly TrackingWriteKind[];
  trackingUrl: (trackingNumber: string) => string;
  attachmentTitle: string;
  /** The status write includes the tracking number segment (see PipelineSettings). */
  statusCarriesTracking?: boolean;
}

function asFusionFailure(error: unknown, what: string) {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const { message } = classify(error);
  if (code === 'pending_change_order')
    return transientFailure('write-back', `${what}: the PO has a pending change order (${message})`);
  if (code === 'frozen' || code === 'closed')
    return hardFailure('write-back', `${what}: the PO is ${code} (${message})`);
  const c = classify(error);
  return c.kind === 'hard'
    ? hardFailure('write-back', `${what}: ${message}`)
    : transientFailure('write-back', `${what}: ${message}`);
}

/** Runs `write` at most once per key, even across crashes and retries. */
async function once(
  deps: Pick<WriteBackDeps, 'tenantId' | 'writeBacks' | 'audit'>,
  key: WriteBackKey,
  write: () => Promise<void>,
  alreadyThere?: () => Promise<boolean>,
): Promise<void> {
  const before = await deps.writeBacks.begin(deps.tenantId, key);
  if (before === 'done') return;
  if (before === 'pending' && alreadyThere && (await alreadyThere())) {
    await deps.writeBacks.finish(deps.tenantId, key);
    return;
  }
  try {
    await write();
  } catch (error) {
    await deps.audit.record({
      tenantId: deps.tenantId,
      poHeaderId: key.poHeaderId,
      shipmentId: key.shipmentId,
      step: 'write-back',
      outcome: 'error',
      message: `${key.kind}: ${classify(error).message}`,
    });
    throw asFusionFailure(error, `write-back ${key.kind}`);
  }
  await deps.writeBacks.finish(deps.tenantId, key);
  await deps.audit.record({
    tenantId: deps.tenantId,
    poHeaderId: key.poHeaderId,
    shipmentId: key.shipmentId,
    step: 'write-back',
    outcome: 'ok',
    message: `${key.kind} written`,
  });
}

export function asnRequest(po: PurchaseOrder, shipped: Shipped, shippedDate: Date): AsnRequest {
  return {
    po,
    shipmentNumber: shipped.shipmentIdentificationNumber,
    trackingNumber: shipped.trackingNumbers[0] ?? shipped.shipmentIdentificationNumber,
    shippedDate,
    lines: shippableLines(po).flatMap((line) =>
      line.schedules
        .filter((s) => s.quantity > 0)
        .map((s) => ({
          poLineId: line.poLineId,
          lineNumber: line.lineNumber,
          lineLocationId: s.lineLocationId,
          scheduleNumber: s.scheduleNumber,
          quantity: s.quantity,
          uom: line.uom,
          itemNumber: line.itemNumber,
        })),
    ),
  };
}

/**
 * Writes every shipment of the PO back: an ASN and an attachment per shipment (its own schedules), the
 * flexfield and the status once for the PO with all tracking numbers (keyed by the first shipment).
 */
export async function writeBackShipments(
  po: PurchaseOrder,
  groups: readonly ShipmentGroup[],
  deps: WriteBackDeps,
): Promise<void> {
  const shipped = groups.map((g) => {
    if (!g.shipment)
      throw hardFailure('internal', `ship-to ${g.shipToLocationId} has no shipment to write back`);
    return { group: g, shipment: g.shipment };
  });
  const first = shipped[0]?.shipment;
  if (!first) return;
  const key = (kind: WriteBackKind, shipmentId: string): WriteBackKey => ({
    poHeaderId: po.poHeaderId,
    shipmentId,
    kind,
    changeKey: shipmentId,
  });
  const allTracking = shipped.flatMap((s) => s.shipment.trackingNumbers);
  for (const kind of deps.kinds) {
    switch (kind) {
      case 'asn':
        for (const { group, shipment } of shipped) {
          await once(
            deps,
            key('asn', shipment.id),
            () =>
              deps.fusion.createAsn(
                asnRequest(poForGroup(po, group.shipToLocationId), shipment, deps.clock.now()),
              ),
            () => deps.fusion.findAsn(po, shipment.shipmentIdentificationNumber),
          );
        }
        break;
      case 'flexfield':
        // One change order per PO: the SHIPPED status below writes the tracking segment with it.
        if (deps.statusCarriesTracking) break;
        await once(deps, key('flexfield', first.id), () =>
          deps.fusion.writeTrackingFlexfield(po, allTracking),
        );
        break;
      case 'attachment':
        for (const { shipment } of shipped) {
          const tn = shipment.trackingNumbers[0] ?? shipment.shipmentIdentificationNumber;
          await once(deps, key('attachment', shipment.id), () =>
            deps.fusion.addTrackingAttachment(po, `${deps.attachmentTitle} ${tn}`, deps.trackingUrl(tn)),
          );
        }
        break;
    }
  }
  await once(deps, key('status', first.id), () =>
    deps.fusion.writePoStatus(po, { status: 'shipped', trackingNumbers: allTracking }),
  );
  for (const { shipment } of shipped) {
    const row = await deps.shipments.get(deps.tenantId, shipment.id);
    if (row?.state === 'shipped')
      await deps.shipments.transition(deps.tenantId, shipment.id, 'shipped', 'written_back');
  }
}

/** "status:digest of the reason": equal keys mean Fusion already shows this flag. */
export function flagStatusKey(status: Exclude<PoStatusWrite, { status: 'shipped' }>): string {
  return `${status.status}:${createHash('sha256').update(status.reason).digest('hex').slice(0, 16)}`;
}

/** The status for a flagged PO ("address needs correction", "failed: …"), once per PO revision and status key. */
export async function writeFlagStatus(
  po: PoRef,
  status: Exclude<PoStatusWrite, { status: 'shipped' }>,
  deps: Pick<WriteBackDeps, 'tenantId' | 'fusion' | 'writeBacks' | 'audit'>,
): Promise<void> {
  const key: WriteBackKey = {
    poHeaderId: po.poHeaderId,
    shipmentId: null,
    kind: 'status',
    changeKey: `${po.revision}:${flagStatusKey(status)}`,
  };
  await once(deps, key, () => deps.fusion.writePoStatus(po, status));
}
