/**
 * Addressing and answering ADF resources: resolving `{key}/child/{accessor}/{key}` paths, hrefs, finders,
 * custom-action bodies, ETag preconditions, and the GET answer shared by every resource.
 */
import type { Request, Response } from 'express';
import {
  buildShape,
  queryParam,
  renderCollection,
  renderContext,
  renderItem,
  type AdfNode,
  type CollectionOptions,
  type ResourceType,
} from './adf-query.js';
import { FusionError } from './errors.js';

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
  const finder = queryParam(req, 'finder');
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
