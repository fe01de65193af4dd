/**
 * Operator API authentication: a static bearer token per tenant (passport + passport-http-bearer, no
 * session). The token is checked against the digest stored for the tenant named in the path
 * (`/tenants/:tenantId/...`), so a token for tenant A never opens tenant B. Unknown tenants, inactive
 * tenants, tenants without a token and wrong tokens all get the same 401, and a digest is compared even
 * when there is none to compare with, so neither the answer nor its timing tells which tenants exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { Storage } from '../storage/index.js';

export interface OperatorPrincipal {
  tenantId: string;
}

export interface OperatorAuthDeps {
  /**
   * Hex SHA-256 of the tenant's operator token, or undefined when the tenant is unknown, inactive or has
   * no token. Defaults to reading `settings.apiTokenSha256` of the tenant row (service/tenant-store.ts).
   */
  tokenDigestFor(tenantId: string): Promise<string | undefined>;
}

const STRATEGY = 'tenant-bearer';
const REALM = 'fusion-ups operator API';
/** Compared against when the tenant has no digest, so a miss costs the same as a wrong token. */
const NO_DIGEST = Buffer.alloc(32);

export function sha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time check of a presented token against a stored hex digest (undefined → always false). */
export function tokenMatches(presented: string, storedHex: string | undefined): boolean {
  const stored = storedHex && /^[0-9a-f]{64}$/i.test(storedHex) ? Buffer.from(storedHex, 'hex') : undefined;
  const equal = timingSafeEqual(sha256(presented), stored ?? NO_DIGEST);
  return equal && stored !== undefined;
}

/** Reads the digest saved by `saveTenant`; inactive tenants are not served. */
export function storedTokenDigests(storage: Pick<Storage, 'repos'>): OperatorAuthDeps {
  return {
    async tokenDigestFor(tenantId) {
      const tenant = await storage.repos.tenants.get(tenantId);
      if (!tenant?.active) return undefined;
      const digest = tenant.settings.apiTokenSha256;
      return typeof digest === 'string' ? digest : undefined;
    },
  };
}

/**
 * Middleware that admits a request only with the bearer token of `req.params.tenantId`. Mount it where
 * that parameter is in scope, e.g. `router.use('/tenants/:tenantId', operatorAuth(deps))`.
 */
export function operatorAuth(deps: OperatorAuthDeps): RequestHandler {
  const passport = new Passport();
  passport.use(
    STRATEGY,
    new BearerStrategy(
      { passReqToCallback: true, realm: REALM },
      (req: Request, token: string, done: (error: unknown, user?: OperatorPrincipal | false) => void) => {
        const tenantId = String(req.params.tenantId ?? '');
        deps.tokenDigestFor(tenantId).then(
          (digest) => done(null, tokenMatches(token, digest) ? { tenantId } : false),
          (error: unknown) => done(error),
        );
      },
    ),
  );
  const initialized = passport.initialize();
  return (req: Request, res: Response, next: NextFunction) => {
    initialized(req, res, (err?: unknown) => {
      if (err) return next(err);
      const authenticate = passport.authenticate(
        STRATEGY,
        { session: false },
        (error: unknown, user: OperatorPrincipal | false) => {
          if (error) return next(error);
          if (!user || user.tenantId !== req.params.tenantId) {
            res.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
            res.status(401).json({
              error: 'unauthorized',
              message: "a valid bearer token for this tenant's operator API is required",
            });
            return;
          }
          req.user = user;
          next();
        },
      ) as RequestHandler;
      void authenticate(req, res, next);
    });
  };
}
