/**
 * Reads of `purchaseOrders` (fusion.md §2, §5.2): the changed-PO poll and one PO with its lines,
 * schedules, distributions and header DFF. Items are found by querying the collection (`q=POHeaderId=…`),
 * never by building an item URL; truncated child collections are completed by following `child` links.
 */
import { paginate, q, type AdfPage, type AdfQuery } from './adf-query.js';
import { FusionError } from './errors.js';
import { asCollection, childHref, isObject, type JsonObject } from './links.js';
import { mapPoSummary, mapPurchaseOrder, num, str, type PoMapOptions } from './po-mapper.js';
import type { FusionRestClient } from './rest-client.js';
import type { FusionPoPage, FusionPurchaseOrder, ItemPhysicalAttributes } from './types.js';

/** The attributes the poll reads: enough to dedupe (POHeaderId + Revision) and to order by LastUpdateDate. */
export const POLL_FIELDS = ['POHeaderId', 'OrderNumber', 'Revision', 'StatusCode', 'LastUpdateDate'];
const EXPAND_PO = ['lines', 'lines.schedules', 'lines.schedules.distributions', 'DFF'];

export interface ChangedSinceOptions {
  since: Date;
  /** Look back this far before `since`, so rows committed late with an older LastUpdateDate are not missed. */
  overlapMs?: number;
  statusCode?: string;
  limit?: number;
  offset?: number;
  /**
   * Keyset paging: only rows after this (LastUpdateDate, POHeaderId). Unlike an offset, it does not skip a
   * row when a row already read changes or leaves the result while the listing goes on.
   */
  after?: { lastUpdateDate: Date; poHeaderId: string };
}

/** A numeric Fusion id, rendered as a number in `q` (a quoted value against an integer attribute is an HTTP 500). */
export function numericId(value: string, what: string): number {
  if (!/^\d{1,18}$/.test(value)) {
    throw new FusionError({
      kind: 'hard',
      operation: `look up ${what}`,
      fusionMessage: `${what} must be numeric, got "${value}"`,
    });
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new FusionError({
      kind: 'hard',
      operation: `look up ${what}`,
      fusionMessage: `${what} ${value} exceeds 2^53`,
    });
  }
  return n;
}

export function changedSinceQuery(options: ChangedSinceOptions): AdfQuery {
  const from = new Date(options.since.getTime() - (options.overlapMs ?? 0));
  const { after } = options;
  const afterCursor = after
    ? [
        q.or(
          q.gt('LastUpdateDate', after.lastUpdateDate),
          q.and(
            q.eq('LastUpdateDate', after.lastUpdateDate),
            q.gt('POHeaderId', numericId(after.poHeaderId, 'POHeaderId')),
          ),
        ),
      ]
    : [];
  return {
    q: q.and(q.gt('LastUpdateDate', from), q.eq('StatusCode', options.statusCode ?? 'OPEN'), ...afterCursor),
    fields: POLL_FIELDS,
    onlyData: true,
    orderBy: [{ attr: 'LastUpdateDate' }, { attr: 'POHeaderId' }],
    limit: options.limit ?? 100,
    offset: options.offset ?? 0,
  };
}

export function purchaseOrderQuery(poHeaderId: string): AdfQuery {
  return { q: q.eq('POHeaderId', numericId(poHeaderId, 'POHeaderId')), expand: EXPAND_PO };
}

export class PurchaseOrders {
  constructor(
    private readonly rest: FusionRestClient,
    private readonly mapOptions: PoMapOptions = {},
  ) {}

  /** One page of changed POs; an idle poll is this one small request. */
  async listChangedSince(options: ChangedSinceOptions): Promise<FusionPoPage> {
    const { body } = await this.rest.request({
      method: 'GET',
      path: 'purchaseOrders',
      query: changedSinceQuery(options),
      operation: 'poll purchaseOrders',
    });
    const page = asCollection(body);
    return { items: page.items.map(mapPoSummary), hasMore: page.hasMore, offset: page.offset };
  }

  /** All changed POs, page by page (stops at `maxPages`). */
  async *iterateChangedSince(
    options: ChangedSinceOptions & { maxPages?: number },
  ): AsyncGenerator<FusionPoPage> {
    for await (const page of paginate(
      (offset, limit) =>
        this.listChangedSince({ ...options, offset, limit }).then((p) => ({ ...p, count: p.items.length })),
      {
        limit: options.limit ?? 100,
        offset: options.offset,
        maxPages: options.maxPages,
        operation: 'poll purchaseOrders',
      },
    )) {
      yield { items: page.items, hasMore: page.hasMore, offset: page.offset };
    }
  }

  /** The raw item with every child collection complete (for callers that need attributes we do not map). */
  async getPurchaseOrderItem(poHeaderId: string): Promise<JsonObject> {
    const { body } = await this.rest.request({
      method: 'GET',
      path: 'purchaseOrders',
      query: purchaseOrderQuery(poHeaderId),
      operation: 'get purchase order',
    });
    const item = asCollection(body).items[0];
    if (!item) {
      throw new FusionError({
        kind: 'not-found',
        operation: 'get purchase order',
        httpStatus: 200,
        fusionMessage: `purchase order ${poHeaderId} not found, or not visible to this user (data security)`,
      });
    }
    return this.complete(item, 'lines', ['schedules', 'schedules.distributions'], async (line) =>
      this.complete(line, 'schedules', ['distributions'], async (schedule) =>
        this.complete(schedule, 'distributions', [], async (d) => d),
      ),
    );
  }

  async getPurchaseOrder(poHeaderId: string): Promise<FusionPurchaseOrder> {
    return mapPurchaseOrder(await this.getPurchaseOrderItem(poHeaderId), this.mapOptions);
  }

  /**
   * Weight and dimensions from the item master (`itemsV2`). One query by ItemId across organisations:
   * the row of the receiving organisation wins, else the one that has a weight (usually the master org,
   * from which child organisations inherit physical attributes).
   */
  async getItemPhysicalAttributes(
    itemId: string,
    organizationId?: string,
  ): Promise<ItemPhysicalAttributes | null> {
    const { body } = await this.rest.request({
      method: 'GET',
      path: 'itemsV2',
      query: {
        q: q.eq('ItemId', numericId(itemId, 'ItemId')),
        fields: [
          'ItemId',
          'OrganizationId',
          'ItemNumber',
          'UnitWeightQuantity',
          'WeightUOMValue',
          'UnitLengthQuantity',
          'UnitWidthQuantity',
          'UnitHeightQuantity',
          'DimensionUOMValue',
        ],
        onlyData: true,
        limit: 50,
      },
      operation: 'get item',
    });
    const rows = asCollection(body).items;
    const inOrg = organizationId ? rows.find((r) => str(r.OrganizationId) === organizationId) : undefined;
    const own = inOrg ? mapItemPhysicalAttributes(inOrg) : null;
    if (own?.unitWeight) return own;
    const weighed = rows.map(mapItemPhysicalAttributes).find((m) => m?.unitWeight);
    return weighed ?? own ?? (rows[0] ? mapItemPhysicalAttributes(rows[0]) : null);
  }

  /** Replaces a truncated (hasMore) child collection by all its rows, fetched through the child link. */
  private async complete(
    parent: JsonObject,
    accessor: string,
    nestedExpand: string[],
    completeChild: (row: JsonObject) => Promise<JsonObject>,
  ): Promise<JsonObject> {
    const current = asCollection(parent[accessor]);
    let rows = current.items;
    if (current.hasMore) {
      const href = childHref(parent, accessor);
      if (!href) {
        throw new FusionError({
          kind: 'hard',
          operation: `get ${accessor}`,
          fusionMessage: `${accessor} is truncated (hasMore) and the parent has no child link to page it`,
        });
      }
      rows = [];
      for await (const page of paginate<JsonObject>(
        async (offset, limit) => {
          const { body } = await this.rest.request({
            method: 'GET',
            path: href,
            query: { expand: nestedExpand.length ? nestedExpand : undefined, limit, offset },
            operation: `get ${accessor}`,
          });
          return asCollection(body);
        },
        { limit: 100, maxPages: 100, operation: `get ${accessor}` },
      )) {
        rows.push(...page.items);
      }
    }
    const completed: JsonObject[] = [];
    for (const row of rows) completed.push(await completeChild(row));
    const page: AdfPage<JsonObject> = {
      items: completed,
      count: completed.length,
      hasMore: false,
      offset: 0,
    };
    return { ...parent, [accessor]: page };
  }
}

export function mapItemPhysicalAttributes(row: JsonObject): ItemPhysicalAttributes | null {
  const itemId = str(row.ItemId);
  if (!itemId || !isObject(row)) return null;
  const weight = num(row.UnitWeightQuantity);
  const weightUom = str(row.WeightUOMValue);
  const [l, w, h] = [num(row.UnitLengthQuantity), num(row.UnitWidthQuantity), num(row.UnitHeightQuantity)];
  const dimUom = str(row.DimensionUOMValue);
  return {
    itemId,
    itemNumber: str(row.ItemNumber),
    unitWeight:
      weight !== undefined && weight > 0 && weightUom ? { value: weight, uom: weightUom } : undefined,
    dimensions:
      l !== undefined && w !== undefined && h !== undefined && l > 0 && w > 0 && h > 0 && dimUom
        ? { length: l, width: w, height: h, uom: dimUom }
        : undefined,
  };
}
