/**
 * The `draftPurchaseOrders` change-order flow (fusion.md §3.2), the only way to change an open PO:
 *   PATCH /draftPurchaseOrders/{POHeaderId} {"ChangeOrderDescription": …}   → an incomplete change order
 *   … changes on the draft's children, reached through its links (DFF, attachments) …
 *   POST  <draft self>/action/submit                                         → approval (or bypass)
 *
 * Our change orders carry a marker in their description. When Fusion refuses the PATCH because a change
 * order is pending and that change order is ours (a crash between PATCH and submit), it is reused instead
 * of reported; anyone else's pending change order is a `conflict` the caller retries later. A hard failure
 * after the change order was opened deletes it again, so we never leave a PO blocked.
 */
import { q } from '../adf-query.js';
import { FusionError, isFusionError } from '../errors.js';
import { asCollection, findLink, selfHref, type JsonObject } from '../links.js';
import { str } from '../po-mapper.js';
import { numericId } from '../purchase-orders.js';
import { ACTION_JSON, ITEM_JSON, type FusionRestClient } from '../rest-client.js';

export const CHANGE_ORDER_MARKER = '[fusion-ups-connector]';

export interface ChangeOrderOptions {
  /** Shown to buyers and approvers; the marker is appended. */
  description?: string;
  /** Sent as `bypassApprovalsFlag` on submit; whether the user may bypass is the customer's setup. */
  bypassApprovals?: boolean;
}

export interface ChangeOrderResult {
  draftHref: string;
  /** True when an incomplete change order of ours was found and finished instead of opening a new one. */
  reusedDraft: boolean;
  /** What submit answered (`result`), e.g. "Success". */
  submitResult?: string;
}

export function buildChangeOrderPatch(options: ChangeOrderOptions = {}): { ChangeOrderDescription: string } {
  const text = (options.description ?? 'UPS shipment update').trim();
  const description = text.includes(CHANGE_ORDER_MARKER) ? text : `${text} ${CHANGE_ORDER_MARKER}`;
  // ChangeOrderDescription is VARCHAR2(240) in Fusion.
  return { ChangeOrderDescription: description.length > 240 ? description.slice(-240) : description };
}

export function buildSubmitBody(options: ChangeOrderOptions = {}): Record<string, unknown> {
  return options.bypassApprovals === undefined ? {} : { bypassApprovalsFlag: options.bypassApprovals };
}

const INCOMPLETE = /^(INCOMPLETE|DRAFT)$/i;
const PENDING_APPROVAL = /^PENDING APPROVAL$/i;

export interface DraftChange {
  /** Makes the change on the opened draft (through its child links). */
  apply(draft: JsonObject): Promise<void>;
  /**
   * Whether a draft already carries this change. Used when our own change order is already submitted
   * (its answer was lost): then the write is done and must not become a second change order.
   */
  isApplied(draft: JsonObject): Promise<boolean>;
}

/** Opens (or reuses our own) change order, applies the change to the draft, and submits it. */
export async function runChangeOrder(
  rest: FusionRestClient,
  poHeaderId: string,
  change: DraftChange,
  options: ChangeOrderOptions = {},
): Promise<ChangeOrderResult> {
  const id = numericId(poHeaderId, 'POHeaderId');
  let draft: JsonObject;
  let reusedDraft = false;
  try {
    const { body } = await rest.request<JsonObject>({
      method: 'PATCH',
      // Oracle's documented change-order example addresses the draft by POHeaderId (fusion.md §2.5, S18).
      path: `draftPurchaseOrders/${id}`,
      body: buildChangeOrderPatch(options),
      contentType: ITEM_JSON,
      operation: 'open change order',
    });
    draft = body;
  } catch (e) {
    if (!isFusionError(e, 'conflict')) throw e;
    const ours = await findOwnDraft(rest, id);
    if (!ours) throw e;
    if (PENDING_APPROVAL.test(changeOrderStatus(ours))) {
      if (await change.isApplied(ours)) {
        return {
          draftHref: selfHref(ours) ?? rest.url(`draftPurchaseOrders/${id}`),
          reusedDraft: true,
          submitResult: 'PENDING APPROVAL',
        };
      }
      throw e;
    }
    draft = ours;
    reusedDraft = true;
  }

  const draftHref = selfHref(draft) ?? rest.url(`draftPurchaseOrders/${id}`);
  try {
    await change.apply(draft);
    const action = findLink(draft, 'action', 'submit')?.href ?? `${draftHref}/action/submit`;
    const { body } = await rest.request<unknown>({
      method: 'POST',
      path: action,
      body: buildSubmitBody(options),
      contentType: ACTION_JSON,
      operation: 'submit change order',
    });
    const result =
      typeof body === 'object' && body !== null ? (body as { result?: unknown }).result : undefined;
    return { draftHref, reusedDraft, submitResult: typeof result === 'string' ? result : undefined };
  } catch (e) {
    // Transient: leave the change order for the retry to reuse. Hard: remove it so the PO is not blocked.
    if (isFusionError(e) && (e.kind === 'hard' || e.kind === 'no-access')) {
      await deleteChangeOrder(rest, draft, draftHref).catch(() => undefined);
    }
    throw e;
  }
}

const changeOrderStatus = (d: JsonObject) => str(d.ChangeOrderStatusCode) ?? str(d.StatusCode) ?? '';

/** Our change order on the PO (marker in the description), incomplete or pending approval. */
async function findOwnDraft(rest: FusionRestClient, poHeaderId: number): Promise<JsonObject | null> {
  const { body } = await rest.request({
    method: 'GET',
    path: 'draftPurchaseOrders',
    query: {
      q: q.eq('POHeaderId', poHeaderId),
      fields: ['POHeaderId', 'OrderNumber', 'ChangeOrderDescription', 'ChangeOrderStatusCode', 'StatusCode'],
      limit: 5,
    },
    operation: 'find pending change order',
  });
  const row = asCollection(body).items.find(
    (d) =>
      typeof d.ChangeOrderDescription === 'string' &&
      d.ChangeOrderDescription.includes(CHANGE_ORDER_MARKER) &&
      (INCOMPLETE.test(changeOrderStatus(d)) || PENDING_APPROVAL.test(changeOrderStatus(d))),
  );
  return row ?? null;
}

async function deleteChangeOrder(
  rest: FusionRestClient,
  draft: JsonObject,
  draftHref: string,
): Promise<void> {
  const action =
    findLink(draft, 'action', 'deleteChangeOrder')?.href ?? `${draftHref}/action/deleteChangeOrder`;
  await rest.request({
    method: 'POST',
    path: action,
    body: {},
    contentType: ACTION_JSON,
    operation: 'delete change order',
    idempotent: true,
  });
}

/** The one row of a draft child collection (DFF), or null. Follows the draft's `child` link. */
export async function firstChildRow(
  rest: FusionRestClient,
  draft: JsonObject,
  accessor: string,
): Promise<{ href: string; row: JsonObject | null }> {
  const href = findLink(draft, 'child', accessor)?.href;
  if (!href) {
    throw new FusionError({
      kind: 'hard',
      operation: `get draft ${accessor}`,
      fusionMessage: `the change order has no "${accessor}" child link`,
    });
  }
  const { body } = await rest.request({ method: 'GET', path: href, operation: `get draft ${accessor}` });
  return { href, row: asCollection(body).items[0] ?? null };
}
