/**
 * Walks the zod schema alongside a value, to find what a key is (its description, whether it is secret,
 * which sibling keys exist) for error messages, masking and the generated reference.
 * Reads zod 4's public `_zod.def` structure.
 */
import { z } from 'zod';
import { secretFields } from './fields.js';

export type PathSegment = string | number;

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  defaultValue?: unknown;
}

export function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema and every wrapper around it, outermost first, down to the structural type. */
export function layersOf(schema: z.ZodType): z.ZodType[] {
  const layers: z.ZodType[] = [schema];
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    let next: z.ZodType | undefined;
    if (WRAPPERS.has(def.type)) next = def.innerType;
    else if (def.type === 'pipe') next = def.in && defOf(def.in).type === 'transform' ? def.out : def.in;
    if (!next) break;
    layers.push(next);
    current = next;
  }
  return layers;
}

function core(schema: z.ZodType): z.ZodType {
  return layersOf(schema).at(-1)!;
}

/** The schema of `key` under `schema`, choosing a union branch by `value` where it can. */
export function childOf(schema: z.ZodType, key: PathSegment, value: unknown): z.ZodType | undefined {
  const inner = core(schema);
  const def = defOf(inner);
  if (def.type === 'object') return typeof key === 'string' ? def.shape?.[key] : undefined;
  if (def.type === 'array') return def.element;
  if (def.type === 'union') {
    const branch = unionBranch(inner, value);
    if (branch) return childOf(branch, key, value);
    for (const option of def.options ?? []) {
      const found = childOf(option, key, value);
      if (found) return found;
    }
  }
  return undefined;
}

/** The branch of a discriminated union that `value` selects, if any. */
export function unionBranch(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  const def = defOf(core(schema));
  if (def.type !== 'union' || !def.discriminator || value === null || typeof value !== 'object')
    return undefined;
  const tag = (value as Record<string, unknown>)[def.discriminator];
  return def.options?.find((option) => {
    const lit = childOf(option, def.discriminator!, undefined);
    return lit !== undefined && (defOf(core(lit)).values ?? []).includes(tag);
  });
}

export function schemaAt(
  root: z.ZodType,
  path: readonly PathSegment[],
  rootValue: unknown,
): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value = rootValue;
  for (const key of path) {
    if (!schema) return undefined;
    schema = childOf(schema, key, value);
    value =
      value !== null && typeof value === 'object' ? (value as Record<PathSegment, unknown>)[key] : undefined;
  }
  return schema;
}

/** Keys an object schema accepts (all branches for a union without a usable discriminator value). */
export function knownKeys(schema: z.ZodType, value: unknown): string[] {
  const inner = core(schema);
  const def = defOf(inner);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') {
    const branch = unionBranch(inner, value);
    if (branch) return knownKeys(branch, value);
    return [...new Set((def.options ?? []).flatMap((o) => knownKeys(o, value)))];
  }
  return [];
}

export function secretKind(schema: z.ZodType | undefined): 'value' | 'url' | undefined {
  if (!schema) return undefined;
  for (const layer of layersOf(schema)) {
    const meta = secretFields.get(layer);
    if (meta) return meta.secret;
  }
  return undefined;
}

export function descriptionOf(schema: z.ZodType): string | undefined {
  for (const layer of layersOf(schema)) {
    const description = z.globalRegistry.get(layer)?.description;
    if (description) return description;
  }
  return undefined;
}

export function defaultOf(schema: z.ZodType): unknown {
  for (const layer of layersOf(schema)) {
    const def = defOf(layer);
    if (def.type === 'default' || def.type === 'prefault') {
      const v = def.defaultValue;
      return typeof v === 'function' ? (v as () => unknown)() : v;
    }
  }
  return undefined;
}

/** `tenants[0].fusion.baseUrl` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}
