/**
 * RS256 JWT assertions signed with a key a confidential application uploaded to the identity domain:
 * the user assertion grant (`assertion`, sub = the Fusion user) and client authentication by
 * `client_assertion` (iss = sub = client id) instead of a secret (fusion.md §6).
 */
import { createPublicKey, verify } from 'node:crypto';

export const IAM_AUDIENCE = 'https://identity.oraclecloud.com/';

export interface AssertionClaims {
  sub?: string;
  iss?: string;
  aud?: string | string[];
  exp?: number;
}

function signedByAny(keys: string[], data: string, signature: string): boolean {
  return keys.some((pem) => {
    try {
      return verify(
        'RSA-SHA256',
        Buffer.from(data),
        createPublicKey(pem),
        Buffer.from(signature, 'base64url'),
      );
    } catch {
      return false;
    }
  });
}

/** Checks shape, signature, audience, issuer and expiry; returns the claims or why it was refused. */
export function verifyAssertion(
  keys: string[],
  assertion: string | undefined,
  issuer: string,
  nowMs: number,
): AssertionClaims | { error: string } {
  const parts = (assertion ?? '').split('.');
  if (parts.length !== 3) return { error: 'The assertion is not a JWT.' };
  const [h, p, sig] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: AssertionClaims;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { error: 'The assertion is not a JWT.' };
  }
  if (header.alg !== 'RS256') return { error: 'The assertion must be signed with RS256.' };
  if (!signedByAny(keys, `${h}.${p}`, sig)) {
    return { error: 'The assertion signature does not match a trusted certificate of the client.' };
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(IAM_AUDIENCE)) return { error: 'The assertion audience is invalid.' };
  if (claims.iss !== issuer) return { error: 'The assertion issuer must be the client id.' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs)
    return { error: 'The assertion has expired.' };
  return claims;
}
