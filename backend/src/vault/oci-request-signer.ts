/**
 * OCI API request signing, version 1 (draft-cavage-http-signatures-08 with RSA-SHA256), for a user API key:
 * keyId = "<tenancy OCID>/<user OCID>/<key fingerprint>". Signed headers: date, (request-target), host, and
 * for requests with a body content-length, content-type and x-content-sha256.
 * Checked against the signing strings and signatures Oracle publishes for its SDKs (see the test).
 *
 * Instance and resource principals (tokens from the instance metadata service) are not implemented.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { OciRequestSigner, OciSignableRequest } from './oci-vault-key-provider.js';
import { VaultError } from './vault-error.js';

export interface OciApiKey {
  tenancyOcid: string;
  userOcid: string;
  /** The API key's fingerprint as the console shows it (aa:bb:…). */
  fingerprint: string;
  /** PEM text of the private key. */
  privateKey: string;
  passphrase?: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The headers to sign, in order, and their values; exported for the test against Oracle's vectors. */
export function signedHeaders(
  request: { method: string; url: string; body?: string; contentType?: string },
  date: string,
): Array<[string, string]> {
  const url = new URL(request.url);
  const headers: Array<[string, string]> = [
    ['date', date],
    ['(request-target)', `${request.method.toLowerCase()} ${url.pathname}${url.search}`],
    ['host', url.host],
  ];
  if (BODY_METHODS.has(request.method.toUpperCase())) {
    const body = request.body ?? '';
    headers.push(
      ['content-length', String(Buffer.byteLength(body, 'utf8'))],
      ['content-type', request.contentType ?? 'application/json'],
      ['x-content-sha256', createHash('sha256').update(body, 'utf8').digest('base64')],
    );
  }
  return headers;
}

export function signingString(headers: Array<[string, string]>): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

export class OciApiKeySigner implements OciRequestSigner {
  private readonly key: KeyObject;
  private readonly keyId: string;

  constructor(
    apiKey: OciApiKey,
    private readonly now: () => Date = () => new Date(),
  ) {
    try {
      this.key = createPrivateKey({ key: apiKey.privateKey, passphrase: apiKey.passphrase });
    } catch {
      // The driver's message can quote key material; say only what to check.
      throw new VaultError(
        'config',
        'OCI Vault: the API private key could not be read (PEM format, passphrase)',
      );
    }
    this.keyId = `${apiKey.tenancyOcid}/${apiKey.userOcid}/${apiKey.fingerprint}`;
  }

  async sign(request: OciSignableRequest): Promise<Record<string, string>> {
    const contentType = Object.entries(request.headers).find(
      ([k]) => k.toLowerCase() === 'content-type',
    )?.[1];
    const headers = signedHeaders({ ...request, contentType }, this.now().toUTCString());
    const signature = sign('sha256', Buffer.from(signingString(headers), 'utf8'), this.key).toString(
      'base64',
    );
    const out: Record<string, string> = Object.fromEntries(
      headers.filter(([name]) => name !== '(request-target)'),
    );
    out.authorization =
      `Signature version="1",headers="${headers.map(([name]) => name).join(' ')}",` +
      `keyId="${this.keyId}",algorithm="rsa-sha256",signature="${signature}"`;
    return out;
  }
}
