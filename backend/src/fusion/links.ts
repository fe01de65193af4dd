/**
 * Links and collections as ADF REST sends them (fusion.md §2.5, §5.3). Item keys of child resources
 * (schedules, distributions, DFF, attachments) are opaque: the client follows `self` / `canonical` /
 * `child` links and never builds them. These helpers are pure and tolerant of every framework version:
 * v1 children are plain arrays, v3+ children are collections, v6+ move links under `@context`.
 */
import type { AdfPage } from './adf-query.js';

export interface AdfLink {
  rel: string;
  href: string;
  name?: string;
  kind?: string;
  properties?: Record<string, unknown>;
}

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The links of an item or collection, wherever the framework version put them. */
export function linksOf(resource: unknown): AdfLink[] {
  if (!isObject(resource)) return [];
  const context = isObject(resource['@context']) ? resource['@context'] : undefined;
  const raw = Array.isArray(resource.links)
    ? resource.links
    : Array.isArray(context?.links)
      ? context.links
      : [];
  return raw.filter(
    (l): l is AdfLink => isObject(l) && typeof l.rel === 'string' && typeof l.href === 'string',
  );
}

export function findLink(resource: unknown, rel: string, name?: string): AdfLink | undefined {
  return linksOf(resource).find((l) => l.rel === rel && (name === undefined || l.name === name));
}

/** `self`, falling back to `canonical` (both identify the item; canonical survives a renamed parent). */
export function selfHref(resource: unknown): string | undefined {
  return findLink(resource, 'self')?.href ?? findLink(resource, 'canonical')?.href;
}

export const childHref = (resource: unknown, accessor: string): string | undefined =>
  findLink(resource, 'child', accessor)?.href;

/** The ETag the item carries in its self link (`properties.changeIndicator`), for If-Match. */
export function changeIndicator(resource: unknown): string | undefined {
  const v = findLink(resource, 'self')?.properties?.changeIndicator;
  return typeof v === 'string' ? v : undefined;
}

/** A collection envelope, or a v1 child array, or an absent child, as one shape. */
export function asCollection(value: unknown): AdfPage<JsonObject> {
  if (Array.isArray(value)) {
    const items = value.filter(isObject);
    return { items, count: items.length, hasMore: false, offset: 0 };
  }
  if (isObject(value) && Array.isArray(value.items)) {
    const items = value.items.filter(isObject);
    return {
      items,
      count: typeof value.count === 'number' ? value.count : items.length,
      hasMore: value.hasMore === true,
      limit: typeof value.limit === 'number' ? value.limit : undefined,
      offset: typeof value.offset === 'number' ? value.offset : 0,
      totalResults: typeof value.totalResults === 'number' ? value.totalResults : undefined,
    };
  }
  return { items: [], count: 0, hasMore: false, offset: 0 };
}

/** The href's path and query, relative to the origin (hrefs are absolute URLs of the pod). */
export function hrefPath(href: string): string {
  try {
    const u = new URL(href);
    return `${u.pathname}${u.search}`;
  } catch {
    return href;
  }
}
