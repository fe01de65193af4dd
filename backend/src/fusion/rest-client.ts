/**
 * HTTP to Fusion REST: credentials, the pinned REST-Framework-Version, JSON, per-call timeouts, retries
 * with exponential backoff and full jitter for transient failures, typed errors, and one `ExternalCall`
 * report per HTTP exchange (never with the Authorization header or a token).
 *
 * REST-Framework-Version is pinned to 4 by default (fusion.md §5.5): v2 gives row-match `q`, v3 returns
 * expanded children as collections with `hasMore`, v4 returns errors as JSON; v5+ change LOV links and v6
 * moves links under `@context`. Every version is backward-incompatible, so the server default (1 on most
 * pods) must never be left to chance. Versions below 2 are refused because our `q` would change meaning.
 */
import { handleWhen, retry, type IBackoff, type IBackoffFactory } from 'cockatiel';
import type { ExternalCall } from '../audit/audit-entry.js';
import { buildQueryString, type AdfQuery } from './adf-query.js';
import type { AuthProvider } from './auth.js';
import { FusionError, kindForStatus, parseErrorBody } from './errors.js';

export const DEFAULT_REST_FRAMEWORK_VERSION = 4;
export const FSCM_RESOURCES = '/fscmRestApi/resources/11.13.18.05';

export const ITEM_JSON = 'application/vnd.oracle.adf.resourceitem+json';
export const ACTION_JSON = 'application/vnd.oracle.adf.action+json';

export interface RetryOptions {
  /** Attempts after the first one. */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for here: the error goes back to the caller. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
};

export interface RetryEvent {
  operation: string;
  attempt: number;
  delayMs: number;
  error: string;
}

export interface RestClientOptions {
  /** The pod origin (https://<pod>.fa.<dc>.oraclecloud.com), optionally with a path prefix. */
  baseUrl: string;
  auth: AuthProvider;
  restFrameworkVersion?: number;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onCall?: (call: ExternalCall) => void;
  onRetry?: (event: RetryEvent) => void;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A resource path under the FSCM root ("purchaseOrders"), a root-relative path ("/hcmRestApi/…"), or an href from links. */
  path: string;
  query?: AdfQuery;
  body?: unknown;
  contentType?: string;
  ifMatch?: string;
  /** Names the call in errors and retry events. */
  operation: string;
  timeoutMs?: number;
  /**
   * Whether a failed attempt may be repeated blindly. Defaults to true for GET/PATCH/DELETE. A POST that
   * creates something is retried only when the request cannot have been processed (429, 503, refused).
   */
  idempotent?: boolean;
}

export interface RestResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Headers Fusion (Oracle WebLogic / OHS) uses to identify a request for support. */
const REQUEST_ID_HEADERS = ['x-oracle-dms-ecid', 'x-oracle-dms-rid', 'x-request-id', 'opc-request-id'];

export class FusionRestClient {
  readonly origin: string;
  readonly prefix: string;
  readonly frameworkVersion: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly retryOptions: RetryOptions;

  constructor(private readonly options: RestClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    // A base URL that already names the resource root keeps it; otherwise the standard FSCM root is used.
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.frameworkVersion = options.restFrameworkVersion ?? DEFAULT_REST_FRAMEWORK_VERSION;
    if (!Number.isInteger(this.frameworkVersion) || this.frameworkVersion < 2 || this.frameworkVersion > 9) {
      throw new Error(
        `REST-Framework-Version must be an integer 2–9 (row-match q needs ≥2), got ${this.frameworkVersion}`,
      );
    }
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** The absolute URL for a request path; hrefs from links keep their path but always go to our origin. */
  url(path: string, query?: AdfQuery): string {
    let target: string;
    if (/^https?:\/\//i.test(path)) {
      // Never send credentials to a host other than the configured one, whatever a link says.
      const u = new URL(path);
      target = `${this.origin}${u.pathname}${u.search}`;
    } else if (path.startsWith('/')) {
      target = `${this.origin}${this.prefixFor(path)}${path}`;
    } else {
      const root = this.prefix.includes('/fscmRestApi/') ? this.prefix : `${this.prefix}${FSCM_RESOURCES}`;
      target = `${this.origin}${root}/${path}`;
    }
    const qs = query ? buildQueryString(query) : '';
    if (!qs) return target;
    return `${target}${target.includes('?') ? '&' : '?'}${qs}`;
  }

  private prefixFor(path: string): string {
    // A base URL prefix that already names a resource root is not repeated before another root path.
    return this.prefix.includes('RestApi/') || path.startsWith(this.prefix) ? '' : this.prefix;
  }

  async request<T = unknown>(req: RestRequest): Promise<RestResponse<T>> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const opts = this.retryOptions;
    const policy = retry(
      handleWhen((e) => isRetryable(e, idempotent, opts)),
      { maxAttempts: opts.maxRetries, backoff: new RetryAfterBackoff(opts) },
    );
    policy.onRetry((event) => {
      const error = 'error' in event ? event.error : undefined;
      this.options.onRetry?.({
        operation: req.operation,
        attempt: event.attempt,
        delayMs: event.delay,
        error: error instanceof Error ? error.message : 'retryable result',
      });
    });
    return policy.execute(() => this.withAuth<T>(req));
  }

  /** One attempt; a 401 drops the token and repeats the call once with a fresh one. */
  private async withAuth<T>(req: RestRequest): Promise<RestResponse<T>> {
    const first = await this.options.auth.authorization();
    try {
      return await this.once<T>(req, first);
    } catch (e) {
      if (e instanceof FusionError && e.httpStatus === 401 && this.options.auth.rejected(first)) {
        const second = await this.options.auth.authorization();
        return this.once<T>(req, second);
      }
      throw e;
    }
  }

  private async once<T>(req: RestRequest, authorization: string): Promise<RestResponse<T>> {
    const url = this.url(req.path, req.query);
    const path = url.slice(this.origin.length);
    const headers: Record<string, string> = {
      Authorization: authorization,
      'REST-Framework-Version': String(this.frameworkVersion),
      Accept: 'application/json',
    };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }
    if (req.ifMatch) headers['If-Match'] = req.ifMatch;

    const started = this.now();
    const report = (call: Partial<ExternalCall>) =>
      this.options.onCall?.({
        system: 'fusion',
        method: req.method,
        path,
        durationMs: Math.max(0, this.now() - started),
        ...(req.body !== undefined ? { requestBody: req.body } : {}),
        ...call,
      });

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: req.method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs),
      });
    } catch (cause) {
      const timedOut =
        cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      const message = timedOut
        ? `no answer within ${req.timeoutMs ?? this.timeoutMs} ms`
        : networkMessage(cause);
      report({ status: null, error: message });
      throw new TransportError(req.operation, message, refusedBeforeSending(cause), cause);
    }

    const text = await response.text();
    const externalIds = requestIds(response.headers);
    const requestId = Object.values(externalIds)[0];
    if (response.ok) {
      let body: unknown = text;
      if (
        text.trim() &&
        (/json/i.test(response.headers.get('content-type') ?? '') || /^[[{]/.test(text.trim()))
      ) {
        try {
          body = JSON.parse(text);
        } catch (cause) {
          report({ status: response.status, externalIds, error: 'response is not valid JSON' });
          throw new FusionError({
            kind: 'transient',
            operation: req.operation,
            httpStatus: response.status,
            fusionMessage: 'response is not valid JSON',
            requestId,
            cause,
          });
        }
      }
      report({ status: response.status, externalIds, error: null });
      return { status: response.status, body: body as T, headers: response.headers };
    }

    const parsed = parseErrorBody(text, response.headers.get('content-type'));
    const kind = kindForStatus(response.status, parsed.message);
    const retryAfterMs = retryAfter(response.headers.get('retry-after'), this.now());
    report({
      status: response.status,
      externalIds,
      error: parsed.message ?? `HTTP ${response.status}`,
      responseBody: text.length > 4000 ? `${text.slice(0, 4000)}…` : text,
    });
    throw new FusionError({
      kind,
      operation: req.operation,
      httpStatus: response.status,
      fusionMessage: parsed.message,
      errorCode: parsed.errorCode,
      requestId,
      retryAfterMs,
    });
  }
}

/** A request that never produced an HTTP answer; `refused` = it certainly did not reach Fusion. */
export class TransportError extends FusionError {
  constructor(
    operation: string,
    message: string,
    readonly refused: boolean,
    cause: unknown,
  ) {
    super({ kind: 'transient', operation, fusionMessage: message, cause });
    this.name = 'FusionTransportError';
  }
}

function isRetryable(error: Error, idempotent: boolean, opts: RetryOptions): boolean {
  if (!(error instanceof FusionError) || error.kind !== 'transient') return false;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > opts.maxRetryAfterMs) return false;
  if (idempotent) return true;
  // A create that may have been processed is left to the caller's lookup-before-create.
  if (error instanceof TransportError) return error.refused;
  return error.httpStatus === 429 || error.httpStatus === 503;
}

/** Exponential backoff with jitter (delay drawn from [bound/2, bound]), or the server's Retry-After. */
class RetryAfterBackoff implements IBackoffFactory<{ result: unknown }> {
  constructor(
    private readonly opts: RetryOptions,
    private readonly attempt = 0,
  ) {}
  next(context: { result: unknown }): IBackoff<{ result: unknown }> {
    const error = (context.result as { error?: unknown } | undefined)?.error;
    const hinted = error instanceof FusionError ? error.retryAfterMs : undefined;
    const bound = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** this.attempt);
    const duration = hinted ?? Math.round(bound / 2 + (Math.random() * bound) / 2);
    const following = new RetryAfterBackoff(this.opts, this.attempt + 1);
    return { duration, next: (ctx) => following.next(ctx) };
  }
}

function retryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function requestIds(headers: Headers): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers.get(name);
    if (v) ids[name] = v;
  }
  return ids;
}

function networkMessage(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ? `${cause.message} (${inner.code})` : cause.message;
}

function refusedBeforeSending(cause: unknown): boolean {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
