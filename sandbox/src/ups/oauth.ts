/**
 * POST /security/v1/oauth/token (OAuthClientCredentials.yaml) and the Bearer check of every business call.
 * Token fields are all strings; issued_at is epoch milliseconds; there is no refresh token (ups.md §1).
 */
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { UpsState, UpsToken } from './state.js';
import { E } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate } from './faults.js';

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

export function tokenBody(t: UpsToken): Record<string, string> {
  return {
    token_type: 'Bearer',
    issued_at: String(t.issuedAtMs),
    client_id: t.clientId,
    access_token: t.accessToken,
    scope: '',
    expires_in: String(t.expiresInSeconds),
    refresh_count: '0',
    status: 'approved',
  };
}

export function oauthRouter(state: UpsState, random: () => number): Router {
  const router = express.Router();
  router.post(
    '/security/v1/oauth/token',
    faultGate(state, 'token', random),
    express.urlencoded({ extended: false }),
    (req: Request, res: Response) => {
      const creds = parseBasic(req.get('authorization'));
      if (!creds) throw E.missingAuthHeader();
      const client = state.clients.get(creds.id);
      if (!client || client.clientSecret !== creds.secret) throw E.badClient();
      const grant = (req.body as Record<string, unknown> | undefined)?.grant_type;
      if (grant !== 'client_credentials') throw E.badGrant();
      const merchant = req.get('x-merchant-id');
      const token: UpsToken = {
        // UPS tokens are long opaque strings; length matters to clients that store them.
        accessToken: randomBytes(96).toString('base64url'),
        clientId: client.clientId,
        issuedAtMs: state.now(),
        expiresInSeconds: state.tokenTtlSeconds,
        revoked: false,
        ...(merchant ? { merchantId: merchant } : {}),
      };
      state.tokens.set(token.accessToken, token);
      sendOk(res, state, tokenBody(token));
    },
  );
  return router;
}

/** Resolves the calling client from `Authorization: Bearer`, or answers 401 UJ0001 / 250002 / 251004. */
export function requireBearer(state: UpsState) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header || !/^Bearer\s+\S/i.test(header)) throw E.tokenMissing();
    const token = state.tokens.get(header.replace(/^Bearer\s+/i, '').trim());
    if (!token || token.revoked) throw E.tokenInvalid();
    if (state.now() >= token.issuedAtMs + token.expiresInSeconds * 1000) throw E.tokenExpired();
    const client = state.clients.get(token.clientId);
    if (!client) throw E.tokenInvalid();
    res.locals.client = client;
    next();
  };
}
