/**
 * KEKs kept in OCI Vault (KMS): data keys are wrapped and unwrapped by the KMS `encrypt` / `decrypt`
 * operations on the vault's crypto endpoint, so the master key never leaves the HSM.
 *
 *   POST {cryptoEndpoint}/20180608/encrypt  {keyId, plaintext (base64), associatedData}  → {ciphertext}
 *   POST {cryptoEndpoint}/20180608/decrypt  {keyId, ciphertext, associatedData}          → {plaintext}
 *
 * Requests to OCI must carry an OCI HTTP signature (draft-cavage, RSA-SHA256 over date, (request-target),
 * host, content-length, content-type, x-content-sha256) made with an API key or an instance/resource
 * principal token. That signer is an injected `OciRequestSigner`.
 *
 * `OciApiKeySigner` (oci-request-signer.ts) signs with a user API key. GAP: instance and resource principals
 * are not implemented; `unimplementedOciSigner` fails every call saying so. The KMS request/response
 * handling here is tested over loopback HTTP against a stand-in KMS; no test reaches real OCI.
 *
 * Key ids in sealed strings are short aliases (OCIDs contain dots); `keys` maps alias → key OCID, first active.
 */
import { KEY_ID_PATTERN, type KeyProvider, type WrappedKey } from './key-provider.js';
import { VaultError } from './vault-error.js';

export interface OciSignableRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface OciRequestSigner {
  /** Returns the headers to add (authorization, date, x-content-sha256, …) for this exact request. */
  sign(request: OciSignableRequest): Promise<Record<string, string>>;
}

export const unimplementedOciSigner: OciRequestSigner = {
  async sign() {
    throw new VaultError(
      'provider',
      'OCI Vault: instance-principal signing is not implemented in this build; use an API key (CONNECTOR_OCI_AUTH=api-key) or CONNECTOR_VAULT_PROVIDER=env',
    );
  },
};

export interface OciVaultKeyProviderOptions {
  /** The vault's crypto endpoint, e.g. https://xxxx-crypto.kms.eu-frankfurt-1.oraclecloud.com */
  cryptoEndpoint: string;
  /** alias → master encryption key OCID; the first is active. */
  keys: Array<{ id: string; keyOcid: string }>;
  signer: OciRequestSigner;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class OciVaultKeyProvider implements KeyProvider {
  readonly activeKeyId: string;
  readonly keyIds: readonly string[];
  readonly source = 'OCI Vault';
  private readonly ocids: Map<string, string>;
  private readonly endpoint: string;

  constructor(private readonly options: OciVaultKeyProviderOptions) {
    const first = options.keys[0];
    if (!first)
      throw new VaultError('config', 'OCI Vault: at least one key (alias and key OCID) is required');
    for (const k of options.keys) {
      if (!KEY_ID_PATTERN.test(k.id))
        throw new VaultError(
          'config',
          `OCI Vault: key alias "${k.id}" must be 1–64 letters, digits, "-" or "_"`,
        );
    }
    this.ocids = new Map(options.keys.map((k) => [k.id, k.keyOcid]));
    this.activeKeyId = first.id;
    this.keyIds = options.keys.map((k) => k.id);
    this.endpoint = options.cryptoEndpoint.replace(/\/+$/, '');
  }

  async wrap(dek: Buffer): Promise<WrappedKey> {
    const keyId = this.activeKeyId;
    const body = await this.call('encrypt', keyId, { plaintext: dek.toString('base64') });
    if (typeof body.ciphertext !== 'string' || body.ciphertext === '') {
      throw new VaultError('provider', `OCI Vault encrypt returned no ciphertext (key ${keyId})`, keyId);
    }
    return { keyId, wrapped: Buffer.from(body.ciphertext, 'utf8') };
  }

  async unwrap(keyId: string, wrapped: Buffer): Promise<Buffer> {
    const body = await this.call('decrypt', keyId, { ciphertext: wrapped.toString('utf8') });
    const dek = typeof body.plaintext === 'string' ? Buffer.from(body.plaintext, 'base64') : Buffer.alloc(0);
    if (dek.length !== 32) {
      throw new VaultError(
        'unwrap-failed',
        `credential could not be decrypted: OCI Vault returned no valid data key (key id ${keyId})`,
        keyId,
      );
    }
    return dek;
  }

  private async call(
    op: 'encrypt' | 'decrypt',
    keyId: string,
    fields: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const keyOcid = this.ocids.get(keyId);
    if (!keyOcid) {
      throw new VaultError(
        'unknown-key',
        `credential could not be decrypted: key id "${keyId}" is not configured for OCI Vault (it has ${this.keyIds.join(', ')})`,
        keyId,
      );
    }
    const url = `${this.endpoint}/20180608/${op}`;
    // associatedData binds the wrapped key to its alias, as the env provider does with AAD.
    const body = JSON.stringify({
      keyId: keyOcid,
      ...fields,
      associatedData: { purpose: 'fusion-ups-connector/dek/v1', alias: keyId },
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    Object.assign(
      headers,
      await this.options.signer.sign({ method: 'POST', url, headers: { ...headers }, body }),
    );
    // fetch sets host and content-length itself, to the same values that were signed.
    delete headers.host;
    delete headers['content-length'];
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new VaultError(
        'provider',
        `OCI Vault ${op} at ${this.endpoint} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        keyId,
        { cause },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const code = safeCode(text);
      if (
        op === 'decrypt' &&
        (response.status === 400 || response.status === 404 || response.status === 409)
      ) {
        throw new VaultError(
          'unwrap-failed',
          `credential could not be decrypted: OCI Vault refused the wrapped key (HTTP ${response.status}${code}, key id ${keyId})`,
          keyId,
        );
      }
      throw new VaultError(
        'provider',
        `OCI Vault ${op} at ${this.endpoint} answered HTTP ${response.status}${code} (key id ${keyId})`,
        keyId,
      );
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new VaultError(
        'provider',
        `OCI Vault ${op} returned a body that is not JSON (key id ${keyId})`,
        keyId,
      );
    }
  }
}

/** OCI error bodies are {code, message}; only the code is echoed (messages could quote input). */
function safeCode(text: string): string {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? ` ${code}` : '';
  } catch {
    return '';
  }
}
