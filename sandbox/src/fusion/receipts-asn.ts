/**
 * `receivingReceiptRequests` (fusion.md §4): advance shipment notices against PO schedules. A request is
 * validated on POST (400 for a malformed body), then processed at once: it ends SUCCESS, creating the
 * shipment lines that `purchaseOrderLifeCycleDetails/{id}/child/shipments` shows, or ERROR with rows in
 * `processingErrors`, and stays on the resource either way (to be corrected with PATCH or deleted).
 */
import express, { type Request, type Response, type Router } from 'express';
import { buildShape, renderContext, renderItem, type AdfNode, type ResourceType } from './adf-query.js';
import { answerGet, resolvePath, resourceHref, restSegments, sendItem } from './adf-resources.js';
import { currentUser } from './auth.js';
import { FusionError } from './errors.js';
import { visibleTo } from './purchase-orders.js';
import { parseFusionDate } from './q-filter.js';
import { type Row, type Scalar } from './schemas.js';
import {
  RECEIPT_ERROR_SCHEMA,
  RECEIPT_REQUEST_LINE_SCHEMA,
  RECEIPT_REQUEST_SCHEMA,
} from './receiving-schemas.js';
import { fusionDateTime, type FusionState, type ReceiptRequest, type User } from './state.js';
import { processReceiptRequest } from './receipt-processing.js';

export const receiptTypes = (() => {
  const line: ResourceType = { name: 'lines', schema: RECEIPT_REQUEST_LINE_SCHEMA, children: {} };
  const errors: ResourceType = { name: 'processingErrors', schema: RECEIPT_ERROR_SCHEMA, children: {} };
  const header: ResourceType = {
    name: 'receivingReceiptRequests',
    schema: RECEIPT_REQUEST_SCHEMA,
    children: { lines: line, processingErrors: errors },
  };
  return { header, line, errors };
})();

const SERVER_SET = new Set([
  'HeaderInterfaceId',
  'ReceiptHeaderId',
  'ProcessingStatusCode',
  'CreationDate',
  'CreatedBy',
  'LastUpdateDate',
  'LastUpdatedBy',
]);
const LINE_SERVER_SET = new Set([
  'InterfaceTransactionId',
  'HeaderInterfaceId',
  'ProcessingStatusCode',
  'CreationDate',
  'CreatedBy',
  'LastUpdateDate',
  'LastUpdatedBy',
]);
const PATCHABLE = new Set([
  'ExpectedReceiptDate',
  'ShippedDate',
  'WaybillAirbillNumber',
  'FreightCarrierName',
  'FreightCarrierId',
  'PackingSlip',
  'BillOfLading',
  'NumOfContainers',
  'Comments',
  'ShipmentNumber',
]);

function coerce(schema: Record<string, string>, attr: string, value: unknown, where: string): Scalar {
  const type = schema[attr];
  const bad = (what: string) =>
    new FusionError(
      400,
      `The value ${JSON.stringify(value)} of ${where}${attr} is not ${what}.`,
      'INVALID_VALUE',
      attr,
    );
  if (value === null) return null;
  switch (type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('an integer');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
      return value;
    case 'datetime':
    case 'date': {
      const ms = typeof value === 'string' ? parseFusionDate(value) : null;
      if (ms === null) throw bad('a date (yyyy-MM-dd or ISO-8601 date-time)');
      return type === 'date' ? fusionDateTime(ms).slice(0, 10) : fusionDateTime(ms);
    }
    default:
      if (typeof value !== 'string') throw bad('a string');
      return value;
  }
}

function parseHeader(body: Record<string, unknown>, allowed: (attr: string) => boolean): Row {
  const out: Row = {};
  for (const [attr, value] of Object.entries(body)) {
    if (attr === 'lines' || attr === 'ASNPackingUnits' || attr === 'attachments') continue;
    if (!(attr in RECEIPT_REQUEST_SCHEMA))
      throw new FusionError(
        400,
        `The attribute ${attr} is not valid for receivingReceiptRequests.`,
        'INVALID_ATTRIBUTE',
        attr,
      );
    if (!allowed(attr))
      throw new FusionError(
        400,
        `The attribute ${attr} can't be set by the client.`,
        'READ_ONLY_ATTRIBUTE',
        attr,
      );
    out[attr] = coerce(RECEIPT_REQUEST_SCHEMA, attr, value, '');
  }
  return out;
}

function parseLines(body: Record<string, unknown>): Row[] {
  const lines = body.lines;
  if (!Array.isArray(lines) || lines.length === 0)
    throw new FusionError(
      400,
      'A receipt request needs at least one line in lines.',
      'MISSING_VALUE',
      'lines',
    );
  return lines.map((raw, i) => {
    if (raw === null || typeof raw !== 'object') throw new FusionError(400, `lines[${i}] must be an object.`);
    const out: Row = {};
    for (const [attr, value] of Object.entries(raw as Record<string, unknown>)) {
      if (attr === 'ReceiptSourceCode' || attr === 'ASNPackingUnits') continue;
      if (!(attr in RECEIPT_REQUEST_LINE_SCHEMA) || LINE_SERVER_SET.has(attr)) {
        throw new FusionError(
          400,
          `The attribute ${attr} of lines[${i}] is not valid.`,
          'INVALID_ATTRIBUTE',
          `lines/${i}/${attr}`,
        );
      }
      out[attr] = coerce(RECEIPT_REQUEST_LINE_SCHEMA, attr, value, `lines[${i}].`);
    }
    if (out.TransactionType !== 'SHIP' && out.TransactionType !== 'RECEIVE') {
      throw new FusionError(
        400,
        `lines[${i}].TransactionType must be SHIP (ASN) or RECEIVE.`,
        'INVALID_VALUE',
        `lines/${i}/TransactionType`,
      );
    }
    if (typeof out.Quantity !== 'number' || out.Quantity <= 0) {
      throw new FusionError(
        400,
        `lines[${i}].Quantity must be a positive number.`,
        'INVALID_VALUE',
        `lines/${i}/Quantity`,
      );
    }
    if ((out.SourceDocumentCode ?? 'PO') !== 'PO')
      throw new FusionError(
        400,
        `lines[${i}].SourceDocumentCode must be PO.`,
        'INVALID_VALUE',
        `lines/${i}/SourceDocumentCode`,
      );
    out.SourceDocumentCode = 'PO';
    if (out.DocumentNumber === undefined && out.POHeaderId === undefined) {
      throw new FusionError(
        400,
        `lines[${i}] needs DocumentNumber (the PO number) or POHeaderId.`,
        'MISSING_VALUE',
        `lines/${i}/DocumentNumber`,
      );
    }
    return out;
  });
}

function requestNode(req: ReceiptRequest): AdfNode {
  return {
    type: receiptTypes.header,
    key: String(req.header.HeaderInterfaceId),
    attrs: req.header,
    children: (acc) =>
      acc === 'lines'
        ? req.lines.map((l) => ({
            type: receiptTypes.line,
            key: String(l.InterfaceTransactionId),
            attrs: l,
            children: () => [],
          }))
        : req.errors.map((e) => ({
            type: receiptTypes.errors,
            key: String(e.InterfaceErrorId),
            attrs: e,
            children: () => [],
          })),
  };
}

/** Data security for receipt requests: the user must see every PO the request names. */
function visibleRequest(state: FusionState, user: User, r: ReceiptRequest): boolean {
  const canSee = visibleTo(user);
  return (
    r.createdBy === user.username ||
    r.lines.every((l) => {
      const po =
        typeof l.POHeaderId === 'number'
          ? state.purchaseOrders.get(l.POHeaderId)
          : state.findPoByNumber(String(l.DocumentNumber));
      return po !== undefined && canSee(po.header);
    })
  );
}

export function receiptRequestRoutes(state: FusionState): Router {
  const router = express.Router();
  const path = '/fscmRestApi/resources/:version/receivingReceiptRequests{/*rest}';
  const find = (res: Response, id: string | undefined): ReceiptRequest => {
    const r = state.receiptRequests.get(Number(id));
    if (!r || !visibleRequest(state, currentUser(res), r))
      throw new FusionError(
        404,
        `The requested resource receivingReceiptRequests with key ${id ?? ''} was not found.`,
      );
    return r;
  };
  const respond = (req: Request, res: Response, r: ReceiptRequest, href: string, status: number) => {
    const shape = buildShape(req, receiptTypes.header);
    if (shape.children.size === 0 && (req.query.fields === undefined || req.method === 'POST'))
      shape.children.set('lines', { attrs: null, children: new Map() });
    sendItem(
      res,
      renderItem(requestNode(r), `${href}/${String(r.header.HeaderInterfaceId)}`, shape, renderContext(req)),
      status,
    );
  };

  router.get(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'receivingReceiptRequests');
    const segments = restSegments(req);
    const user = currentUser(res);
    const rows =
      segments.length === 0
        ? [...state.receiptRequests.values()].filter((r) => visibleRequest(state, user, r)).map(requestNode)
        : [requestNode(find(res, segments[0]))];
    answerGet(req, res, resolvePath(receiptTypes.header, rows, href, segments));
  });

  router.post(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'receivingReceiptRequests');
    if (restSegments(req).length > 0)
      throw new FusionError(405, 'POST is only supported on the receivingReceiptRequests collection.');
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new FusionError(400, 'The request body must be a JSON object.');
    const header = parseHeader(body, (a) => !SERVER_SET.has(a));
    const lines = parseLines(body);
    header.ASNType = header.ASNType ?? 'STD';
    if (!['ASN', 'ASBN', 'STD'].includes(String(header.ASNType)))
      throw new FusionError(
        400,
        `ASNType ${String(header.ASNType)} is not valid; use ASN, ASBN or STD.`,
        'INVALID_VALUE',
        'ASNType',
      );
    if (header.ASNType !== 'STD' && !header.ShippedDate)
      throw new FusionError(400, 'An ASN needs ShippedDate.', 'MISSING_VALUE', 'ShippedDate');
    const user = currentUser(res);
    const now = state.nowIso();
    const id = state.nextId();
    const full: Row = Object.fromEntries(Object.keys(RECEIPT_REQUEST_SCHEMA).map((k) => [k, null]));
    Object.assign(full, header, {
      HeaderInterfaceId: id,
      ProcessingStatusCode: 'PENDING',
      CreationDate: now,
      CreatedBy: user.username,
      LastUpdateDate: now,
      LastUpdatedBy: user.username,
    });
    const r: ReceiptRequest = {
      header: full,
      lines: lines.map((l) => {
        const row: Row = Object.fromEntries(Object.keys(RECEIPT_REQUEST_LINE_SCHEMA).map((k) => [k, null]));
        return Object.assign(row, l, {
          InterfaceTransactionId: state.nextId(),
          HeaderInterfaceId: id,
          ProcessingStatusCode: 'PENDING',
          CreationDate: now,
          CreatedBy: user.username,
          LastUpdateDate: now,
          LastUpdatedBy: user.username,
        });
      }),
      errors: [],
      createdBy: user.username,
    };
    state.receiptRequests.set(id, r);
    processReceiptRequest(state, r, user);
    state.recordWriteBack({
      kind: 'asn',
      poHeaderId: (r.lines[0]?.POHeaderId as number | null) ?? null,
      user: user.username,
      detail: { ...r.header, lines: r.lines, errors: r.errors },
    });
    res.set('Location', `${href}/${id}`);
    respond(req, res, r, href, 201);
  });

  router.patch(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'receivingReceiptRequests');
    const segments = restSegments(req);
    if (segments.length !== 1)
      throw new FusionError(405, 'PATCH is only supported on a receivingReceiptRequests item.');
    const r = find(res, segments[0]);
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new FusionError(400, 'The request body must be a JSON object.');
    if ('lines' in body)
      throw new FusionError(
        400,
        'Change lines through their own child resource.',
        'READ_ONLY_ATTRIBUTE',
        'lines',
      );
    const changes = parseHeader(body, (a) => PATCHABLE.has(a));
    const user = currentUser(res);
    Object.assign(r.header, changes, { LastUpdateDate: state.nowIso(), LastUpdatedBy: user.username });
    if (r.header.ProcessingStatusCode === 'ERROR') processReceiptRequest(state, r, user);
    else syncShipments(state, r);
    state.recordWriteBack({
      kind: 'asn-update',
      poHeaderId: (r.lines[0]?.POHeaderId as number | null) ?? null,
      user: user.username,
      detail: { HeaderInterfaceId: r.header.HeaderInterfaceId, ...changes },
    });
    respond(req, res, r, href, 200);
  });

  router.delete(path, (req, res) => {
    resourceHref(req, 'fscmRestApi', 'receivingReceiptRequests');
    const segments = restSegments(req);
    if (segments.length !== 1)
      throw new FusionError(405, 'DELETE is only supported on a receivingReceiptRequests item.');
    const r = find(res, segments[0]);
    state.receiptRequests.delete(r.header.HeaderInterfaceId as number);
    state.lifecycleShipments = state.lifecycleShipments.filter(
      (s) => s.headerInterfaceId !== r.header.HeaderInterfaceId,
    );
    state.recordWriteBack({
      kind: 'asn-delete',
      poHeaderId: (r.lines[0]?.POHeaderId as number | null) ?? null,
      user: currentUser(res).username,
      detail: { HeaderInterfaceId: r.header.HeaderInterfaceId },
    });
    res.status(204).end();
  });

  router.all(path, (req) => {
    throw new FusionError(405, `${req.method} is not supported on receivingReceiptRequests.`);
  });
  return router;
}

/** Header edits (expected receipt date, waybill…) show up on the PO lifecycle shipments. */
export function syncShipments(state: FusionState, r: ReceiptRequest): void {
  for (const s of state.lifecycleShipments) {
    if (s.headerInterfaceId !== r.header.HeaderInterfaceId) continue;
    s.row.Shipment = r.header.ShipmentNumber;
    s.row.Carrier = r.header.FreightCarrierName;
    s.row.Tracking = r.header.WaybillAirbillNumber;
    s.row.ShippedDate = r.header.ShippedDate;
    s.row.ExpectedReceiptDate = r.header.ExpectedReceiptDate;
    s.row.PackingSlip = r.header.PackingSlip;
    s.row.BillOfLading = r.header.BillOfLading;
  }
}
