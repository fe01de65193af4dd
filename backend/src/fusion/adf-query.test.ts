import { describe, expect, it } from 'vitest';
import { buildQueryString, literal, paginate, q, type AdfPage } from './adf-query.js';
import { FusionError } from './errors.js';
import { changedSinceQuery, purchaseOrderQuery } from './purchase-orders.js';

describe('row-match literals', () => {
  it('quotes strings and doubles embedded quotes', () => {
    expect(literal("O'Brien & Sons")).toBe("'O''Brien & Sons'");
    expect(literal('')).toBe("''");
  });
  it('renders dates as ISO UTC with milliseconds and numbers bare', () => {
    expect(literal(new Date('2026-03-01T10:15:30+02:00'))).toBe("'2026-03-01T08:15:30.000Z'");
    expect(literal(300000012345678)).toBe('300000012345678');
  });
  it('refuses invalid dates, non-finite numbers and attribute names that smuggle operators', () => {
    expect(() => literal(new Date('nope'))).toThrow(/invalid Date/);
    expect(() => literal(Number.NaN)).toThrow(/non-finite/);
    expect(() => q.eq("StatusCode='OPEN' or 1", 'x')).toThrow(/not an ADF attribute name/);
    expect(() => q.in('StatusCode', [])).toThrow(/empty/);
  });
  it('parenthesises nested boolean groups', () => {
    const expr = q.and(
      q.or(q.eq('StatusCode', 'OPEN'), q.eq('StatusCode', 'CLOSED')),
      q.isNotNull('Carrier'),
    );
    expect(expr.text).toBe("(StatusCode = 'OPEN' or StatusCode = 'CLOSED') and Carrier IS NOT NULL");
  });
});

describe('query strings', () => {
  it('the poll: LastUpdateDate after since minus overlap, OPEN, ordered, restricted fields, one page', () => {
    const qs = buildQueryString(
      changedSinceQuery({ since: new Date('2026-11-28T12:00:00Z'), overlapMs: 120_000, limit: 50 }),
    );
    expect(qs).toMatchInlineSnapshot(
      `"q=LastUpdateDate%20%3E%20'2026-11-28T11:58:00.000Z'%20and%20StatusCode%20=%20'OPEN'&fields=POHeaderId,OrderNumber,Revision,StatusCode,LastUpdateDate&onlyData=true&orderBy=LastUpdateDate:asc,POHeaderId:asc&limit=50&offset=0"`,
    );
    // What the server decodes:
    expect(new URLSearchParams(qs).get('q')).toBe(
      "LastUpdateDate > '2026-11-28T11:58:00.000Z' and StatusCode = 'OPEN'",
    );
  });

  it('one PO with its children expanded, by numeric POHeaderId', () => {
    expect(buildQueryString(purchaseOrderQuery('300000047110815'))).toMatchInlineSnapshot(
      `"q=POHeaderId%20=%20300000047110815&expand=lines,lines.schedules,lines.schedules.distributions,DFF"`,
    );
    expect(() => purchaseOrderQuery('1 or POHeaderId > 0')).toThrow(FusionError);
  });

  it('every parameter, in a fixed order, with values encoded', () => {
    expect(
      buildQueryString({
        q: q.and(q.like('OrderNumber', 'US%'), q.in('StatusCode', ['OPEN', 'CLOSED FOR RECEIVING'])),
        finder: { name: 'findByIntent', params: { Intent: 'POUser' } },
        fields: ['POHeaderId', 'OrderNumber'],
        childFields: { lines: ['POLineId', 'Quantity'] },
        expand: ['lines'],
        onlyData: false,
        orderBy: [{ attr: 'LastUpdateDate', desc: true }],
        limit: 500,
        offset: 1000,
        totalResults: true,
        links: ['self', 'canonical'],
      }),
    ).toMatchSnapshot();
  });

  it('validates limit and offset', () => {
    expect(() => buildQueryString({ limit: 0 })).toThrow(/limit/);
    expect(() => buildQueryString({ offset: -1 })).toThrow(/offset/);
    expect(buildQueryString({})).toBe('');
  });

  it('encodes characters that would break the query string', () => {
    const qs = buildQueryString({ q: q.eq('Description', 'A&B #1 + 50%') });
    expect(new URLSearchParams(qs).get('q')).toBe("Description = 'A&B #1 + 50%'");
  });
});

describe('paginate', () => {
  const pages = (sizes: number[], hasMoreLast = false) => {
    const offsets: number[] = [];
    const fetchPage = async (offset: number, limit: number): Promise<AdfPage<number>> => {
      offsets.push(offset);
      const i = offsets.length - 1;
      const n = sizes[i] ?? 0;
      return {
        items: Array.from({ length: Math.min(n, limit) }, (_, k) => offset + k),
        count: n,
        hasMore: i < sizes.length - 1 || hasMoreLast,
        offset,
      };
    };
    return { offsets, fetchPage };
  };

  it('pages by hasMore and advances by the rows actually received (server may clamp the limit)', async () => {
    const { offsets, fetchPage } = pages([3, 3, 1]);
    const seen: number[] = [];
    for await (const p of paginate(fetchPage, { limit: 3 })) seen.push(...p.items);
    expect(offsets).toEqual([0, 3, 6]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('stops on an empty page that still claims hasMore', async () => {
    const { offsets, fetchPage } = pages([2, 0], true);
    for await (const _ of paginate(fetchPage, { limit: 2 })) void _;
    expect(offsets).toEqual([0, 2]);
  });

  it('throws after maxPages when the server never says hasMore=false', async () => {
    const { fetchPage } = pages([1, 1, 1, 1, 1], true);
    const run = async () => {
      for await (const _ of paginate(fetchPage, { limit: 1, maxPages: 3, operation: 'poll' })) void _;
    };
    await expect(run()).rejects.toThrow(/still hasMore after 3 pages/);
  });
});
