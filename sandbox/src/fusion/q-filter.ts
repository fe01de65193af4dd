/**
 * The ADF `q` parameter: query-by-example for REST-Framework-Version 1 and row-match expressions for 2+
 * (fusion.md §5.1, §5.2). Parsing and type checking happen once per request; the result is a predicate.
 * Errors carry the HTTP status real Fusion answers: 400 for syntax and unknown attributes, 500 for a
 * literal that does not fit the attribute's type (observed on Fusion, fusion.md §5.2).
 */
import { parseQueryByExample, parseRowMatch, QueryError, type Expr, type Literal } from './q-parser.js';
import type { AttrType, Row, Scalar, Schema } from './schemas.js';

export { QueryError, parseRowMatch, parseQueryByExample } from './q-parser.js';
export type { Expr } from './q-parser.js';

export type Predicate = (row: Row) => boolean;

// ---------------------------------------------------------------- typing and evaluation

type Typed = number | string | boolean;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Accepts `yyyy-MM-dd` and `yyyy-MM-ddTHH:mm[:ss[.SSS]][Z|±hh:mm]`; no offset means the pod's zone (UTC here). */
export function parseFusionDate(text: string): number | null {
  const t = text.trim();
  if (DATE_RE.test(t)) {
    const ms = Date.parse(`${t}T00:00:00Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  if (!DATETIME_RE.test(t)) return null;
  let iso = t.replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function coerceLiteral(attr: string, type: AttrType, lit: Literal): Typed {
  const text = lit.kind === 'string' ? lit.value : lit.text;
  const mismatch = () =>
    new QueryError(`the value '${text}' cannot be converted to the type of attribute ${attr} (${type})`, 500);
  switch (type) {
    case 'number':
    case 'integer': {
      if (lit.kind === 'number') return lit.value;
      if (!/^\s*-?\d+(\.\d+)?\s*$/.test(lit.value)) throw mismatch();
      return Number(lit.value);
    }
    case 'boolean': {
      const v = text.trim().toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw mismatch();
    }
    case 'date':
    case 'datetime': {
      if (lit.kind === 'number') throw mismatch();
      const ms = parseFusionDate(lit.value);
      if (ms === null) throw mismatch();
      return ms;
    }
    default:
      return text;
  }
}

function rowValue(type: AttrType, v: Scalar | undefined): Typed | null {
  if (v === null || v === undefined) return null;
  if (type === 'date' || type === 'datetime') return typeof v === 'string' ? parseFusionDate(v) : null;
  return v;
}

function compare(a: Typed, b: Typed): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function attrType(schema: Schema, attr: string): AttrType {
  const type = schema[attr];
  if (!type) throw new QueryError(`the attribute ${attr} in q is not an attribute of this resource`, 400);
  return type;
}

export function compileExpr(expr: Expr, schema: Schema): Predicate {
  switch (expr.kind) {
    case 'and': {
      const l = compileExpr(expr.left, schema);
      const r = compileExpr(expr.right, schema);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileExpr(expr.left, schema);
      const r = compileExpr(expr.right, schema);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const inner = compileExpr(expr.expr, schema);
      return (row) => !inner(row);
    }
    case 'null': {
      attrType(schema, expr.attr);
      return (row) => (row[expr.attr] === null || row[expr.attr] === undefined) !== expr.negated;
    }
    case 'cmp': {
      const type = attrType(schema, expr.attr);
      const want = coerceLiteral(expr.attr, type, expr.value);
      const op = expr.op;
      return (row) => {
        const have = rowValue(type, row[expr.attr]);
        if (have === null) return false; // SQL semantics: comparisons with NULL are unknown
        const c = compare(have, want);
        return op === '='
          ? c === 0
          : op === '!='
            ? c !== 0
            : op === '<'
              ? c < 0
              : op === '<='
                ? c <= 0
                : op === '>'
                  ? c > 0
                  : c >= 0;
      };
    }
    case 'in': {
      const type = attrType(schema, expr.attr);
      const wants = expr.values.map((v) => coerceLiteral(expr.attr, type, v));
      return (row) => {
        const have = rowValue(type, row[expr.attr]);
        if (have === null) return false;
        return wants.some((w) => compare(have, w) === 0) !== expr.negated;
      };
    }
    case 'like': {
      const type = attrType(schema, expr.attr);
      if (type !== 'string') {
        throw new QueryError(`LIKE needs a text attribute, but ${expr.attr} is ${type}`, 500);
      }
      const re = likeToRegExp(expr.pattern.kind === 'string' ? expr.pattern.value : expr.pattern.text);
      return (row) => {
        const have = row[expr.attr];
        if (have === null || have === undefined) return false;
        return re.test(String(have)) !== expr.negated;
      };
    }
    case 'between': {
      const type = attrType(schema, expr.attr);
      const low = coerceLiteral(expr.attr, type, expr.low);
      const high = coerceLiteral(expr.attr, type, expr.high);
      return (row) => {
        const have = rowValue(type, row[expr.attr]);
        if (have === null) return false;
        return (compare(have, low) >= 0 && compare(have, high) <= 0) !== expr.negated;
      };
    }
  }
}

/** Parses and type-checks `q` for the given REST-Framework-Version; throws QueryError. */
export function compileQ(q: string, frameworkVersion: number, schema: Schema): Predicate {
  const expr = frameworkVersion >= 2 ? parseRowMatch(q) : parseQueryByExample(q);
  return compileExpr(expr, schema);
}

/** Sort comparison shared with orderBy: typed, NULLs last ascending (Oracle's default). */
export function compareRowValues(type: AttrType, a: Scalar | undefined, b: Scalar | undefined): number {
  const va = rowValue(type, a);
  const vb = rowValue(type, b);
  if (va === null && vb === null) return 0;
  if (va === null) return 1;
  if (vb === null) return -1;
  return compare(va, vb);
}
