/**
 * Authentication as a Fusion pod and its OCI IAM identity domain do it (fusion.md §6): Basic with a Fusion
 * user, or a Bearer token from `POST /oauth2/v1/token` (client credentials, or a JWT user assertion).
 * Tokens live on the sandbox clock, so tests expire them by advancing the clock.
 */
import { createHmac, createPublicKey, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { FusionState, IssuedToken, User } from './state.js';

export const DEFAULT_SCOPE = 'urn:opc:resource:fa:instanceid=sandbox';
const CONSUMER_ALL = 'urn:opc:resource:consumer::all';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

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
    const basic = decodeBasic(req.get('authorization'));
    const clientId = basic?.id ?? body.client_id;
    const clientSecret = basic?.secret ?? body.client_secret;
    const client = clientId ? state.clients.get(clientId) : undefined;
    if (!client || clientSecret === undefined || !safeEqual(clientSecret, client.clientSecret)) {
      return oauthError(res, 401, 'invalid_client', 'Client authentication failed.');
    }
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
      const result = verifyUserAssertion(state, client.trustedPublicKeys, client.clientId, body.assertion);
      if (typeof result !== 'string') return oauthError(res, 400, 'invalid_grant', result.error);
      username = result;
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

/** RS256 user assertion signed by a key the client uploaded; returns the username or an error. */
function verifyUserAssertion(
  state: FusionState,
  keys: string[],
  clientId: string,
  assertion: string | undefined,
): string | { error: string } {
  const parts = (assertion ?? '').split('.');
  if (parts.length !== 3) return { error: 'The assertion is not a JWT.' };
  const [h, p, sig] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: { sub?: string; iss?: string; aud?: string | string[]; exp?: number };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { error: 'The assertion is not a JWT.' };
  }
  if (header.alg !== 'RS256') return { error: 'The assertion must be signed with RS256.' };
  const signed = keys.some((pem) =>
    verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(pem), Buffer.from(sig, 'base64url')),
  );
  if (!signed)
    return { error: 'The assertion signature does not match a trusted certificate of the client.' };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes('https://identity.oraclecloud.com/'))
    return { error: 'The assertion audience is invalid.' };
  if (claims.iss !== clientId) return { error: 'The assertion issuer must be the client id.' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= state.clock.nowMs())
    return { error: 'The assertion has expired.' };
  if (!claims.sub || !state.users.has(claims.sub))
    return { error: `The assertion subject ${claims.sub ?? ''} is not a user.` };
  return claims.sub;
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
