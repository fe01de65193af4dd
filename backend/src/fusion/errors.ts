/**
 * Fusion failures in the kinds a caller acts on:
 * - transient: try again later (network, timeout, 5xx, 429);
 * - hard: Fusion refused the request for its content (400 validation, 405/415, a closed/frozen/canceled PO);
 * - auth: 401 even with a fresh token: credentials are wrong or expired; a person must fix configuration;
 * - not-found: 404 on an item (also what an invisible key gives under data security);
 * - conflict: 412 (stale ETag) or a pending change order someone else holds: retry later;
 * - no-access: 403, the user lacks the function privilege (e.g. no receiving role to create ASNs).
 *   Data security hiding rows is not an error in Fusion (HTTP 200, empty collection).
 */
export type FusionErrorKind = 'transient' | 'hard' | 'auth' | 'not-found' | 'conflict' | 'no-access';

export interface FusionErrorInit {
  kind: FusionErrorKind;
  /** What we were doing, e.g. "GET purchaseOrders" or "submit change order". */
  operation: string;
  httpStatus?: number;
  /** Fusion's own text (v4+ `o:errorDetails[].detail`, `title`, or the plain-text body before v4). */
  fusionMessage?: string;
  /** `o:errorCode` of the first detail, when Fusion sent one. */
  errorCode?: string;
  /** x-oracle-dms-ecid and similar, for support tickets. */
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class FusionError extends Error {
  /** Lets the pipeline's `classify` name the system without importing this class. */
  readonly system = 'fusion';
  readonly kind: FusionErrorKind;
  readonly operation: string;
  readonly httpStatus?: number;
  readonly fusionMessage?: string;
  readonly errorCode?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;

  constructor(init: FusionErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FusionError';
    this.kind = init.kind;
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.fusionMessage = init.fusionMessage;
    this.errorCode = init.errorCode;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

function describe(init: FusionErrorInit): string {
  const head = [`Fusion ${init.operation} failed (${init.kind})`];
  if (init.httpStatus !== undefined) head.push(`HTTP ${init.httpStatus}`);
  if (init.errorCode) head.push(`code ${init.errorCode}`);
  const text = head.join(', ');
  return init.fusionMessage ? `${text}: ${init.fusionMessage}` : text;
}

export const isFusionError = (e: unknown, kind?: FusionErrorKind): e is FusionError =>
  e instanceof FusionError && (kind === undefined || e.kind === kind);

export interface ParsedErrorBody {
  message?: string;
  errorCode?: string;
}

const MAX_MESSAGE = 2000;

/**
 * Fusion's message from an error body. v4+ sends `application/vnd.oracle.adf.error+json`
 * ({title, status, detail?, o:errorDetails:[{detail, o:errorCode, o:errorPath}]}); before v4 the body is
 * the plain message text (sometimes an HTML error page from the web tier, which we strip to text).
 */
export function parseErrorBody(text: string, contentType: string | null): ParsedErrorBody {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{');
  if (looksJson) {
    try {
      return fromJson(JSON.parse(trimmed));
    } catch {
      // Not JSON after all: fall through to text.
    }
  }
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    const stripped = trimmed
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return { message: clip(title?.trim() || stripped) };
  }
  return { message: clip(trimmed) };
}

function fromJson(body: unknown): ParsedErrorBody {
  if (typeof body !== 'object' || body === null) return { message: clip(String(body)) };
  const b = body as Record<string, unknown>;
  const details = Array.isArray(b['o:errorDetails'])
    ? (b['o:errorDetails'] as Record<string, unknown>[])
    : [];
  const detailTexts = details
    .map((d) => (typeof d?.detail === 'string' ? d.detail.trim() : ''))
    .filter((d) => d.length > 0);
  const firstCode = details.find((d) => typeof d?.['o:errorCode'] === 'string')?.['o:errorCode'] as
    string | undefined;
  const message =
    detailTexts.length > 0
      ? detailTexts.join(' ')
      : (pickString(b.detail) ?? pickString(b.message) ?? pickString(b.title) ?? undefined);
  return {
    message: message ? clip(message) : undefined,
    errorCode: firstCode ?? pickString(b['o:errorCode']),
  };
}

const pickString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined;
const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);

/** Wording Fusion uses when a PO cannot take a change order now because another one is open. */
const PENDING_CHANGE =
  /pending change order|change order (is )?(already )?(pending|in process|incomplete)|already (has|have) an? (open |pending |incomplete )?change order|another change order|is pending approval/i;
/** Wording for POs that cannot be changed at all. */
const REFUSED_STATE = /\b(frozen|finally closed|closed|canceled|cancelled|on hold)\b/i;

/** The kind for an HTTP failure status, refined by Fusion's message where the status alone is ambiguous. */
export function kindForStatus(status: number, message: string | undefined): FusionErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'no-access';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  if (message && PENDING_CHANGE.test(message)) return 'conflict';
  return 'hard';
}

/** True when Fusion's text says the PO is frozen, closed, canceled or on hold (a hard refusal). */
export const isRefusedStateMessage = (message: string | undefined): boolean =>
  !!message && REFUSED_STATE.test(message) && !PENDING_CHANGE.test(message);
