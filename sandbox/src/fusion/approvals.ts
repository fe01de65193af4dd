/**
 * Time-driven changes: POs created Incomplete / Pending Approval become Open when their approval time
 * passes on the sandbox clock, and submitted change orders are applied when approved. Every request runs
 * `processDueApprovals` first, so the state is always current for the clock reading.
 */
import { STATUS_NAMES } from './po-status.js';
import type { Row } from './schemas.js';
import {
  formatLocationAddress,
  fusionDateTime,
  type ChangeOrder,
  type FusionState,
  type PurchaseOrder,
} from './state.js';

const AWAITING_APPROVAL = new Set(['INCOMPLETE', 'PENDING APPROVAL']);

export function setPoStatus(po: PurchaseOrder, code: string, atIso: string, user: string): void {
  const name = STATUS_NAMES[code] ?? code;
  po.header.StatusCode = code;
  po.header.Status = name;
  for (const line of po.lines) {
    line.row.StatusCode = code;
    line.row.Status = name;
    for (const sched of line.schedules) {
      sched.row.StatusCode = code;
      sched.row.Status = name;
    }
  }
  touch(po, atIso, user);
}

export function touch(po: PurchaseOrder, atIso: string, user: string): void {
  po.header.LastUpdateDate = atIso;
  po.header.LastUpdatedBy = user;
  po.version += 1;
}

export function approvePurchaseOrder(_state: FusionState, po: PurchaseOrder, atMs: number): void {
  po.approveAtMs = null;
  setPoStatus(po, 'OPEN', fusionDateTime(atMs), 'APPROVAL_WORKFLOW');
}

/** Writes header attributes and location-derived fields; throws nothing (validated on PATCH). */
export function applyHeaderChanges(state: FusionState, po: PurchaseOrder, changes: Row): void {
  for (const [attr, value] of Object.entries(changes)) po.header[attr] = value;
  if ('ShipToLocationId' in changes || 'ShipToLocationCode' in changes) {
    const loc =
      'ShipToLocationId' in changes
        ? state.findLocation(Number(changes.ShipToLocationId))
        : state.findLocation(String(changes.ShipToLocationCode));
    if (loc) {
      po.header.ShipToLocationId = loc.row.LocationId;
      po.header.ShipToLocationCode = loc.row.LocationCode;
      po.header.ShipToLocationAddress = formatLocationAddress(loc.row);
    }
  }
  if ('BillToLocationId' in changes) {
    const loc = state.findLocation(Number(changes.BillToLocationId));
    if (loc) {
      po.header.BillToLocation = loc.row.LocationCode;
      po.header.BillToLocationAddress = formatLocationAddress(loc.row);
    }
  }
}

/** Applies an approved change order: new revision, LastUpdateDate moves, attachments become visible. */
export function applyChangeOrder(state: FusionState, po: PurchaseOrder, co: ChangeOrder, atMs: number): void {
  const at = fusionDateTime(atMs);
  applyHeaderChanges(state, po, co.headerChanges);
  for (const [seg, value] of Object.entries(co.dffChanges)) po.dff[seg] = value;
  po.attachments.push(...co.attachments);
  po.header.Revision = Number(po.header.Revision ?? 0) + 1;
  co.status = 'APPROVED';
  co.approvedAt = at;
  co.approveAtMs = null;
  po.changeOrder = null;
  touch(po, at, co.createdBy);
}

export function processDueApprovals(state: FusionState): void {
  const nowMs = state.clock.nowMs();
  for (const po of state.purchaseOrders.values()) {
    if (po.approveAtMs !== null && po.approveAtMs <= nowMs) {
      // A PO canceled or rejected while it waited is not approved any more.
      if (AWAITING_APPROVAL.has(String(po.header.StatusCode)))
        approvePurchaseOrder(state, po, po.approveAtMs);
      else po.approveAtMs = null;
    }
    const co = po.changeOrder;
    if (co && co.status === 'PENDING APPROVAL' && co.approveAtMs !== null && co.approveAtMs <= nowMs) {
      applyChangeOrder(state, po, co, co.approveAtMs);
    }
  }
}
