/**
 * Credentials for Fusion REST (fusion.md §6): Basic over HTTPS, or an OAuth 2.0 bearer token from the pod's
 * OCI IAM identity domain, by client credentials or by a JWT user assertion (act as a named Fusion user).
 *
 * Tokens are cached, fetched single-flight (concurrent callers share one request), refreshed a little
 * before `expires_in` runs out, and dropped after a 401 so the next call fetches a new one.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import type { ExternalCall } from '../audit/audit-entry.js';
import { FusionError } from './errors.js';

export type FusionAuthConfig =
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth';
      /** Identity domain token endpoint, e.g. https://idcs-….identity.oraclecloud.com/oauth2/v1/token */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      /** e.g. urn:opc:resource:fa:instanceid=<id>urn:opc:resource:consumer::all */
      scope: string;
    }
  | {
      kind: 'jwt';
      tokenUrl: string;
      clientId: string;
      /** Confidential app secret; without it the client authenticates with a signed client assertion. */
      clientSecret?: string;
      scope: string;
      /** The Fusion user the connector acts as (JWT `sub`). */
      username: string;
      /** PKCS#8 PEM of the key whose certificate is trusted by the confidential application. */
      privateKeyPem: string;
      /** Certificate alias uploaded to the app (JWT header `kid`). */
      keyId?: string;
      algorithm?: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256';
      /** JWT `aud`; Oracle IAM expects https://identity.oraclecloud.com/ */
      audience?: string;
      /** JWT `iss`; defaults to the client id. */
      issuer?: string;
      assertionTtlSeconds?: number;
    };

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEFAULT_AUDIENCE = 'https://identity.oraclecloud.com/';

export interface AuthProvider {
  readonly kind: FusionAuthConfig['kind'];
  /** The Authorization header value to send now. */
  authorization(): Promise<string>;
  /**
   * Called after a 401 with the header value that was rejected. Returns true when a retry with a new
   * credential makes sense (a token that can be refreshed); Basic credentials cannot get better by retrying.
   */
  rejected(authorization: string): boolean;
}

export interface AuthDeps {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  onCall?: (call: ExternalCall) => void;
}

export function createAuthProvider(config: FusionAuthConfig, deps: AuthDeps): AuthProvider {
  if (config.kind === 'basic') {
    if (!config.username || !config.password)
      throw new Error('Fusion basic auth needs a username and a password');
    const header = `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
    return { kind: 'basic', authorization: async () => header, rejected: () => false };
  }
  return new TokenAuth(config, deps);
}

interface CachedToken {
  header: string;
  refreshAt: number;
}

class TokenAuth implements AuthProvider {
  readonly kind: 'oauth' | 'jwt';
  private cached: CachedToken | null = null;
  private inFlight: Promise<CachedToken> | null = null;

  constructor(
    private readonly config: Extract<FusionAuthConfig, { kind: 'oauth' | 'jwt' }>,
    private readonly deps: AuthDeps,
  ) {
    this.kind = config.kind;
    if (!config.tokenUrl || !config.clientId || !config.scope) {
      throw new Error(`Fusion ${config.kind} auth needs tokenUrl, clientId and scope`);
    }
  }

  async authorization(): Promise<string> {
    const c = this.cached;
    if (c && this.deps.now() < c.refreshAt) return c.header;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = null;
    });
    const fresh = await this.inFlight;
    return fresh.header;
  }

  rejected(authorization: string): boolean {
    // Only drop the token that failed: a concurrent caller may already have fetched a newer one.
    if (this.cached?.header === authorization) this.cached = null;
    return true;
  }

  private async fetchToken(): Promise<CachedToken> {
    const form = new URLSearchParams();
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
      Accept: 'application/json',
    };
    if (this.config.kind === 'oauth') {
      form.set('grant_type', 'client_credentials');
      headers.Authorization = basic(this.config.clientId, this.config.clientSecret);
    } else {
      form.set('grant_type', JWT_BEARER_GRANT);
      form.set('assertion', await this.assertion(this.config.username));
      if (this.config.clientSecret) {
        headers.Authorization = basic(this.config.clientId, this.config.clientSecret);
      } else {
        form.set('client_id', this.config.clientId);
        form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
        form.set('client_assertion', await this.assertion(this.config.clientId));
      }
    }
    form.set('scope', this.config.scope);

    const started = this.deps.now();
    const path = safePath(this.config.tokenUrl);
    let response: Response;
    try {
      response = await this.deps.fetch(this.config.tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      this.report({ path, status: null, started, error: message });
      throw new FusionError({ kind: 'transient', operation: 'token request', fusionMessage: message, cause });
    }
    const text = await response.text();
    this.report({
      path,
      status: response.status,
      started,
      error: response.ok ? null : `HTTP ${response.status}`,
    });
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    if (!response.ok) {
      const description = [body.error, body.error_description]
        .filter((s) => typeof s === 'string')
        .join(': ');
      throw new FusionError({
        kind: response.status >= 500 || response.status === 429 ? 'transient' : 'auth',
        operation: 'token request',
        httpStatus: response.status,
        fusionMessage: description || `token endpoint answered HTTP ${response.status}`,
      });
    }
    const token = body.access_token;
    if (typeof token !== 'string' || !token) {
      throw new FusionError({
        kind: 'auth',
        operation: 'token request',
        httpStatus: response.status,
        fusionMessage: 'token response has no access_token',
      });
    }
    const expiresInSec = Number(body.expires_in ?? 3600);
    const lifetimeMs = (Number.isFinite(expiresInSec) && expiresInSec > 0 ? expiresInSec : 3600) * 1000;
    // Refresh ahead: 10% of the lifetime, at most a minute, so a call never leaves with a token about to expire.
    const margin = Math.min(60_000, lifetimeMs * 0.1);
    const cached = { header: `Bearer ${token}`, refreshAt: this.deps.now() + lifetimeMs - margin };
    this.cached = cached;
    return cached;
  }

  private async assertion(subject: string): Promise<string> {
    const c = this.config as Extract<FusionAuthConfig, { kind: 'jwt' }>;
    const alg = c.algorithm ?? 'RS256';
    const key = await importPKCS8(c.privateKeyPem, alg);
    const nowSec = Math.floor(this.deps.now() / 1000);
    const header: { alg: string; typ: string; kid?: string } = { alg, typ: 'JWT' };
    if (c.keyId) header.kid = c.keyId;
    return new SignJWT({})
      .setProtectedHeader(header)
      .setSubject(subject)
      .setIssuer(c.issuer ?? c.clientId)
      .setAudience(c.audience ?? DEFAULT_AUDIENCE)
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + (c.assertionTtlSeconds ?? 300))
      .setJti(randomUUID())
      .sign(key);
  }

  private report(r: { path: string; status: number | null; started: number; error: string | null }) {
    this.deps.onCall?.({
      system: 'fusion',
      method: 'POST',
      path: r.path,
      status: r.status,
      durationMs: Math.max(0, this.deps.now() - r.started),
      error: r.error,
    });
  }
}

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(user)}:${encodeURIComponent(secret)}`, 'utf8').toString('base64')}`;

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid token URL)';
  }
}
