/**
 * UPS OAuth client-credentials tokens (ups.md §1): one manager per (client id, merchant id), cached,
 * single-flight, renewed before `expires_in` runs out, invalidated when UPS rejects it. Never a token per
 * call — UPS answers that with 429 (ISS 123).
 */
import type { ExternalCall } from '../audit/audit-entry.js';
import { UpsError, classify } from './errors.js';
import { errorDetails, parseBody, pick, text } from './normalise.js';

export const TOKEN_PATH = '/security/v1/oauth/token';

export interface TokenManagerOptions {
  /** Host root, e.g. https://wwwcie.ups.com (the token path has no /api prefix). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantId?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  onCall?: (call: ExternalCall) => void;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which we no longer use it (expiry minus margin). */
  renewAt: number;
  expiresAt: number;
}

/** Renew at the earlier of 60 s or 10 % of the lifetime before expiry (UPS's samples use 5–10 s). */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.floor(lifetimeMs * 0.1));
}

export class UpsTokenManager {
  private cached: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  /** Number of token requests sent; for diagnostics and tests. */
  fetchCount = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  get key(): string {
    return tokenKey(this.options);
  }

  /** A valid access token; concurrent callers share one fetch. */
  async getToken(): Promise<string> {
    const c = this.cached;
    if (c && this.now() < c.renewAt) return c.accessToken;
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    const fresh = await this.inflight;
    return fresh.accessToken;
  }

  /** Forget `token` if it is still the cached one (a 401 said it is no longer good). */
  invalidate(token: string): void {
    if (this.cached?.accessToken === token) this.cached = undefined;
  }

  /** Expiry of the cached token, if any (epoch ms). */
  get expiresAt(): number | undefined {
    return this.cached?.expiresAt;
  }

  private async fetchToken(): Promise<CachedToken> {
    const { baseUrl, clientId, clientSecret, merchantId } = this.options;
    const started = this.now();
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (merchantId) headers['x-merchant-id'] = merchantId;
    const body = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
    this.fetchCount += 1;
    let status: number | undefined;
    let responseBody: unknown;
    let error: string | undefined;
    try {
      let res: Response;
      try {
        res = await this.fetchFn(`${baseUrl}${TOKEN_PATH}`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        });
      } catch (cause) {
        throw new UpsError({
          kind: 'transient',
          operation: 'token',
          upsMessage: `token request failed: ${(cause as Error).message}`,
          cause,
        });
      }
      status = res.status;
      const parsed = parseBody(await res.text());
      responseBody = parsed.kind === 'json' ? redactToken(parsed.value) : undefined;
      if (res.status !== 200 || parsed.kind !== 'json') {
        const detail = parsed.kind === 'json' ? errorDetails(parsed.value)[0] : undefined;
        throw new UpsError({
          kind: res.status === 200 ? 'transient' : classify(res.status, detail?.code),
          operation: 'token',
          httpStatus: res.status,
          code: detail?.code,
          upsMessage: detail?.message ?? (parsed.kind === 'json' ? undefined : 'unreadable token response'),
          retryAfterMs: undefined,
        });
      }
      const token = this.toCached(parsed.value, started);
      this.cached = token;
      return token;
    } catch (e) {
      error = (e as Error).message;
      throw e;
    } finally {
      this.options.onCall?.({
        system: 'ups',
        method: 'POST',
        path: TOKEN_PATH,
        status: status ?? null,
        durationMs: this.now() - started,
        externalIds: merchantId ? { merchantId } : {},
        requestBody: { grant_type: 'client_credentials' },
        responseBody,
        error: error ?? null,
      });
    }
  }

  private toCached(body: unknown, requestedAt: number): CachedToken {
    const accessToken = text(pick(body, 'access_token'));
    const expiresIn = Number(text(pick(body, 'expires_in')));
    if (!accessToken || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new UpsError({
        kind: 'transient',
        operation: 'token',
        httpStatus: 200,
        upsMessage: 'token response without access_token or expires_in',
      });
    }
    const lifetimeMs = expiresIn * 1000;
    // issued_at is UPS's clock; never trust it beyond our own request time (clock skew would extend it).
    const issuedAt = Number(text(pick(body, 'issued_at')));
    const start = Number.isFinite(issuedAt) && issuedAt > 0 ? Math.min(issuedAt, requestedAt) : requestedAt;
    const expiresAt = start + lifetimeMs;
    return { accessToken, expiresAt, renewAt: expiresAt - renewalMarginMs(lifetimeMs) };
  }
}

function redactToken(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const copy = { ...(body as Record<string, unknown>) };
    if ('access_token' in copy) copy.access_token = '[redacted]';
    if ('refresh_token' in copy) copy.refresh_token = '[redacted]';
    return copy;
  }
  return body;
}

export function tokenKey(o: Pick<TokenManagerOptions, 'baseUrl' | 'clientId' | 'merchantId'>): string {
  return `${o.baseUrl}|${o.clientId}|${o.merchantId ?? ''}`;
}

/**
 * Shares token managers between clients built for the same (host, client id, merchant id), so two parts of
 * the connector never hold two tokens for one identity. A changed secret replaces the manager.
 */
export class TokenManagerRegistry {
  private readonly managers = new Map<string, { secret: string; manager: UpsTokenManager }>();

  get(options: TokenManagerOptions): UpsTokenManager {
    const key = tokenKey(options);
    const existing = this.managers.get(key);
    if (existing && existing.secret === options.clientSecret) return existing.manager;
    const manager = new UpsTokenManager(options);
    this.managers.set(key, { secret: options.clientSecret, manager });
    return manager;
  }
}
