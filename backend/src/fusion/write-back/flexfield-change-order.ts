/**
 * Header DFF segments written through a change order (fusion.md §3.2): `purchaseOrders/…/DFF` is read-only,
 * so the DFF row of the draft is PATCHed (or POSTed when the draft has none yet) and the change order is
 * submitted. Errors: `conflict` when someone else's change order is pending (retry later); `hard` with
 * Fusion's message for frozen, closed or canceled POs.
 */
import type { JsonObject } from '../links.js';
import { selfHref } from '../links.js';
import { ITEM_JSON, type FusionRestClient } from '../rest-client.js';
import {
  firstChildRow,
  runChangeOrder,
  type ChangeOrderOptions,
  type ChangeOrderResult,
} from './change-order.js';

export interface FlexfieldChange {
  /** `__FLEX_Context`; required by Fusion when the segments belong to a context. */
  context?: string;
  /** Segment API name → value; null clears the segment. */
  segments: Record<string, string | number | null>;
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function buildDffPatch(change: FlexfieldChange): JsonObject {
  const body: JsonObject = {};
  if (change.context !== undefined) body.__FLEX_Context = change.context;
  for (const [name, value] of Object.entries(change.segments)) {
    if (!SEGMENT.test(name) || name.startsWith('__FLEX_'))
      throw new Error(`not a DFF segment API name: "${name}"`);
    body[name] = value;
  }
  if (Object.keys(change.segments).length === 0)
    throw new Error('a flexfield change needs at least one segment');
  return body;
}

export async function writeHeaderFlexfield(
  rest: FusionRestClient,
  poHeaderId: string,
  change: FlexfieldChange,
  options: ChangeOrderOptions = {},
): Promise<ChangeOrderResult> {
  const body = buildDffPatch(change);
  return runChangeOrder(
    rest,
    poHeaderId,
    {
      async apply(draft) {
        const { href, row } = await firstChildRow(rest, draft, 'DFF');
        const rowHref = row ? selfHref(row) : undefined;
        if (row && rowHref) {
          await rest.request({
            method: 'PATCH',
            path: rowHref,
            body,
            contentType: ITEM_JSON,
            operation: 'update header DFF',
          });
        } else {
          // A DFF row that does not exist yet is created on the collection (25D: POST on draft DFF).
          await rest.request({
            method: 'POST',
            path: href,
            body,
            contentType: ITEM_JSON,
            operation: 'create header DFF',
            idempotent: true,
          });
        }
      },
      async isApplied(draft) {
        const { row } = await firstChildRow(rest, draft, 'DFF');
        return !!row && Object.entries(body).every(([k, v]) => (row[k] ?? null) === v);
      },
    },
    { description: 'UPS shipment details', ...options },
  );
}
