/**
 * `purchaseOrders`: GET collection and items, read-only children (lines → schedules → distributions, DFF,
 * attachments) and the custom actions (fusion.md §2). Every other method is refused with 405.
 */
import express, { type Request, type Response, type Router } from 'express';
import { type AdfNode, type ResourceType } from './adf-query.js';
import {
  actionParameters,
  answerGet,
  describeResource,
  parseFinder,
  resolvePath,
  resourceHref,
  restSegments,
  sendActionResult,
} from './adf-resources.js';
import { processDueApprovals, setPoStatus, touch } from './approvals.js';
import { canSeeBu, currentUser } from './auth.js';
import { FusionError } from './errors.js';
import type { Predicate } from './q-filter.js';
import {
  ATTACHMENT_SCHEMA,
  PO_DISTRIBUTION_SCHEMA,
  PO_HEADER_SCHEMA,
  PO_LINE_SCHEMA,
  PO_SCHEDULE_SCHEMA,
  dffSchema,
  type Row,
  type Schema,
} from './schemas.js';
import { etagOf } from './seed-generator.js';
import type { Attachment, DffConfig, FusionState, PoLine, PurchaseOrder, User } from './state.js';

export interface PoTypes {
  po: ResourceType;
  line: ResourceType;
  schedule: ResourceType;
  distribution: ResourceType;
}

const dffType = (key: string, segments: readonly string[] = [], itemGet = true): ResourceType => ({
  name: 'DFF',
  schema: dffSchema(key, segments),
  children: {},
  itemGet,
});

export function purchaseOrderTypes(
  dff: DffConfig,
  name = 'purchaseOrders',
  headerSchema: Schema = PO_HEADER_SCHEMA,
  actions: string[] = [...ACTIONS],
): PoTypes {
  const distribution: ResourceType = {
    name: 'distributions',
    schema: PO_DISTRIBUTION_SCHEMA,
    children: { DFF: dffType('PoDistributionId') },
  };
  const schedule: ResourceType = {
    name: 'schedules',
    schema: PO_SCHEDULE_SCHEMA,
    children: { DFF: dffType('LineLocationId'), distributions: distribution },
  };
  const line: ResourceType = {
    name: 'lines',
    schema: PO_LINE_SCHEMA,
    children: { DFF: dffType('PoLineId'), schedules: schedule },
  };
  const po: ResourceType = {
    name,
    schema: headerSchema,
    actions,
    children: {
      lines: line,
      DFF: dffType('PoHeaderId', dff.segments, false),
      attachments: { name: 'attachments', schema: ATTACHMENT_SCHEMA, children: {}, itemGet: false },
    },
  };
  return { po, line, schedule, distribution };
}

export function attachmentNode(a: Attachment, type: ResourceType): AdfNode {
  return { type, key: a.uniqId, attrs: a.row, children: () => [] };
}

function dffNode(type: ResourceType, row: Row, keyAttr: string): AdfNode {
  return { type, key: String(row[keyAttr]), attrs: row, children: () => [] };
}

function lineNode(types: PoTypes, line: PoLine): AdfNode {
  return {
    type: types.line,
    key: String(line.row.POLineId),
    attrs: line.row,
    children: (acc) =>
      acc === 'DFF'
        ? [dffNode(types.line.children.DFF!, line.dff, 'PoLineId')]
        : line.schedules.map((s) => ({
            type: types.schedule,
            key: s.uniqId,
            attrs: s.row,
            children: (sAcc: string) =>
              sAcc === 'DFF'
                ? [dffNode(types.schedule.children.DFF!, s.dff, 'LineLocationId')]
                : s.distributions.map((d) => ({
                    type: types.distribution,
                    key: d.uniqId,
                    attrs: d.row,
                    children: () => [dffNode(types.distribution.children.DFF!, d.dff, 'PoDistributionId')],
                  })),
          })),
  };
}

/** An AdfNode over a PO; `header` lets draftPurchaseOrders render its own merged view. */
export function purchaseOrderNode(
  types: PoTypes,
  po: PurchaseOrder,
  header: Row = po.header,
  dff: Row = po.dff,
  attachments = po.attachments,
): AdfNode {
  return {
    type: types.po,
    key: String(po.header.POHeaderId),
    attrs: header,
    changeIndicator: etagOf(po),
    children: (acc) =>
      acc === 'lines'
        ? po.lines.map((l) => lineNode(types, l))
        : acc === 'DFF'
          ? [dffNode(types.po.children.DFF!, dff, 'PoHeaderId')]
          : attachments.map((a) => attachmentNode(a, types.po.children.attachments!)),
  };
}

const APPROVED = new Set([
  'OPEN',
  'CLOSED FOR RECEIVING',
  'CLOSED FOR INVOICING',
  'CLOSED',
  'FINALLY CLOSED',
  'ON HOLD',
]);

/** Data security plus `findByIntent` (fusion.md §2.2): without an intent, the union of the user's access. */
export function visibleTo(user: User, intent?: string): Predicate {
  switch (intent) {
    case undefined:
      return (r) =>
        canSeeBu(user, r.ProcurementBUId) ||
        canSeeBu(user, r.BillToBUId) ||
        canSeeBu(user, r.RequisitioningBUId);
    case 'POUser':
      return (r) => canSeeBu(user, r.ProcurementBUId);
    case 'APUser':
      return (r) => APPROVED.has(String(r.StatusCode)) && canSeeBu(user, r.BillToBUId);
    case 'LOBUser':
      return (r) => APPROVED.has(String(r.StatusCode)) && canSeeBu(user, r.RequisitioningBUId);
    default:
      throw new FusionError(
        400,
        `The finder variable Intent has an invalid value ${intent}. Use POUser, APUser or LOBUser.`,
      );
  }
}

/** The POs a user may see, or 404 for a single one they may not. */
export function visiblePurchaseOrder(state: FusionState, user: User, id: string | undefined): PurchaseOrder {
  const po = state.purchaseOrders.get(Number(id));
  if (!po || !/^\d+$/.test(id ?? '') || !visibleTo(user)(po.header)) {
    throw new FusionError(404, `The requested resource purchaseOrders with key ${id ?? ''} was not found.`);
  }
  return po;
}

function finderFilter(req: Request, user: User): Predicate {
  const finder = parseFinder(req);
  if (!finder) return visibleTo(user);
  if (finder.name === 'PrimaryKey') {
    const id = finder.vars.POHeaderId;
    if (!id || !/^\d+$/.test(id))
      throw new FusionError(400, 'The finder PrimaryKey needs an integer POHeaderId.');
    const visible = visibleTo(user);
    return (r) => visible(r) && r.POHeaderId === Number(id);
  }
  if (finder.name === 'findByIntent') return visibleTo(user, finder.vars.Intent);
  throw new FusionError(
    400,
    `The finder ${finder.name} is not defined for purchaseOrders. Use PrimaryKey or findByIntent.`,
  );
}

const ACTIONS = new Set([
  'cancel',
  'close',
  'communicate',
  'communicateOnePurchaseOrder',
  'renumberPO',
  'submit',
  'acknowledge',
  'viewPDF',
  'viewMasterContract',
  'freeze',
  'unfreeze',
]);

function runAction(
  state: FusionState,
  po: PurchaseOrder,
  action: string,
  params: Record<string, unknown>,
  user: User,
): unknown {
  const status = String(po.header.StatusCode);
  const now = state.nowIso();
  const refuse = (why: string) =>
    new FusionError(
      400,
      `The action ${action} can't be performed on purchase order ${String(po.header.OrderNumber)}: ${why}`,
    );
  switch (action) {
    case 'cancel':
      if (!['OPEN', 'ON HOLD'].includes(status)) throw refuse(`its status is ${String(po.header.Status)}.`);
      setPoStatus(po, 'CANCELED', now, user.username);
      break;
    case 'close': {
      const raw = params.closeAction ?? params.action;
      const closeAction = (typeof raw === 'string' ? raw : 'CLOSE').toUpperCase();
      const target = closeAction.includes('FINAL')
        ? 'FINALLY CLOSED'
        : closeAction.includes('RECEIV')
          ? 'CLOSED FOR RECEIVING'
          : closeAction.includes('INVOIC')
            ? 'CLOSED FOR INVOICING'
            : 'CLOSED';
      if (!APPROVED.has(status) || status === 'FINALLY CLOSED')
        throw refuse(`its status is ${String(po.header.Status)}.`);
      setPoStatus(po, target, now, user.username);
      break;
    }
    case 'freeze':
    case 'unfreeze':
      if (!APPROVED.has(status)) throw refuse(`its status is ${String(po.header.Status)}.`);
      po.header.FrozenFlag = action === 'freeze';
      touch(po, now, user.username);
      break;
    case 'submit':
      if (!['INCOMPLETE', 'PENDING APPROVAL', 'REJECTED'].includes(status))
        throw refuse('only documents awaiting approval can be submitted.');
      po.approveAtMs =
        params.bypassApprovalsFlag === true ? state.clock.nowMs() : (po.approveAtMs ?? state.clock.nowMs());
      setPoStatus(po, 'PENDING APPROVAL', now, user.username);
      processDueApprovals(state);
      break;
    case 'viewPDF':
    case 'viewMasterContract':
      return Buffer.from(
        `%PDF-1.4\n% sandbox purchase order ${String(po.header.OrderNumber)}\n%%EOF\n`,
      ).toString('base64');
    default:
      break;
  }
  state.recordWriteBack({
    kind: 'action',
    poHeaderId: po.header.POHeaderId as number,
    user: user.username,
    detail: { action, params },
  });
  return 'SUCCESS';
}

export function purchaseOrderRoutes(state: FusionState): Router {
  const router = express.Router();
  const types = purchaseOrderTypes(state.dff);
  const path = '/fscmRestApi/resources/:version/purchaseOrders{/*rest}';

  router.get(path, (req: Request, res: Response) => {
    const href = resourceHref(req, 'fscmRestApi', 'purchaseOrders');
    const segments = restSegments(req);
    if (segments.length === 1 && segments[0] === 'describe') {
      res
        .type('application/vnd.oracle.adf.description+json')
        .send(JSON.stringify(describeResource(types.po)));
      return;
    }
    const user = currentUser(res);
    if (segments.length === 0) {
      const rows = [...state.purchaseOrders.values()].map((po) => purchaseOrderNode(types, po));
      answerGet(req, res, resolvePath(types.po, rows, href, []), { filter: finderFilter(req, user) });
      return;
    }
    const po = visiblePurchaseOrder(state, user, segments[0]);
    answerGet(req, res, resolvePath(types.po, [purchaseOrderNode(types, po)], href, segments));
  });

  router.post(path, (req: Request, res: Response) => {
    resourceHref(req, 'fscmRestApi', 'purchaseOrders');
    const segments = restSegments(req);
    if (segments.length !== 3 || segments[1] !== 'action') {
      throw new FusionError(
        405,
        'POST is not supported on purchaseOrders; change a purchase order through draftPurchaseOrders.',
      );
    }
    const action = segments[2]!;
    if (!ACTIONS.has(action))
      throw new FusionError(404, `The action ${action} is not defined for purchaseOrders.`);
    const user = currentUser(res);
    const po = visiblePurchaseOrder(state, user, segments[0]);
    sendActionResult(res, runAction(state, po, action, actionParameters(req.body), user));
  });

  router.all(path, (req: Request) => {
    resourceHref(req, 'fscmRestApi', 'purchaseOrders');
    throw new FusionError(
      405,
      `${req.method} is not supported on purchaseOrders; change a purchase order through draftPurchaseOrders.`,
    );
  });
  return router;
}
