/**
 * Authentication as a Fusion pod and its OCI IAM identity domain do it (fusion.md §6): Basic with a Fusion
 * user, or a Bearer token from `POST /oauth2/v1/token` (client credentials, or a JWT user assertion).
 * Tokens live on the sandbox clock, so tests expire them by advancing the clock.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { verifyAssertion } from './jwt-assertion.js';
import type { FusionState, IssuedToken, OAuthClient, User } from './state.js';

export const DEFAULT_SCOPE = 'urn:opc:resource:fa:instanceid=sandbox';
const CONSUMER_ALL = 'urn:opc:resource:consumer::all';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function decodeBasic(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export interface AuthOptions {
  tokenTtlSeconds: number;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

/** Accepts `<primary audience>`, `<audience>urn:opc:resource:consumer::all` (as in Fusion configs) or space-separated. */
function scopeAllowed(requested: string, allowed: string[]): boolean {
  const parts = requested.split(/\s+/).filter(Boolean);
  if (parts.length === 0) return false;
  return parts.every((p) => {
    const base = p.endsWith(CONSUMER_ALL) && p !== CONSUMER_ALL ? p.slice(0, -CONSUMER_ALL.length) : p;
    return allowed.includes(base) || p === CONSUMER_ALL;
  });
}

/** The identity domain's token endpoint. */
export function tokenRoutes(state: FusionState, options: AuthOptions): Router {
  const router = express.Router();
  const signingKey = randomBytes(32);

  const issue = (username: string, clientId: string, scope: string): IssuedToken => {
    const nowS = Math.floor(state.clock.nowMs() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sandbox' }));
    const payload = b64url(
      JSON.stringify({
        iss: 'https://identity.oraclecloud.com/',
        sub: username,
        client_id: clientId,
        scope,
        iat: nowS,
        exp: nowS + options.tokenTtlSeconds,
        jti: randomBytes(8).toString('hex'),
      }),
    );
    const sig = b64url(createHmac('sha256', signingKey).update(`${header}.${payload}`).digest());
    const token: IssuedToken = {
      token: `${header}.${payload}.${sig}`,
      username,
      clientId,
      scope,
      expiresAtMs: state.clock.nowMs() + options.tokenTtlSeconds * 1000,
      revoked: false,
    };
    state.tokens.set(token.token, token);
    return token;
  };

  router.post('/oauth2/v1/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const client = authenticateClient(state, req.get('authorization'), body);
    if (!client) return oauthError(res, 401, 'invalid_client', 'Client authentication failed.');
    const scope = body.scope ?? '';
    if (!scopeAllowed(scope, client.allowedScopes)) {
      return oauthError(
        res,
        400,
        'invalid_scope',
        `The requested scope is invalid, unknown, or malformed: "${scope}".`,
      );
    }
    let username: string;
    if (body.grant_type === 'client_credentials') {
      username = client.username;
    } else if (body.grant_type === JWT_BEARER) {
      const claims = verifyAssertion(
        client.trustedPublicKeys,
        body.assertion,
        client.clientId,
        state.clock.nowMs(),
      );
      if ('error' in claims) return oauthError(res, 400, 'invalid_grant', claims.error);
      if (!claims.sub || !state.users.has(claims.sub)) {
        return oauthError(
          res,
          400,
          'invalid_grant',
          `The assertion subject ${claims.sub ?? ''} is not a user.`,
        );
      }
      username = claims.sub;
    } else {
      return oauthError(
        res,
        400,
        'unsupported_grant_type',
        `Grant type ${body.grant_type ?? '(none)'} is not supported.`,
      );
    }
    const token = issue(username, client.clientId, scope);
    res.set('Cache-Control', 'no-store').json({
      access_token: token.token,
      token_type: 'Bearer',
      expires_in: options.tokenTtlSeconds,
    });
  });
  return router;
}

/** Client secret (Basic header or form), or a `client_assertion` signed with one of the client's keys. */
function authenticateClient(
  state: FusionState,
  authorization: string | undefined,
  body: Record<string, string | undefined>,
): OAuthClient | undefined {
  if (body.client_assertion_type === CLIENT_ASSERTION_TYPE) {
    const client = body.client_id ? state.clients.get(body.client_id) : undefined;
    if (!client) return undefined;
    const claims = verifyAssertion(
      client.trustedPublicKeys,
      body.client_assertion,
      client.clientId,
      state.clock.nowMs(),
    );
    return 'error' in claims || claims.sub !== client.clientId ? undefined : client;
  }
  const basic = decodeBasic(authorization);
  const clientId = basic?.id ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  const client = clientId ? state.clients.get(clientId) : undefined;
  return client && secret !== undefined && safeEqual(secret, client.clientSecret) ? client : undefined;
}

function unauthorized(res: Response, scheme: 'Basic' | 'Bearer', why: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', scheme === 'Basic' ? 'Basic realm="fusion"' : 'Bearer error="invalid_token"')
    .type('text/plain')
    .send(why);
}

/** Basic or Bearer on every Fusion REST call; sets res.locals.user. */
export function requireAuth(state: FusionState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const basic = decodeBasic(header);
    if (basic) {
      const user = state.users.get(basic.id);
      if (!user || !safeEqual(basic.secret, user.password))
        return unauthorized(res, 'Basic', 'Authentication failed.');
      res.locals.user = user;
      return next();
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (bearer) {
      const token = state.tokens.get(bearer[1]!);
      if (!token || token.revoked)
        return unauthorized(res, 'Bearer', 'The access token is invalid or revoked.');
      if (token.expiresAtMs <= state.clock.nowMs())
        return unauthorized(res, 'Bearer', 'The access token has expired.');
      const user = state.users.get(token.username);
      if (!user) return unauthorized(res, 'Bearer', 'The token user no longer exists.');
      res.locals.user = user;
      return next();
    }
    unauthorized(res, 'Basic', 'Authentication is required.');
  };
}

export function currentUser(res: Response): User {
  return res.locals.user as User;
}

/** Data security: which business units' documents a user may see (fusion.md §2.2). */
export function canSeeBu(user: User, buId: unknown): boolean {
  if (user.dataAccess === 'all') return true;
  return typeof buId === 'number' && user.dataAccess.includes(buId);
}
