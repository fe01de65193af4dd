/**
 * The ADF BC REST conventions shared by every Fusion resource (fusion.md §5): collection envelopes, `q`,
 * `orderBy`, `limit`/`offset`/`hasMore`/`totalResults`, `fields`, `expand`, `onlyData`, `links`, child
 * paths `/{key}/child/{accessor}/{key}`, and ETags. Resources describe themselves as a ResourceType tree
 * and hand over their rows as AdfNodes; this file does the rest.
 */
import type { Request, Response } from 'express';
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

export type Resolved =
  | { kind: 'collection'; type: ResourceType; rows: AdfNode[]; href: string; parentHref?: string }
  | { kind: 'item'; node: AdfNode; href: string; parentHref?: string };

/** Walks `{key}/child/{accessor}/{key}/…` below a root collection; 404 for unknown keys or accessors. */
export function resolvePath(type: ResourceType, rows: AdfNode[], href: string, segments: string[]): Resolved {
  let current: Resolved = { kind: 'collection', type, rows, href };
  let i = 0;
  while (i < segments.length) {
    const seg = segments[i]!;
    if (current.kind === 'collection') {
      const node: AdfNode | undefined = current.rows.find((r) => r.key === seg);
      if (!node)
        throw new FusionError(
          404,
          `The requested resource ${current.type.name} with key ${seg} was not found.`,
        );
      if (current.type.itemGet === false && i === segments.length - 1) {
        throw new FusionError(
          405,
          `Getting one ${current.type.name} row is not supported; get the collection.`,
        );
      }
      current = { kind: 'item', node, href: `${current.href}/${seg}`, parentHref: current.parentHref };
      i++;
      continue;
    }
    if (seg !== 'child' || segments[i + 1] === undefined) {
      throw new FusionError(
        404,
        `The requested URL path segment ${seg} is not valid for ${current.node.type.name}.`,
      );
    }
    const acc = segments[i + 1]!;
    const childType: ResourceType | undefined = current.node.type.children[acc];
    if (!childType) throw new FusionError(404, `${current.node.type.name} has no child resource ${acc}.`);
    current = {
      kind: 'collection',
      type: childType,
      rows: current.node.children(acc),
      href: `${current.href}/child/${acc}`,
      parentHref: current.href,
    };
    i += 2;
  }
  return current;
}

/** `If-None-Match` → 304, stale `If-Match` → 412 with the current ETag (fusion.md §5.4). */
export function checkPreconditions(
  req: Request,
  res: Response,
  etag: string | undefined,
): 'ok' | 'not-modified' {
  if (!etag) return 'ok';
  res.set('ETag', etag);
  const ifMatch = req.get('if-match');
  if (ifMatch && !etagListMatches(ifMatch, etag)) {
    throw new FusionError(
      412,
      'The request precondition failed: the resource was changed by another user (ETag mismatch).',
    );
  }
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch && req.method === 'GET' && etagListMatches(ifNoneMatch, etag)) return 'not-modified';
  return 'ok';
}

function etagListMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((t) => t === '*' || t === etag);
}

export function sendCollection(res: Response, body: Record<string, unknown>): void {
  res.status(200).type('application/vnd.oracle.adf.resourcecollection+json').send(JSON.stringify(body));
}

export function sendItem(res: Response, body: Record<string, unknown>, status = 200): void {
  res.status(status).type('application/vnd.oracle.adf.resourceitem+json').send(JSON.stringify(body));
}

/** GET on a resolved path: collection envelope, or item with ETag handling. */
export function answerGet(
  req: Request,
  res: Response,
  resolved: Resolved,
  options: CollectionOptions = {},
): void {
  if (resolved.kind === 'collection') {
    sendCollection(
      res,
      renderCollection(req, resolved.type, resolved.rows, resolved.href, options, resolved.parentHref),
    );
    return;
  }
  if (checkPreconditions(req, res, resolved.node.changeIndicator) === 'not-modified') {
    res.status(304).end();
    return;
  }
  const body = renderItem(
    resolved.node,
    resolved.href,
    buildShape(req, resolved.node.type),
    renderContext(req),
    resolved.parentHref,
  );
  sendItem(res, body);
}

/** `/describe`: attribute names, types and queryability, enough for a client to discover the DFF segments. */
export function describeResource(type: ResourceType): Record<string, unknown> {
  const describeType = (t: ResourceType): Record<string, unknown> => ({
    attributes: Object.entries(t.schema).map(([name, attrType]) => ({
      name,
      type: attrType,
      queryable: true,
      updatable: false,
    })),
    children: Object.fromEntries(Object.entries(t.children).map(([acc, ct]) => [acc, describeType(ct)])),
  });
  return { Resources: { [type.name]: describeType(type) } };
}

/** The absolute origin of the request, for hrefs in links. */
export function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export const RESOURCE_VERSIONS = ['11.13.18.05', 'latest'];

/** The URL segments after the resource name (Express 5 `{/*rest}` wildcard). */
export function restSegments(req: Request): string[] {
  const rest = (req.params as Record<string, unknown>).rest;
  return Array.isArray(rest) ? rest.map(String).filter((s) => s !== '') : [];
}

/** Absolute href of a top-level resource collection, with the version the client used. */
export function resourceHref(req: Request, root: string, resource: string): string {
  const version = (req.params as Record<string, string>).version ?? '11.13.18.05';
  if (!RESOURCE_VERSIONS.includes(version))
    throw new FusionError(404, `Resource version ${version} is not available.`);
  return `${origin(req)}/${root}/resources/${version}/${resource}`;
}

/** Parses `finder=Name;Var=val,Var2=val2`. */
export function parseFinder(req: Request): { name: string; vars: Record<string, string> } | null {
  const finder = param(req, 'finder');
  if (!finder) return null;
  const [name, rest = ''] = finder.split(/;(.*)/s);
  const vars: Record<string, string> = {};
  for (const pair of rest.split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    if (eq < 0)
      throw new FusionError(400, `URL request parameter finder is not valid: '${pair}' is not Var=value.`);
    vars[pair.slice(0, eq).trim()] = pair
      .slice(eq + 1)
      .trim()
      .replace(/^'|'$/g, '');
  }
  return { name: name!.trim(), vars };
}

/** Body of a custom action: `{"name":…,"parameters":[{…}]}` (ADF) or the parameters as one object. */
export function actionParameters(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.parameters)) return Object.assign({}, ...(b.parameters as object[]));
  return b;
}

export function sendActionResult(res: Response, result: unknown): void {
  res.status(200).type('application/vnd.oracle.adf.actionresult+json').send(JSON.stringify({ result }));
}

/** GET-only resource whose rows come from `rows()`; every other method gets 405. */
export function readOnlyResource(root: string, type: ResourceType, rows: (req: Request) => AdfNode[]) {
  const path = `/${root}/resources/:version/${type.name}{/*rest}`;
  return {
    path,
    get: (req: Request, res: Response): void => {
      const href = resourceHref(req, root, type.name);
      const segments = restSegments(req);
      if (segments.length === 1 && segments[0] === 'describe') {
        res.type('application/vnd.oracle.adf.description+json').send(JSON.stringify(describeResource(type)));
        return;
      }
      answerGet(req, res, resolvePath(type, rows(req), href, segments));
    },
    refuse: (req: Request): never => {
      throw new FusionError(
        405,
        `${req.method} is not supported on ${type.name} by the sandbox; it is read-only reference data.`,
      );
    },
  };
}
