/**
 * `draftPurchaseOrders`: the only way to change a PO (fusion.md §3.2). A PATCH on an open PO creates an
 * incomplete change order; DFF and attachments are edited in it; `action/submit` sends it to approval,
 * after which the PO's Revision increments and its LastUpdateDate moves. Never-approved drafts are edited
 * in place. A pending change order blocks a second one; frozen, closed, canceled and on-hold POs refuse.
 */
import express, { type Request, type Response, type Router } from 'express';
import { renderContext, renderItem, buildShape } from './adf-query.js';
import {
  actionParameters,
  answerGet,
  checkPreconditions,
  resolvePath,
  resourceHref,
  restSegments,
  sendActionResult,
  sendItem,
} from './adf-resources.js';
import { touch, applyHeaderChanges } from './approvals.js';
import { changeOrderFor, DRAFT_STATUSES, draftView, isDraft, runDraftAction } from './change-orders.js';
import { currentUser } from './auth.js';
import { attachmentFromBody, validateAttachmentPatch } from './draft-attachments.js';
import { FusionError } from './errors.js';
import {
  purchaseOrderNode,
  purchaseOrderTypes,
  visiblePurchaseOrder,
  visibleTo,
  attachmentNode,
} from './purchase-orders.js';
import { DRAFT_PO_SCHEMA, PATCHABLE_ON_DRAFT_ONLY, PATCHABLE_ON_OPEN_PO } from './schemas.js';
import type { FusionState, PurchaseOrder, User } from './state.js';
import { validateDffPatch, validateHeaderPatch } from './draft-validation.js';

const DRAFT_ACTIONS = [
  'submit',
  'deleteChangeOrder',
  'cancelChangeOrder',
  'withdraw',
  'validate',
  'calculateTaxAndAccounting',
];

function requireJson(req: Request): void {
  if (!req.is(['application/json', 'application/*+json'])) {
    throw new FusionError(
      415,
      `Content-Type ${req.get('content-type') ?? '(none)'} is not supported; use application/vnd.oracle.adf.resourceitem+json.`,
    );
  }
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new FusionError(400, 'The request body must be a JSON object.');
  }
}

export function draftPurchaseOrderRoutes(state: FusionState): Router {
  const router = express.Router();
  const types = purchaseOrderTypes(state.dff, 'draftPurchaseOrders', DRAFT_PO_SCHEMA, DRAFT_ACTIONS);
  const path = '/fscmRestApi/resources/:version/draftPurchaseOrders{/*rest}';
  const node = (po: PurchaseOrder) => {
    const v = draftView(po);
    return purchaseOrderNode(types, po, v.header, v.dff, v.attachments);
  };
  const draftOrChange = (po: PurchaseOrder) => isDraft(po) || po.changeOrder !== null;
  const lookup = (res: Response, id: string | undefined, forWrite: boolean): PurchaseOrder => {
    const po = visiblePurchaseOrder(state, currentUser(res), id);
    if (!forWrite && !draftOrChange(po))
      throw new FusionError(
        404,
        `The requested resource draftPurchaseOrders with key ${id ?? ''} was not found.`,
      );
    return po;
  };
  const renderDraft = (req: Request, res: Response, po: PurchaseOrder, href: string, status = 200) => {
    res.set('ETag', node(po).changeIndicator);
    sendItem(
      res,
      renderItem(
        node(po),
        `${href}/${String(po.header.POHeaderId)}`,
        buildShape(req, types.po),
        renderContext(req),
      ),
      status,
    );
  };

  router.get(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'draftPurchaseOrders');
    const segments = restSegments(req);
    if (segments.length === 0) {
      const rows = [...state.purchaseOrders.values()].filter(draftOrChange).map(node);
      answerGet(req, res, resolvePath(types.po, rows, href, []), { filter: visibleTo(currentUser(res)) });
      return;
    }
    const po = lookup(res, segments[0], false);
    answerGet(req, res, resolvePath(types.po, [node(po)], href, segments));
  });

  router.patch(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'draftPurchaseOrders');
    const segments = restSegments(req);
    const user = currentUser(res);
    requireJson(req);
    const body = req.body as Record<string, unknown>;
    const po = lookup(res, segments[0], true);
    checkPreconditions(req, res, node(po).changeIndicator);
    if (segments.length === 1) {
      const draftOnly = DRAFT_STATUSES.has(String(po.header.StatusCode));
      const { header, dff } = validateHeaderPatch(
        state,
        body,
        draftOnly ? new Set([...PATCHABLE_ON_OPEN_PO, ...PATCHABLE_ON_DRAFT_ONLY]) : PATCHABLE_ON_OPEN_PO,
      );
      const description =
        typeof body.ChangeOrderDescription === 'string' ? body.ChangeOrderDescription : null;
      const co = changeOrderFor(state, po, user, description);
      if (co) {
        Object.assign(co.headerChanges, header);
        Object.assign(co.dffChanges, dff);
      } else {
        applyHeaderChanges(state, po, header);
        Object.assign(po.dff, dff);
        touch(po, state.nowIso(), user.username);
      }
      po.version += co ? 1 : 0;
      state.recordWriteBack({
        kind: 'change-order',
        poHeaderId: po.header.POHeaderId as number,
        user: user.username,
        detail: { changeOrderId: co?.changeOrderId ?? null, header, dff, description },
      });
      return renderDraft(req, res, po, href);
    }
    if (segments.length === 4 && segments[1] === 'child' && segments[2] === 'DFF') {
      if (segments[3] !== String(po.header.POHeaderId))
        throw new FusionError(404, `DFF row ${segments[3]} was not found.`);
      return patchDff(req, res, po, user, body, href, 200);
    }
    if (segments.length === 4 && segments[1] === 'child' && segments[2] === 'attachments') {
      const co = changeOrderFor(state, po, user, null);
      const list = co ? co.attachments : po.attachments;
      const att = list.find((a) => a.uniqId === segments[3]);
      if (!att)
        throw new FusionError(
          404,
          `Attachment ${segments[3]} is not part of the current draft or change order.`,
        );
      Object.assign(att.row, validateAttachmentPatch(body), {
        LastUpdateDate: state.nowIso(),
        LastUpdatedBy: user.username,
      });
      state.recordWriteBack({
        kind: 'attachment',
        poHeaderId: po.header.POHeaderId as number,
        user: user.username,
        detail: { op: 'update', ...att.row },
      });
      return sendItem(
        res,
        renderItem(
          attachmentNode(att, types.po.children.attachments!),
          `${href}/${segments.join('/')}`,
          buildShape(req, types.po.children.attachments!),
          renderContext(req),
        ),
      );
    }
    throw new FusionError(405, `PATCH is not supported on this draftPurchaseOrders path.`);
  });

  const patchDff = (
    req: Request,
    res: Response,
    po: PurchaseOrder,
    user: User,
    body: Record<string, unknown>,
    href: string,
    status: number,
  ) => {
    const dff = validateDffPatch(state, body);
    const co = changeOrderFor(state, po, user, null);
    if (co) {
      Object.assign(co.dffChanges, dff);
      po.version += 1;
    } else {
      Object.assign(po.dff, dff);
      touch(po, state.nowIso(), user.username);
    }
    state.recordWriteBack({
      kind: 'dff',
      poHeaderId: po.header.POHeaderId as number,
      user: user.username,
      detail: { changeOrderId: co?.changeOrderId ?? null, ...dff },
    });
    const id = String(po.header.POHeaderId);
    const dffNode = node(po).children('DFF')[0]!;
    const dffHref = `${href}/${id}/child/DFF/${id}`;
    if (status === 201) res.set('Location', dffHref);
    sendItem(
      res,
      renderItem(dffNode, dffHref, buildShape(req, types.po.children.DFF!), renderContext(req)),
      status,
    );
  };

  router.post(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'draftPurchaseOrders');
    const segments = restSegments(req);
    const user = currentUser(res);
    if (segments.length === 0)
      throw new FusionError(405, 'Creating new draft purchase orders is not simulated by the sandbox.');
    const po = lookup(res, segments[0], true);
    if (segments.length === 3 && segments[1] === 'action') {
      const params = actionParameters(req.body);
      runDraftAction(state, po, user, segments[2]!, params);
      if (segments[2] !== 'submit') {
        state.recordWriteBack({
          kind: 'action',
          poHeaderId: po.header.POHeaderId as number,
          user: user.username,
          detail: { action: segments[2], params },
        });
      }
      return sendActionResult(res, 'SUCCESS');
    }
    requireJson(req);
    const body = req.body as Record<string, unknown>;
    if (segments.length === 3 && segments[1] === 'child' && segments[2] === 'DFF')
      return patchDff(req, res, po, user, body, href, 201);
    if (segments.length === 3 && segments[1] === 'child' && segments[2] === 'attachments') {
      const co = changeOrderFor(state, po, user, null);
      const att = attachmentFromBody(state, body, user.username);
      if (co) {
        co.attachments.push(att);
        po.version += 1;
      } else {
        po.attachments.push(att);
        touch(po, state.nowIso(), user.username);
      }
      state.recordWriteBack({
        kind: 'attachment',
        poHeaderId: po.header.POHeaderId as number,
        user: user.username,
        detail: {
          op: 'create',
          changeOrderId: co?.changeOrderId ?? null,
          ...att.row,
          FileContents: att.fileContents,
        },
      });
      const attHref = `${href}/${segments[0]!}/child/attachments/${att.uniqId}`;
      res.set('Location', attHref);
      return sendItem(
        res,
        renderItem(
          attachmentNode(att, types.po.children.attachments!),
          attHref,
          buildShape(req, types.po.children.attachments!),
          renderContext(req),
        ),
        201,
      );
    }
    throw new FusionError(405, 'POST is not supported on this draftPurchaseOrders path.');
  });

  router.delete(path, (req, res) => {
    resourceHref(req, 'fscmRestApi', 'draftPurchaseOrders');
    const segments = restSegments(req);
    const user = currentUser(res);
    const po = lookup(res, segments[0], true);
    if (segments.length === 4 && segments[1] === 'child' && segments[2] === 'attachments') {
      const co = changeOrderFor(state, po, user, null);
      const list = co ? co.attachments : po.attachments;
      const index = list.findIndex((a) => a.uniqId === segments[3]);
      if (index < 0)
        throw new FusionError(
          404,
          `Attachment ${segments[3]} is not part of the current draft or change order.`,
        );
      list.splice(index, 1);
      state.recordWriteBack({
        kind: 'attachment',
        poHeaderId: po.header.POHeaderId as number,
        user: user.username,
        detail: { op: 'delete', uniqId: segments[3] },
      });
      return res.status(204).end();
    }
    throw new FusionError(
      405,
      'DELETE is not supported on this draftPurchaseOrders path; use the deleteChangeOrder action.',
    );
  });

  router.all(path, (req) => {
    throw new FusionError(405, `${req.method} is not supported on draftPurchaseOrders.`);
  });
  return router;
}
