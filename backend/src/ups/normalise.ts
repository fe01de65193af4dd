/**
 * Tolerant reading of UPS response bodies (ups.md §0.3): UPS sends single objects where the spec declares
 * arrays (and the reverse), `""` where an object is expected, presence flags whose value is `""`, trailing
 * spaces and `&#xD;` artefacts. Every container goes through `asArray`, every scalar through `text`.
 */
import type { Money } from '../domain/types.js';
import type { UpsErrorDetail } from './errors.js';

export type Json = Record<string, unknown>;

/** undefined / null / "" → []; array → itself (nulls and "" dropped); anything else → [it]. */
export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined && v !== '') as T[];
  return [value as T];
}

/** An object, or undefined for "", null, scalars; the first object of an array. */
export function asObject(value: unknown): Json | undefined {
  if (Array.isArray(value)) return asObject(value.find((v) => v !== null && typeof v === 'object'));
  if (value !== null && typeof value === 'object') return value as Json;
  return undefined;
}

/** Walks a path of keys through objects (arrays step into their first element). */
export function pick(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    const obj = asObject(current);
    if (!obj) return undefined;
    current = obj[key];
  }
  return current;
}

/** A trimmed string without `&#xD;` artefacts; numbers become strings; "" and non-scalars → undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const cleaned = value
    .replace(/&#x[dD];|&#13;/g, '')
    .replace(/\r/g, '')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Presence flag: `"ValidAddressIndicator": ""` means yes. Test presence, never truthiness. */
export function hasFlag(obj: unknown, key: string): boolean {
  const o = asObject(obj);
  return o !== undefined && key in o && o[key] !== null && o[key] !== undefined;
}

/** A UPS {CurrencyCode, MonetaryValue} pair as Money; undefined when the amount is missing. */
export function money(value: unknown, fallbackCurrency?: string): Money | undefined {
  const amount = text(pick(value, 'MonetaryValue'));
  const currency = text(pick(value, 'CurrencyCode')) ?? fallbackCurrency;
  if (amount === undefined || currency === undefined) return undefined;
  return { amount, currency };
}

export interface UpsAlert {
  code: string;
  description: string;
}

/** Alerts of `Response.Alert` (object or array) and similar lists of {Code, Description}. */
export function alerts(value: unknown): UpsAlert[] {
  return asArray(value)
    .map((a) => ({ code: text(pick(a, 'Code')) ?? '', description: text(pick(a, 'Description')) ?? '' }))
    .filter((a) => a.code !== '' || a.description !== '');
}

/** Track-style warnings: [{code, message}]. */
export function warnings(value: unknown): UpsAlert[] {
  return asArray(value)
    .map((w) => ({ code: text(pick(w, 'code')) ?? '', description: text(pick(w, 'message')) ?? '' }))
    .filter((a) => a.code !== '' || a.description !== '');
}

/**
 * Error details from any UPS error envelope: `{response:{errors:[{code,message}]}}` (REST),
 * `{errors:[…]}`, Quantum View's `Response.Error[]{ErrorCode, ErrorDescription}`.
 */
export function errorDetails(body: unknown): UpsErrorDetail[] {
  const rest = asArray(pick(body, 'response', 'errors')).concat(asArray(pick(body, 'errors')));
  const out: UpsErrorDetail[] = rest.map((e) => ({
    code: text(pick(e, 'code')) ?? '',
    message: text(pick(e, 'message')) ?? '',
  }));
  const root = asObject(body);
  const inner = root ? Object.values(root).map((v) => pick(v, 'Response', 'Error')) : [];
  for (const e of inner.flatMap((x) => asArray(x))) {
    out.push({ code: text(pick(e, 'ErrorCode')) ?? '', message: text(pick(e, 'ErrorDescription')) ?? '' });
  }
  return out.filter((e) => e.code !== '' || e.message !== '');
}

/**
 * The error UPS sometimes puts only in response headers, with an empty body (seen in CIE on HTTP 200 and on
 * 400: `Errorcode`/`Errordescription`, `Apierrorcode`/`Apierrormsg`).
 */
export function headerError(headers: Headers): UpsErrorDetail | undefined {
  const code = text(headers.get('errorcode') ?? headers.get('apierrorcode') ?? undefined);
  const message = text(headers.get('errordescription') ?? headers.get('apierrormsg') ?? undefined);
  if (code === undefined && message === undefined) return undefined;
  return { code: code ?? '', message: message ?? '' };
}

export type ParsedBody =
  { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'malformed'; raw: string };

/** Parses a response text without throwing. */
export function parseBody(raw: string): ParsedBody {
  if (raw.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: 'malformed', raw };
  }
}

/** YYYYMMDD + HHMMSS (or HMMSS, HHMM) as a UTC instant; undefined when the date is unusable. */
export function utcInstant(date: unknown, time: unknown, offset?: unknown): Date | undefined {
  const d = text(date);
  if (!d || !/^\d{8}$/.test(d)) return undefined;
  let t = (text(time) ?? '000000').replace(/\D/g, '');
  if (t.length === 4) t = `${t}00`;
  t = t.padStart(6, '0').slice(0, 6);
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms - offsetMinutes(offset) * 60_000);
}

/** "-05:00", "-04.00", "+0530" → minutes east of UTC; 0 when absent or unreadable. */
function offsetMinutes(offset: unknown): number {
  const m = /^([+-])(\d{1,2})[:.]?(\d{2})?$/.exec(text(offset) ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}
