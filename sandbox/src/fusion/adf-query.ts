/**
 * The ADF BC REST conventions shared by every Fusion resource (fusion.md §5): collection envelopes, `q`,
 * `orderBy`, `limit`/`offset`/`hasMore`/`totalResults`, `fields`, `expand`, `onlyData`, `links`, child
 * paths `/{key}/child/{accessor}/{key}`, and ETags. Resources describe themselves as a ResourceType tree
 * and hand over their rows as AdfNodes; this file does the rest.
 */
import type { Request } from 'express';
import { FusionError, frameworkVersion } from './errors.js';
import { compareRowValues, compileQ, type Predicate } from './q-filter.js';
import type { Row, Schema } from './schemas.js';

export interface ResourceType {
  name: string;
  schema: Schema;
  children: Record<string, ResourceType>;
  /** false where Oracle documents "get one … not supported" (PO DFF and attachments). */
  itemGet?: boolean;
  /** Custom actions, linked from each item as `rel: action` (`…/{key}/action/{name}`). */
  actions?: string[];
}

export interface AdfNode {
  type: ResourceType;
  key: string;
  attrs: Row;
  children(accessor: string): AdfNode[];
  changeIndicator?: string;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export interface Shape {
  attrs: string[] | null;
  children: Map<string, Shape>;
}

export interface RenderContext {
  version: number;
  onlyData: boolean;
  links: Set<string> | null;
}

function param(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function queryParam(req: Request, name: string): string | undefined {
  return param(req, name);
}

function boolParam(req: Request, name: string): boolean {
  const v = param(req, name);
  if (v === undefined) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new FusionError(
    400,
    `URL request parameter ${name} with value ${v} is not valid. Use true or false.`,
  );
}

function intParam(req: Request, name: string, fallback: number, min: number): number {
  const v = param(req, name);
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) {
    throw new FusionError(
      400,
      `URL request parameter ${name} with value ${v} is not valid. Use an integer >= ${min}.`,
    );
  }
  return Number(v);
}

export function renderContext(req: Request): RenderContext {
  const links = param(req, 'links');
  return {
    version: frameworkVersion(req),
    onlyData: boolParam(req, 'onlyData'),
    links: links ? new Set(links.split(',').map((l) => l.trim())) : null,
  };
}

/** `fields` (wins when present) or `expand` → which attributes and children to render. */
export function buildShape(req: Request, type: ResourceType): Shape {
  const root: Shape = { attrs: null, children: new Map() };
  const fields = param(req, 'fields');
  const expand = param(req, 'expand');
  const walk = (path: string, what: string): { shape: Shape; type: ResourceType } => {
    let shape = root;
    let t = type;
    for (const acc of path.split('.')) {
      const childType = t.children[acc];
      if (!childType)
        throw new FusionError(
          400,
          `URL request parameter ${what} is not valid: ${t.name} has no child ${acc}.`,
        );
      let next = shape.children.get(acc);
      if (!next) {
        next = { attrs: null, children: new Map() };
        shape.children.set(acc, next);
      }
      shape = next;
      t = childType;
    }
    return { shape, type: t };
  };
  const checkAttrs = (t: ResourceType, attrs: string[]): string[] => {
    for (const a of attrs) {
      if (!(a in t.schema))
        throw new FusionError(
          400,
          `URL request parameter fields is not valid: ${t.name} has no attribute ${a}.`,
        );
    }
    return attrs;
  };
  if (fields !== undefined) {
    fields.split(';').forEach((group, index) => {
      const colon = group.indexOf(':');
      if (colon >= 0) {
        const { shape, type: t } = walk(group.slice(0, colon).trim(), 'fields');
        shape.attrs = checkAttrs(t, splitList(group.slice(colon + 1)));
      } else if (index === 0) {
        root.attrs = checkAttrs(type, splitList(group));
      } else {
        walk(group.trim(), 'fields');
      }
    });
    return root;
  }
  if (expand !== undefined && expand !== '') {
    if (expand === 'all') {
      for (const acc of Object.keys(type.children))
        root.children.set(acc, { attrs: null, children: new Map() });
    } else {
      for (const path of splitList(expand)) walk(path, 'expand');
    }
  }
  return root;
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function link(rel: string, href: string, name: string, kind: string, properties?: Record<string, string>) {
  return properties ? { rel, href, name, kind, properties } : { rel, href, name, kind };
}

export function renderItem(
  node: AdfNode,
  href: string,
  shape: Shape,
  ctx: RenderContext,
  parentHref?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of shape.attrs ?? Object.keys(node.type.schema)) out[a] = node.attrs[a] ?? null;
  for (const [acc, childShape] of shape.children) {
    const childType = node.type.children[acc]!;
    const rows = node.children(acc);
    const childHref = `${href}/child/${acc}`;
    const page = ctx.version >= 3 ? rows.slice(0, DEFAULT_LIMIT) : rows;
    const items = page.map((r) => renderItem(r, `${childHref}/${r.key}`, childShape, ctx, href));
    out[acc] =
      ctx.version >= 3
        ? envelope(items, rows.length > page.length, DEFAULT_LIMIT, 0, childHref, childType.name, ctx)
        : items;
  }
  if (!ctx.onlyData) {
    const links = [
      link(
        'self',
        href,
        node.type.name,
        'item',
        node.changeIndicator ? { changeIndicator: node.changeIndicator } : undefined,
      ),
      link('canonical', href, node.type.name, 'item'),
      ...(parentHref ? [link('parent', parentHref, 'parent', 'item')] : []),
      ...Object.keys(node.type.children).map((acc) =>
        link('child', `${href}/child/${acc}`, acc, 'collection'),
      ),
      ...(node.type.actions ?? []).map((name) => link('action', `${href}/action/${name}`, name, 'other')),
    ];
    out.links = ctx.links ? links.filter((l) => ctx.links!.has(l.rel)) : links;
  }
  return out;
}

function envelope(
  items: unknown[],
  hasMore: boolean,
  limit: number,
  offset: number,
  href: string,
  name: string,
  ctx: RenderContext,
  totalResults?: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { items };
  if (totalResults !== undefined) out.totalResults = totalResults;
  Object.assign(out, { count: items.length, hasMore, limit, offset });
  if (!ctx.onlyData && (!ctx.links || ctx.links.has('self'))) {
    out.links = [link('self', href, name, 'collection')];
  }
  return out;
}

function sortRows(req: Request, type: ResourceType, rows: AdfNode[]): AdfNode[] {
  const orderBy = param(req, 'orderBy');
  if (!orderBy) return rows;
  const keys = splitList(orderBy).map((part) => {
    const [rawAttr, dir = 'asc'] = part.split(':').map((x) => x.trim());
    const upper = /^upper\((\w+)\)$/i.exec(rawAttr ?? '');
    const attr = upper ? upper[1]! : rawAttr!;
    const attrType = type.schema[attr];
    if (!attrType)
      throw new FusionError(
        400,
        `URL request parameter orderBy is not valid: ${type.name} has no attribute ${attr}.`,
      );
    if (dir !== 'asc' && dir !== 'desc') {
      throw new FusionError(
        400,
        `URL request parameter orderBy is not valid: direction ${dir} must be asc or desc.`,
      );
    }
    return { attr, attrType, desc: dir === 'desc', upper: Boolean(upper) };
  });
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      let va = a.attrs[k.attr];
      let vb = b.attrs[k.attr];
      if (k.upper) {
        va = typeof va === 'string' ? va.toUpperCase() : va;
        vb = typeof vb === 'string' ? vb.toUpperCase() : vb;
      }
      const c = compareRowValues(k.attrType, va, vb);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

export interface CollectionOptions {
  /** Extra filter from a finder or data security, ANDed with q. */
  filter?: Predicate;
}

/** Filters, sorts, pages and renders a collection; the response body for GET on any collection path. */
export function renderCollection(
  req: Request,
  type: ResourceType,
  rows: AdfNode[],
  href: string,
  options: CollectionOptions = {},
  parentHref?: string,
): Record<string, unknown> {
  const ctx = renderContext(req);
  const limit = Math.min(intParam(req, 'limit', DEFAULT_LIMIT, 1), MAX_LIMIT);
  const offset = intParam(req, 'offset', 0, 0);
  const q = param(req, 'q');
  const predicate = q !== undefined && q.trim() !== '' ? compileQ(q, ctx.version, type.schema) : null;
  const shape = buildShape(req, type);
  let matched = rows.filter(
    (r) => (!options.filter || options.filter(r.attrs)) && (!predicate || predicate(r.attrs)),
  );
  matched = sortRows(req, type, matched);
  const page = matched.slice(offset, offset + limit);
  const items = page.map((r) => renderItem(r, `${href}/${r.key}`, shape, ctx, parentHref));
  const total = boolParam(req, 'totalResults') ? matched.length : undefined;
  return envelope(items, offset + page.length < matched.length, limit, offset, href, type.name, ctx, total);
}
