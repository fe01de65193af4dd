/**
 * One HTTP exchange with a UPS business API: bearer token, `transId`/`transactionSrc` on every call, a
 * per-call timeout, retries with exponential backoff and full jitter for transient failures only, one token
 * refresh on a rejected token, and an `ExternalCall` report per attempt.
 *
 * Create Shipment is not idempotent at UPS (no idempotency key): a `nonIdempotent` request is retried only
 * when UPS demonstrably did not process it (connection refused, 429, rejected token); any other failure
 * after sending throws `UpsInDoubtError`.
 */
import { randomUUID } from 'node:crypto';
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import type { ExternalCall } from '../audit/audit-entry.js';
import { TOKEN_REJECTED_CODES, UpsError, UpsInDoubtError, classify } from './errors.js';
import type { UpsErrorDetail } from './errors.js';
import { errorDetails, headerError, parseBody, pick, text } from './normalise.js';
import type { UpsTokenManager } from './token-manager.js';

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

export interface UpsRetryInfo {
  operation: string;
  method: string;
  path: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: string;
  code?: string;
  httpStatus?: number;
}

export interface UpsHttpOptions {
  baseUrl: string;
  tokens: UpsTokenManager;
  transactionSrc: string;
  timeoutMs: number;
  retry: RetryOptions;
  /** Longest Retry-After we wait for in-process; longer ones go back to the caller as transient. */
  maxRetryAfterMs?: number;
  onCall?: (call: ExternalCall) => void;
  onRetry?: (info: UpsRetryInfo) => void;
  fetch?: typeof fetch;
  random?: () => number;
}

export interface UpsRequest {
  /** Short name for messages and audit, e.g. "ship", "rate". */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the host, starting with /api/. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Create Shipment: never retried once it may have reached UPS. */
  nonIdempotent?: boolean;
  timeoutMs?: number;
  /** What the audit sees instead of `body` when the body carries a secret (Track Alert v1 credential). */
  auditBody?: unknown;
  /** Our correlation value sent in TransactionReference.CustomerContext, for the audit. */
  customerContext?: string;
}

export interface UpsResponse {
  status: number;
  /** Parsed JSON body (undefined for an empty 2xx body without error headers). */
  body: unknown;
  headers: Headers;
  transId: string;
}

/** Node's fetch reports "nothing was sent" with these causes. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function newTransId(): string {
  return randomUUID().replace(/-/g, '');
}

export class UpsHttp {
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;

  constructor(readonly options: UpsHttpOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.random = options.random ?? Math.random;
  }

  async send(req: UpsRequest): Promise<UpsResponse> {
    const { retry: cfg } = this.options;
    const maxRetryAfter = this.options.maxRetryAfterMs ?? Math.max(cfg.maxDelayMs, 30_000);
    const policy = retry(
      handleWhen(
        (e) =>
          e instanceof UpsError &&
          e.kind === 'transient' &&
          (e.retryAfterMs === undefined || e.retryAfterMs <= maxRetryAfter),
      ),
      {
        maxAttempts: Math.max(0, cfg.maxAttempts - 1),
        backoff: new DelegateBackoff((ctx) => {
          const err = 'error' in ctx.result ? ctx.result.error : undefined;
          if (err instanceof UpsError && err.retryAfterMs !== undefined) return err.retryAfterMs;
          return backoffDelay(ctx.attempt, cfg, this.random);
        }),
      },
    );
    const listener = policy.onRetry((event) => {
      const err = 'error' in event ? event.error : undefined;
      this.options.onRetry?.({
        operation: req.operation,
        method: req.method,
        path: req.path,
        attempt: event.attempt,
        delayMs: event.delay,
        error: err instanceof Error ? err.message : 'unknown',
        code: err instanceof UpsError ? err.code : undefined,
        httpStatus: err instanceof UpsError ? err.httpStatus : undefined,
      });
    });
    try {
      return await policy.execute(() => this.attempt(req));
    } finally {
      listener.dispose();
    }
  }

  /** One attempt, including the single refresh-and-retry on a rejected token. */
  private async attempt(req: UpsRequest): Promise<UpsResponse> {
    const tokens = this.options.tokens;
    let token = await tokens.getToken();
    let res = await this.exchange(req, token);
    if (res.kind === 'response' && res.status === 401 && isTokenRejection(res)) {
      tokens.invalidate(token);
      token = await tokens.getToken();
      res = await this.exchange(req, token);
    }
    return this.interpret(req, res);
  }

  private async exchange(req: UpsRequest, token: string): Promise<RawExchange> {
    const transId = newTransId();
    const url = new URL(`${this.options.baseUrl}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const pathForAudit = url.pathname + url.search;
    const headers: Record<string, string> = {
      accept: 'application/json',
      transId,
      transactionSrc: this.options.transactionSrc,
      ...req.headers,
      authorization: `Bearer ${token}`,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    const report = (partial: Partial<ExternalCall>): void => {
      this.options.onCall?.({
        system: 'ups',
        method: req.method,
        path: pathForAudit,
        durationMs: Date.now() - started,
        requestBody: req.auditBody ?? req.body,
        ...partial,
        externalIds: {
          transId,
          ...(req.customerContext ? { CustomerContext: req.customerContext } : {}),
          ...partial.externalIds,
        },
      });
    };
    let res: Response;
    let raw: string;
    try {
      res = await this.fetchFn(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(req.timeoutMs ?? this.options.timeoutMs),
      });
      raw = await res.text();
    } catch (cause) {
      const sent = !NOT_SENT_CODES.has(causeCode(cause));
      const message = networkMessage(cause);
      report({ status: null, error: message });
      return { kind: 'network', transId, sent, message, cause };
    }
    const parsed = parseBody(raw);
    const body = parsed.kind === 'json' ? parsed.value : undefined;
    const hdrError = headerError(res.headers);
    const ids: Record<string, string> = {};
    const txId = text(findTransactionIdentifier(body));
    if (txId) ids.TransactionIdentifier = txId;
    const echoed = text(findCustomerContext(body));
    if (echoed) ids.CustomerContext = echoed;
    const backend = text(res.headers.get('bkndtransid') ?? undefined);
    if (backend) ids.bkndtransid = backend;
    report({
      status: res.status,
      externalIds: ids,
      responseBody: parsed.kind === 'malformed' ? { unparsed: raw.slice(0, 2000) } : body,
      error: hdrError ? `${hdrError.code} ${hdrError.message}`.trim() : null,
    });
    return { kind: 'response', transId, status: res.status, headers: res.headers, parsed, body, hdrError };
  }

  private interpret(req: UpsRequest, ex: RawExchange): UpsResponse {
    const op = req.operation;
    if (ex.kind === 'network') {
      if (req.nonIdempotent && ex.sent) {
        throw new UpsInDoubtError({
          operation: op,
          upsMessage: ex.message,
          transId: ex.transId,
          cause: ex.cause,
        });
      }
      throw new UpsError({
        kind: 'transient',
        operation: op,
        upsMessage: ex.message,
        transId: ex.transId,
        cause: ex.cause,
      });
    }
    const { status, parsed, hdrError, transId } = ex;
    const details: UpsErrorDetail[] = parsed.kind === 'json' ? errorDetails(parsed.value) : [];
    if (details.length === 0 && hdrError) details.push(hdrError);
    const first = details[0];
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(ex.headers.get('retry-after')) : undefined;
    const inDoubt = req.nonIdempotent === true;

    if (status >= 200 && status < 300) {
      // HTTP 200 with an empty body and the error only in headers: UPS answered and refused.
      if (parsed.kind === 'empty' && hdrError) {
        throw new UpsError({
          kind: classify(400, hdrError.code),
          operation: op,
          httpStatus: status,
          code: hdrError.code || undefined,
          upsMessage: hdrError.message || undefined,
          errors: details,
          transId,
        });
      }
      if (parsed.kind === 'malformed' || (parsed.kind === 'empty' && req.method !== 'DELETE')) {
        const message =
          parsed.kind === 'malformed' ? 'unreadable JSON in UPS response' : 'empty UPS response';
        if (inDoubt)
          throw new UpsInDoubtError({ operation: op, httpStatus: status, upsMessage: message, transId });
        throw new UpsError({
          kind: 'transient',
          operation: op,
          httpStatus: status,
          upsMessage: message,
          transId,
        });
      }
      return { status, body: ex.body, headers: ex.headers, transId };
    }

    // 429 and a rejected token are answered at UPS's gateway, before any shipment is created.
    const surelyNotProcessed = status === 429 || status === 401;
    const kind = classify(status, first?.code);
    if (inDoubt && kind === 'transient' && !surelyNotProcessed) {
      throw new UpsInDoubtError({
        operation: op,
        httpStatus: status,
        code: first?.code,
        upsMessage: first?.message,
        errors: details,
        transId,
      });
    }
    throw new UpsError({
      kind,
      operation: op,
      httpStatus: status,
      code: first?.code,
      upsMessage: first?.message ?? (parsed.kind === 'malformed' ? 'unreadable error body' : undefined),
      errors: details,
      transId,
      retryAfterMs,
    });
  }
}

type RawExchange =
  | { kind: 'network'; transId: string; sent: boolean; message: string; cause: unknown }
  | {
      kind: 'response';
      transId: string;
      status: number;
      headers: Headers;
      parsed: ReturnType<typeof parseBody>;
      body: unknown;
      hdrError: UpsErrorDetail | undefined;
    };

function isTokenRejection(ex: RawExchange): boolean {
  if (ex.kind !== 'response') return false;
  const details = ex.parsed.kind === 'json' ? errorDetails(ex.parsed.value) : [];
  if (details.length === 0 && !ex.hdrError) return true;
  const codes = details.map((d) => d.code).concat(ex.hdrError ? [ex.hdrError.code] : []);
  return codes.some((c) => TOKEN_REJECTED_CODES.has(c));
}

/** Exponential backoff with full jitter: random in [base, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, cfg: RetryOptions, random: () => number): number {
  const ceiling = Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cfg.baseDelayMs + random() * Math.max(0, ceiling - cfg.baseDelayMs));
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function causeCode(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

function networkMessage(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timed out';
  const code = causeCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  return code ? `${msg} (${code})` : msg;
}

function findTransactionIdentifier(body: unknown): unknown {
  const root = body && typeof body === 'object' ? Object.values(body)[0] : undefined;
  return pick(root, 'Response', 'TransactionReference', 'TransactionIdentifier');
}

function findCustomerContext(body: unknown): unknown {
  const root = body && typeof body === 'object' ? Object.values(body)[0] : undefined;
  return pick(root, 'Response', 'TransactionReference', 'CustomerContext');
}
