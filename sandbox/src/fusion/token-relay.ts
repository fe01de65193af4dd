/**
 * Fusion's token relay (fusion.md §6): `GET /fscmRestApi/tokenrelay`, called with the user's session (here
 * Basic), returns a Fusion-issued RS256 JWT for that user, valid 4 h (`expires_in` in milliseconds), that
 * works as a Bearer token on Fusion REST. The public key is published through the scenario API as a JWKS,
 * so an embedding app (e.g. the tracking timeline) can validate the JWTs Fusion hands it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import express, { type Router } from 'express';
import { currentUser } from './auth.js';
import type { FusionState } from './state.js';

const RELAY_TTL_MS = 4 * 3600_000;

export class TokenRelay {
  private keys: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | null = null;

  constructor(private readonly state: FusionState) {}

  /** Generated on first use: RSA key generation is slow, and most test runs never need it. */
  private keyPair() {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const der = publicKey.export({ type: 'spki', format: 'der' });
      this.keys = {
        privateKey,
        publicKey,
        kid: createHash('sha256').update(der).digest('base64url').slice(0, 27),
      };
    }
    return this.keys;
  }

  issue(username: string): { token: string; expiresInMs: number } {
    const { privateKey, kid } = this.keyPair();
    const nowMs = this.state.clock.nowMs();
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = enc({ alg: 'RS256', typ: 'JWT', x5t: kid, kid });
    const payload = enc({
      iss: 'www.oracle.com',
      prn: username,
      sub: username,
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor((nowMs + RELAY_TTL_MS) / 1000),
      jti: randomBytes(8).toString('hex'),
    });
    const token = `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    this.state.tokens.set(token, {
      token,
      username,
      clientId: 'fusion-token-relay',
      scope: '',
      expiresAtMs: nowMs + RELAY_TTL_MS,
      revoked: false,
    });
    return { token, expiresInMs: RELAY_TTL_MS };
  }

  jwks(): { keys: Record<string, unknown>[] } {
    const { publicKey, kid } = this.keyPair();
    return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  }

  routes(): Router {
    const router = express.Router();
    router.get('/fscmRestApi/tokenrelay', (_req, res) => {
      const user = currentUser(res);
      const { token, expiresInMs } = this.issue(user.username);
      res
        .set('Cache-Control', 'no-store')
        .json({ principal: user.username, expires_in: expiresInMs, token_type: 'JWT', access_token: token });
    });
    return router;
  }
}
