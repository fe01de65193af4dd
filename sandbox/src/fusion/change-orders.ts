/**
 * Change orders on purchase orders (fusion.md §3.2): who may open one, the merged draft view, submit and
 * the other draft actions. Never-approved drafts are edited in place, without a change order.
 */
import { processDueApprovals, setPoStatus } from './approvals.js';
import { FusionError } from './errors.js';
import type { Row } from './schemas.js';
import type { ChangeOrder, FusionState, PurchaseOrder, User } from './state.js';

export const DRAFT_STATUSES = new Set(['INCOMPLETE', 'REJECTED']);

export function isDraft(po: PurchaseOrder): boolean {
  return DRAFT_STATUSES.has(String(po.header.StatusCode)) || po.header.StatusCode === 'PENDING APPROVAL';
}

/** The merged view draftPurchaseOrders shows: the PO plus its pending change order. */
export function draftView(po: PurchaseOrder): {
  header: Row;
  dff: Row;
  attachments: PurchaseOrder['attachments'];
} {
  const co = po.changeOrder;
  const header: Row = {
    ...po.header,
    ...(co?.headerChanges ?? {}),
    ChangeOrderDescription: co?.description ?? null,
    ChangeOrderStatusCode: co?.status ?? null,
    ChangeOrderInitiatingParty: co ? 'BUYER' : null,
  };
  return {
    header,
    dff: { ...po.dff, ...(co?.dffChanges ?? {}) },
    attachments: [...po.attachments, ...(co?.attachments ?? [])],
  };
}

/** Finds or opens the change order a write goes to; null means "edit the draft PO in place". */
export function changeOrderFor(
  state: FusionState,
  po: PurchaseOrder,
  user: User,
  description: string | null,
): ChangeOrder | null {
  const status = String(po.header.StatusCode);
  const number = String(po.header.OrderNumber);
  if (DRAFT_STATUSES.has(status)) return null;
  if (status === 'PENDING APPROVAL')
    throw new FusionError(400, `Purchase order ${number} is pending approval and can't be changed.`);
  if (status !== 'OPEN') {
    throw new FusionError(
      400,
      `You can't create a change order for purchase order ${number} because its status is ${String(po.header.Status)}.`,
    );
  }
  if (po.header.FrozenFlag === true)
    throw new FusionError(
      400,
      `You can't create a change order for purchase order ${number} because it is frozen.`,
    );
  const co = po.changeOrder;
  if (co) {
    if (co.status === 'PENDING APPROVAL') {
      throw new FusionError(
        400,
        `You can't create a change order for purchase order ${number} because a change order is pending approval.`,
      );
    }
    if (co.createdBy !== user.username) {
      throw new FusionError(
        400,
        `You can't create a change order for purchase order ${number} because ${co.createdBy} has a pending change order on it.`,
      );
    }
    if (description !== null) co.description = description;
    return co;
  }
  const created: ChangeOrder = {
    changeOrderId: state.nextId(),
    poHeaderId: po.header.POHeaderId as number,
    status: 'INCOMPLETE',
    createdBy: user.username,
    createdAt: state.nowIso(),
    description,
    headerChanges: {},
    dffChanges: {},
    attachments: [],
    submittedAt: null,
    approvedAt: null,
    approveAtMs: null,
    bypassApprovals: false,
  };
  po.changeOrder = created;
  state.changeOrders.push(created);
  return created;
}

export function submit(
  state: FusionState,
  po: PurchaseOrder,
  user: User,
  params: Record<string, unknown>,
): void {
  const bypass = params.bypassApprovalsFlag === true || params.bypassApprovalsFlag === 'true';
  const nowMs = state.clock.nowMs();
  if (DRAFT_STATUSES.has(String(po.header.StatusCode))) {
    po.approveAtMs = bypass ? nowMs : nowMs + (state.changeOrderApprovalSeconds ?? 3600) * 1000;
    setPoStatus(po, 'PENDING APPROVAL', state.nowIso(), user.username);
  } else {
    const co = po.changeOrder;
    if (!co || co.status !== 'INCOMPLETE')
      throw new FusionError(
        400,
        `Purchase order ${String(po.header.OrderNumber)} has no incomplete change order to submit.`,
      );
    if (co.createdBy !== user.username)
      throw new FusionError(
        400,
        `The change order on ${String(po.header.OrderNumber)} belongs to ${co.createdBy}.`,
      );
    co.status = 'PENDING APPROVAL';
    co.submittedAt = state.nowIso();
    co.bypassApprovals = bypass;
    co.approveAtMs = bypass
      ? nowMs
      : state.changeOrderApprovalSeconds === null
        ? null
        : nowMs + state.changeOrderApprovalSeconds * 1000;
  }
  state.recordWriteBack({
    kind: 'action',
    poHeaderId: po.header.POHeaderId as number,
    user: user.username,
    detail: { action: 'submit', bypassApprovalsFlag: bypass },
  });
  processDueApprovals(state);
}

/** The custom actions of draftPurchaseOrders (fusion.md §3.2). */
export function runDraftAction(
  state: FusionState,
  po: PurchaseOrder,
  user: User,
  action: string,
  params: Record<string, unknown>,
): void {
  const co = po.changeOrder;
  switch (action) {
    case 'submit':
      submit(state, po, user, params);
      break;
    case 'deleteChangeOrder':
      if (!co || co.status !== 'INCOMPLETE')
        throw new FusionError(400, 'There is no incomplete change order to delete.');
      co.status = 'DELETED';
      po.changeOrder = null;
      po.version += 1;
      break;
    case 'cancelChangeOrder':
      if (!co || co.status !== 'PENDING APPROVAL')
        throw new FusionError(400, 'There is no change order pending approval to cancel.');
      co.status = 'CANCELED';
      po.changeOrder = null;
      po.version += 1;
      break;
    case 'withdraw':
      if (!co || co.status !== 'PENDING APPROVAL')
        throw new FusionError(400, 'There is no change order pending approval to withdraw.');
      co.status = 'INCOMPLETE';
      co.approveAtMs = null;
      break;
    case 'validate':
    case 'calculateTaxAndAccounting':
      break;
    default:
      throw new FusionError(404, `The action ${action} is not defined for draftPurchaseOrders.`);
  }
}
