/**
 * `purchaseOrderLifeCycleDetails/{POHeaderId}` with children shipments, schedules, receipts, invoices
 * (fusion.md §4). Shipments come from successful ASNs. The collection itself is not supported, as in Fusion.
 */
import express, { type Router } from 'express';
import { type AdfNode, type ResourceType } from './adf-query.js';
import { answerGet, resolvePath, resourceHref, restSegments } from './adf-resources.js';
import { currentUser } from './auth.js';
import { FusionError } from './errors.js';
import { visiblePurchaseOrder } from './purchase-orders.js';
import { type Row } from './schemas.js';
import {
  LIFECYCLE_SCHEDULE_SCHEMA,
  LIFECYCLE_SCHEMA,
  LIFECYCLE_SHIPMENT_SCHEMA,
} from './receiving-schemas.js';
import type { FusionState } from './state.js';

const shipments: ResourceType = { name: 'shipments', schema: LIFECYCLE_SHIPMENT_SCHEMA, children: {} };
const schedules: ResourceType = { name: 'schedules', schema: LIFECYCLE_SCHEDULE_SCHEMA, children: {} };
const receipts: ResourceType = {
  name: 'receipts',
  schema: { ReceiptNumber: 'string', ReceiptDate: 'datetime', ReceivedQuantity: 'number' },
  children: {},
};
const invoices: ResourceType = {
  name: 'invoices',
  schema: { InvoiceNumber: 'string', InvoiceAmount: 'number' },
  children: {},
};
export const lifecycleType: ResourceType = {
  name: 'purchaseOrderLifeCycleDetails',
  schema: LIFECYCLE_SCHEMA,
  children: { shipments, schedules, receipts, invoices },
};

const leaf = (type: ResourceType, key: string, attrs: Row): AdfNode => ({
  type,
  key,
  attrs,
  children: () => [],
});

export function lifecycleRoutes(state: FusionState): Router {
  const router = express.Router();
  const path = '/fscmRestApi/resources/:version/purchaseOrderLifeCycleDetails{/*rest}';
  router.get(path, (req, res) => {
    const href = resourceHref(req, 'fscmRestApi', 'purchaseOrderLifeCycleDetails');
    const segments = restSegments(req);
    if (segments.length === 0)
      throw new FusionError(
        405,
        'Getting all purchaseOrderLifeCycleDetails is not supported; get one by POHeaderId.',
      );
    const po = visiblePurchaseOrder(state, currentUser(res), segments[0]);
    const id = po.header.POHeaderId as number;
    const node: AdfNode = {
      type: lifecycleType,
      key: String(id),
      attrs: {
        POHeaderId: id,
        OrderNumber: po.header.OrderNumber,
        Status: po.header.Status,
        StatusCode: po.header.StatusCode,
        Supplier: po.header.Supplier,
        Ordered: po.header.Ordered,
        CurrencyCode: po.header.CurrencyCode,
      },
      children: (acc) => {
        if (acc === 'shipments') {
          return state.lifecycleShipments
            .filter((s) => s.row.POHeaderId === id)
            .map((s) =>
              leaf(shipments, state.opaqueKey('lifecycle-shipment', s.interfaceTransactionId, s), s.row),
            );
        }
        if (acc === 'schedules') {
          return po.lines.flatMap((l) =>
            l.schedules.map((s) =>
              leaf(schedules, s.uniqId, {
                LineLocationId: s.row.LineLocationId,
                POLineId: l.row.POLineId,
                LineNumber: l.row.LineNumber,
                ScheduleNumber: s.row.ScheduleNumber,
                Item: l.row.Item,
                Description: l.row.Description,
                Quantity: s.row.Quantity,
                UOM: l.row.UOM,
                StatusCode: s.row.StatusCode,
                RequestedDeliveryDate: s.row.RequestedDeliveryDate,
              }),
            ),
          );
        }
        return [];
      },
    };
    answerGet(req, res, resolvePath(lifecycleType, [node], href, segments));
  });
  router.all(path, (req) => {
    throw new FusionError(405, `${req.method} is not supported on purchaseOrderLifeCycleDetails.`);
  });
  return router;
}
