/**
 * Attachments on an open PO (fusion.md §3.3): `purchaseOrders/…/attachments` is read-only, so the
 * attachment is POSTed on the change order's `attachments` child and the change order submitted.
 * Idempotent by title: the PO's attachments (and those of a reused draft) are checked first, so a retry
 * never adds a second copy.
 */
import { FusionError } from '../errors.js';
import { asCollection, findLink, type JsonObject } from '../links.js';
import { ITEM_JSON, type FusionRestClient } from '../rest-client.js';
import { runChangeOrder, type ChangeOrderOptions } from './change-order.js';

export type AttachmentSpec =
  | { kind: 'url'; title: string; url: string; description?: string; category?: string }
  | { kind: 'text'; title: string; text: string; description?: string; category?: string };

/** Fusion's attachment category for notes the supplier does not see. */
export const DEFAULT_CATEGORY = 'Miscellaneous';

export function buildAttachmentBody(spec: AttachmentSpec): JsonObject {
  const title = spec.title.trim();
  if (!title) throw new Error('an attachment needs a title');
  // Title is VARCHAR2(80) in FND attachments.
  const body: JsonObject = { Title: title.slice(0, 80), CategoryName: spec.category ?? DEFAULT_CATEGORY };
  if (spec.kind === 'url') {
    const url = new URL(spec.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(`attachment URL must be http(s): ${spec.url}`);
    body.DatatypeCode = 'WEB_PAGE';
    body.Url = url.toString();
  } else {
    body.DatatypeCode = 'TEXT';
    body.UploadedText = spec.text;
  }
  if (spec.description) body.Description = spec.description.slice(0, 255);
  return body;
}

export interface AttachmentResult {
  added: boolean;
  reusedDraft?: boolean;
}

/** Titles of the attachments in a collection href (GET, paged once with a generous limit). */
async function titlesAt(rest: FusionRestClient, href: string | undefined): Promise<Set<string>> {
  if (!href) return new Set();
  const { body } = await rest.request({
    method: 'GET',
    path: href,
    query: { fields: ['Title'], onlyData: true, limit: 500 },
    operation: 'list attachments',
  });
  return new Set(
    asCollection(body)
      .items.map((a) => (typeof a.Title === 'string' ? a.Title.trim() : ''))
      .filter((t) => t),
  );
}

/**
 * Adds the attachment unless one with the same title exists on the PO (found through `poAttachmentsHref`,
 * the `attachments` child link of the PO) or on our pending draft.
 */
export async function addAttachment(
  rest: FusionRestClient,
  poHeaderId: string,
  poAttachmentsHref: string | undefined,
  spec: AttachmentSpec,
  options: ChangeOrderOptions = {},
): Promise<AttachmentResult> {
  const body = buildAttachmentBody(spec);
  const title = body.Title as string;
  if ((await titlesAt(rest, poAttachmentsHref)).has(title)) return { added: false };
  let added = false;
  const draftAttachments = (draft: JsonObject) => {
    const href = findLink(draft, 'child', 'attachments')?.href;
    if (!href) {
      throw new FusionError({
        kind: 'hard',
        operation: 'add attachment',
        fusionMessage: 'the change order has no "attachments" child link',
      });
    }
    return href;
  };
  const result = await runChangeOrder(
    rest,
    poHeaderId,
    {
      async apply(draft) {
        const href = draftAttachments(draft);
        if ((await titlesAt(rest, href)).has(title)) return;
        await rest.request({
          method: 'POST',
          path: href,
          body,
          contentType: ITEM_JSON,
          operation: 'add attachment',
        });
        added = true;
      },
      isApplied: async (draft) => (await titlesAt(rest, draftAttachments(draft))).has(title),
    },
    { description: `UPS: ${title}`, ...options },
  );
  return { added, reusedDraft: result.reusedDraft };
}
