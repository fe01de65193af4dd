/**
 * ADF BC REST query parameters (fusion.md §5.1–5.2) and paging by `hasMore`.
 *
 * `q` is built in row-match syntax, which needs REST-Framework-Version 2 or later (v1 reads `q` as
 * query-by-example and would silently mean something else). String literals go in single quotes with an
 * embedded quote doubled; dates as ISO-8601 UTC with milliseconds (`'2026-01-02T03:04:05.000Z'`).
 * Attribute names are checked so that a value can never smuggle in an operator.
 */
import { FusionError } from './errors.js';

export type QLiteral = string | number | boolean | Date;

/** One row-match expression, already rendered. Build with the helpers below, never by concatenation. */
export class QExpr {
  private constructor(readonly text: string) {}
  static raw(text: string): QExpr {
    return new QExpr(text);
  }
  toString(): string {
    return this.text;
  }
}

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ACCESSOR_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function accessor(path: string): string {
  if (!ACCESSOR_PATH.test(path)) throw new Error(`not an ADF child accessor: ${JSON.stringify(path)}`);
  return path;
}

function attr(name: string): string {
  if (!ATTRIBUTE.test(name)) throw new Error(`not an ADF attribute name: ${JSON.stringify(name)}`);
  return name;
}

/** Renders one literal for row-match `q`. */
export function literal(value: QLiteral): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('invalid Date in q');
    return `'${value.toISOString()}'`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`non-finite number in q: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? "'true'" : "'false'";
  return `'${value.replace(/'/g, "''")}'`;
}

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const cmp = (name: string, op: Op, value: QLiteral) => QExpr.raw(`${attr(name)} ${op} ${literal(value)}`);

export const q = {
  eq: (name: string, value: QLiteral) => cmp(name, '=', value),
  ne: (name: string, value: QLiteral) => cmp(name, '!=', value),
  lt: (name: string, value: QLiteral) => cmp(name, '<', value),
  le: (name: string, value: QLiteral) => cmp(name, '<=', value),
  gt: (name: string, value: QLiteral) => cmp(name, '>', value),
  ge: (name: string, value: QLiteral) => cmp(name, '>=', value),
  like: (name: string, pattern: string) => QExpr.raw(`${attr(name)} LIKE ${literal(pattern)}`),
  in: (name: string, values: readonly QLiteral[]) => {
    if (values.length === 0) throw new Error(`IN list for ${name} is empty`);
    return QExpr.raw(`${attr(name)} IN (${values.map(literal).join(', ')})`);
  },
  isNull: (name: string) => QExpr.raw(`${attr(name)} IS NULL`),
  isNotNull: (name: string) => QExpr.raw(`${attr(name)} IS NOT NULL`),
  and: (...parts: QExpr[]) => join('and', parts),
  or: (...parts: QExpr[]) => join('or', parts),
};

function join(word: 'and' | 'or', parts: QExpr[]): QExpr {
  if (parts.length === 0) throw new Error(`empty ${word}`);
  if (parts.length === 1) return parts[0]!;
  return QExpr.raw(parts.map((p) => (/ (and|or) /.test(p.text) ? `(${p.text})` : p.text)).join(` ${word} `));
}

export interface AdfQuery {
  q?: QExpr;
  /** e.g. `findByIntent` with `{ Intent: 'POUser' }`. */
  finder?: { name: string; params?: Record<string, string | number> };
  /** Top-level attributes; `childFields` adds `Accessor:Attr1,Attr2` groups. */
  fields?: string[];
  childFields?: Record<string, string[]>;
  /** Child accessors (`lines.schedules.distributions`) or 'all'. Ignored by Fusion when `fields` is given. */
  expand?: string[] | 'all';
  onlyData?: boolean;
  orderBy?: { attr: string; desc?: boolean }[];
  limit?: number;
  offset?: number;
  totalResults?: boolean;
  /** Only these link relations, e.g. ['self', 'canonical']. */
  links?: string[];
}

/** Encodes a query value, leaving the ADF separators `, : ; =` readable (all legal in a query string). */
function encodeValue(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2C/g, ',')
    .replace(/%3A/g, ':')
    .replace(/%3B/g, ';')
    .replace(/%3D/g, '=');
}

/** The query string (without `?`) in a fixed parameter order, so snapshots and audit lines are stable. */
export function buildQueryString(query: AdfQuery): string {
  const parts: [string, string][] = [];
  if (query.q) parts.push(['q', query.q.text]);
  if (query.finder) {
    attr(query.finder.name);
    const params = Object.entries(query.finder.params ?? {})
      .map(([k, v]) => `${attr(k)}=${String(v)}`)
      .join(',');
    parts.push(['finder', params ? `${query.finder.name};${params}` : query.finder.name]);
  }
  const fieldGroups: string[] = [];
  if (query.fields?.length) fieldGroups.push(query.fields.map(attr).join(','));
  for (const [path, names] of Object.entries(query.childFields ?? {})) {
    fieldGroups.push(`${accessor(path)}:${names.map(attr).join(',')}`);
  }
  if (fieldGroups.length) parts.push(['fields', fieldGroups.join(';')]);
  if (query.expand === 'all') parts.push(['expand', 'all']);
  else if (query.expand?.length) parts.push(['expand', query.expand.map(accessor).join(',')]);
  if (query.onlyData !== undefined) parts.push(['onlyData', String(query.onlyData)]);
  if (query.orderBy?.length) {
    parts.push(['orderBy', query.orderBy.map((o) => `${attr(o.attr)}:${o.desc ? 'desc' : 'asc'}`).join(',')]);
  }
  if (query.limit !== undefined) parts.push(['limit', String(positiveInt(query.limit, 'limit'))]);
  if (query.offset !== undefined) parts.push(['offset', String(nonNegativeInt(query.offset, 'offset'))]);
  if (query.totalResults !== undefined) parts.push(['totalResults', String(query.totalResults)]);
  if (query.links?.length) parts.push(['links', query.links.map(attr).join(',')]);
  return parts.map(([k, v]) => `${k}=${encodeValue(v)}`).join('&');
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}`);
  return n;
}
function nonNegativeInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${n}`);
  return n;
}

/** The collection envelope `{items, count, hasMore, limit, offset, links, totalResults?}`. */
export interface AdfPage<T> {
  items: T[];
  count: number;
  hasMore: boolean;
  limit?: number;
  offset: number;
  totalResults?: number;
}

export interface PagingOptions {
  /** Page size requested; Fusion may clamp it (500), so offsets advance by the rows actually received. */
  limit: number;
  offset?: number;
  /** Stop with an error after this many pages: protects against a server that never says hasMore=false. */
  maxPages?: number;
  operation?: string;
}

/** Yields pages until `hasMore` is false. An empty page that claims `hasMore` ends paging too. */
export async function* paginate<T>(
  fetchPage: (offset: number, limit: number) => Promise<AdfPage<T>>,
  options: PagingOptions,
): AsyncGenerator<AdfPage<T>, void, void> {
  const maxPages = options.maxPages ?? 1000;
  let offset = options.offset ?? 0;
  for (let n = 0; ; n++) {
    if (n >= maxPages) {
      throw new FusionError({
        kind: 'hard',
        operation: options.operation ?? 'paging',
        fusionMessage: `still hasMore after ${maxPages} pages (offset ${offset}); refusing to page further`,
      });
    }
    const page = await fetchPage(offset, options.limit);
    yield page;
    if (!page.hasMore || page.items.length === 0) return;
    offset += page.items.length;
  }
}
