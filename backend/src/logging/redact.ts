/**
 * The one redaction layer: used by the logger format and by the audit writer, so a secret that would leak
 * through one would leak through the other and is caught by the same tests.
 *
 * `redact(value)` returns a deep copy with secrets replaced; it never mutates its input, survives cycles and
 * never throws. Two mechanisms:
 *  - by key: a property (or header) whose name is sensitive has its whole value replaced;
 *  - by value: inside any string, Bearer/Basic credentials, JWT-looking tokens, URL userinfo passwords,
 *    `client_secret=`-style query or form parameters and `"password": "…"`-style JSON fragments are masked.
 */

export const REDACTED = '[REDACTED]';

const MAX_DEPTH = 32;

/** Exact names (compared lower-case with `-` and `_` removed). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'password',
  'passphrase',
  // UPS Track Alert: the subscription's shared secret, sent back to us as a header on every webhook.
  'credential',
  'credentials',
  'xapikey',
  'apikey',
  'privatekey',
  'masterkey',
  'masterkeys',
  'assertion',
  'clientassertion',
]);

const SENSITIVE_PARTS = [
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'privatekey',
  'apikey',
  'masterkey',
];

/** Names that contain a sensitive word but never hold a secret; masking them only hides useful facts. */
const HARMLESS_KEYS = new Set([
  'tokentype',
  'tokenurl',
  'tokenendpoint',
  'tokenexpiresat',
  'tokenexpiresin',
  'credentialtype',
]);

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  if (HARMLESS_KEYS.has(k)) return false;
  if (SENSITIVE_KEYS.has(k)) return true;
  return SENSITIVE_PARTS.some((part) => k.includes(part));
}

// ───────────────────────────── value patterns ─────────────────────────────

const BEARER = /\b(Bearer)(\s+)([A-Za-z0-9._~+/=-]{6,})/gi;
const BASIC = /\b(Basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@?#]*):([^@\s/?#]*)@/gi;
/** `name=value` in a query string, form body or free text, where the name is sensitive. */
const PARAM = /(^|[?&;,\s])([A-Za-z0-9_.-]+)=([^&;\s#"',]*)/g;
/** `"name": "value"` inside a string that holds raw JSON (error bodies, request dumps). */
const JSON_PAIR = /("([^"\\]{1,80})"\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

function looksLikeBasicCredential(candidate: string): boolean {
  // A Basic credential is base64("user:password"); requiring the colon keeps prose like "Basic auth" intact.
  try {
    return Buffer.from(candidate, 'base64').toString('latin1').includes(':');
  } catch {
    return false;
  }
}

/** Masks credentials inside free text (messages, URLs, raw bodies). */
export function redactString(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, word: string, space: string) => `${word}${space}${REDACTED}`)
    .replace(BASIC, (m, word: string, space: string, cred: string) =>
      looksLikeBasicCredential(cred) ? `${word}${space}${REDACTED}` : m,
    )
    .replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
    .replace(PARAM, (m, lead: string, name: string, value: string) =>
      value.length > 0 && isSensitiveKey(name) ? `${lead}${name}=${REDACTED}` : m,
    )
    .replace(JSON_PAIR, (m, head: string, name: string) =>
      isSensitiveKey(name) ? `${head}"${REDACTED}"` : m,
    );
}

// ───────────────────────────── deep copy ─────────────────────────────

/** Deep copy of `value` with secrets masked. Safe on cycles, class instances, Errors, Maps, Sets and Buffers. */
export function redact(value: unknown): unknown {
  try {
    return walk(value, new WeakMap(), 0);
  } catch {
    // A hostile getter or proxy: better to lose the value than to leak it or break the caller.
    return '[unredactable value]';
  }
}

function walk(value: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';

  if (value instanceof Date) return new Date(value.getTime());
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[binary ${value.byteLength} bytes]`;
  }
  if (value instanceof URL) return redactString(value.href);
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    return walkEntries([...value.entries()], seen, depth, value);
  }
  if (value instanceof Map) return walkEntries([...value.entries()], seen, depth, value);
  if (value instanceof Set) return walkArray([...value], seen, depth, value);
  if (Array.isArray(value)) return walkArray(value, seen, depth, value);

  const out: Record<string, unknown> = {};
  seen.set(value, out);
  if (value instanceof Error) {
    // Own enumerable props of an Error skip name/message/stack; a log line without them is useless.
    out.name = value.name;
    out.message = redactString(value.message);
    if (value.stack) out.stack = redactString(value.stack);
    if (value.cause !== undefined) out.cause = walk(value.cause, seen, depth + 1);
  }
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    out[key] =
      isSensitiveKey(key) && child !== undefined && child !== null ? REDACTED : walk(child, seen, depth + 1);
  }
  return out;
}

function walkArray(
  items: unknown[],
  seen: WeakMap<object, unknown>,
  depth: number,
  original: object,
): unknown[] {
  const out: unknown[] = [];
  seen.set(original, out);
  for (const item of items) {
    // [name, value] pairs (header tuples, Object.entries output): mask the value when the name is sensitive.
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && isSensitiveKey(item[0])) {
      out.push([item[0], REDACTED]);
    } else {
      out.push(walk(item, seen, depth + 1));
    }
  }
  // Flat raw header lists (Node's rawHeaders: [name, value, name, value, …]).
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = items[i];
    if (
      typeof name === 'string' &&
      /^[A-Za-z0-9-]+$/.test(name) &&
      isSensitiveKey(name) &&
      typeof items[i + 1] === 'string'
    ) {
      out[i + 1] = REDACTED;
    }
  }
  return out;
}

function walkEntries(
  entries: Array<[unknown, unknown]>,
  seen: WeakMap<object, unknown>,
  depth: number,
  original: object,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  seen.set(original, out);
  for (const [k, v] of entries) {
    const key = String(k);
    out[key] = isSensitiveKey(key) && v !== undefined && v !== null ? REDACTED : walk(v, seen, depth + 1);
  }
  return out;
}
