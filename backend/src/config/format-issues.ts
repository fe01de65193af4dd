/**
 * Turns zod issues into one line each: `<where>: expected <what>, got <value>`, where <where> is the
 * environment variable that set the key, or `<file>: <key path>`, or the key path when the value was absent.
 * Secret values are never echoed.
 */
import type { z } from 'zod';
import { redactString } from '../logging/redact.js';
import { closest } from './did-you-mean.js';
import { ENV_BINDINGS, ENV_TENANT, ENV_TENANT_INDEX, type Sources } from './env-mapping.js';
import { formatPath, knownKeys, schemaAt, secretKind, type PathSegment } from './schema-walk.js';

export interface IssueContext {
  schema: z.ZodType;
  input: unknown;
  sources: Sources;
  file?: string;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      const parentSchema = schemaAt(ctx.schema, path, ctx.input);
      const known = parentSchema ? knownKeys(parentSchema, valueAt(ctx.input, path)) : [];
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        const hint = suggestion
          ? ` — did you mean "${suggestion}"?`
          : known.length > 0
            ? ` (known keys: ${known.join(', ')})`
            : '';
        lines.push(`${where(ctx, [...path, key])}: unknown key${hint}`);
      }
      continue;
    }
    const expected = expectedText(issue);
    if (issue.code === 'custom' && (issue.params as { plain?: boolean } | undefined)?.plain) {
      lines.push(`${where(ctx, path)}: ${issue.message}`);
      continue;
    }
    const value = valueAt(ctx.input, path);
    if (value === undefined) {
      lines.push(`${where(ctx, path)}: required — expected ${expected}${envHint(ctx, path)}`);
      continue;
    }
    lines.push(
      `${where(ctx, path)}: expected ${expected}, got ${shown(value, secretKind(schemaAt(ctx.schema, path, ctx.input)))}`,
    );
  }
  return [...new Set(lines)];
}

function expectedText(issue: z.core.$ZodIssue): string {
  // zod's own wording ("Invalid input: expected string, received number") where no field text was set.
  const m = /^Invalid input: expected (\w+)/.exec(issue.message);
  if (!m) return issue.message;
  return m[1] === 'object' ? 'a mapping of keys' : m[1] === 'array' ? 'a list' : `a ${m[1]}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PathSegment, unknown>)[key];
  }
  return node;
}

/** The env variable or file key that set `path` (or its nearest set ancestor); else the bare key path. */
function where(ctx: IssueContext, path: readonly PathSegment[]): string {
  const key = formatPath(path);
  for (let n = path.length; n >= 0; n--) {
    const source = ctx.sources.get(formatPath(path.slice(0, n)));
    if (source === 'file') return `${ctx.file}: ${key}`;
    if (source === ENV_TENANT) return key;
    if (source !== undefined) return n === path.length ? source : `${source} (${key})`;
  }
  return key;
}

/** " (set CONNECTOR_X)" when a variable can supply the missing key. */
function envHint(ctx: IssueContext, path: readonly PathSegment[]): string {
  const key = formatPath(path);
  const envTenant = path[0] === 'tenants' && ctx.sources.get(ENV_TENANT_INDEX) === String(path[1]);
  const binding = ENV_BINDINGS.find((b) =>
    b.tenant ? envTenant && formatPath(['tenants', path[1]!, ...b.path]) === key : formatPath(b.path) === key,
  );
  return binding ? ` (set ${binding.env})` : '';
}

function shown(value: unknown, secret: 'value' | 'url' | undefined): string {
  if (secret === 'value') return 'a value that is not shown (secret)';
  if (typeof value === 'string')
    return JSON.stringify(redactString(value.length > 80 ? `${value.slice(0, 80)}…` : value));
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
