import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OciVaultKeyProvider,
  unimplementedOciSigner,
  type OciRequestSigner,
} from './oci-vault-key-provider.js';
import { Vault } from './vault.js';

/**
 * A stand-in for the OCI KMS crypto endpoint on loopback: checks the (test) signature header, and
 * encrypts/decrypts with per-OCID keys so the provider's wire handling is exercised over real HTTP.
 */
const hsm = new Map([
  ['ocid1.key.oc1.eu-frankfurt-1.aaaa', randomBytes(32)],
  ['ocid1.key.oc1.eu-frankfurt-1.bbbb', randomBytes(32)],
]);
let server: Server;
let endpoint: string;
const seen: Array<{ path: string; body: Record<string, unknown> }> = [];

const testSigner: OciRequestSigner = {
  async sign(req) {
    const digest = createHash('sha256').update(req.body).digest('base64');
    return { 'x-content-sha256': digest, authorization: `Signature keyId="test",signature="${digest}"` };
  },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const body = JSON.parse(text) as { keyId: string; plaintext?: string; ciphertext?: string };
      seen.push({ path: req.url ?? '', body });
      const digest = createHash('sha256').update(text).digest('base64');
      const reply = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.headers.authorization !== `Signature keyId="test",signature="${digest}"`)
        return reply(401, { code: 'NotAuthenticated', message: 'no' });
      const key = hsm.get(body.keyId);
      if (!key) return reply(404, { code: 'NotAuthorizedOrNotFound', message: `key ${body.keyId}` });
      if (req.url === '/20180608/encrypt') {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const ct = Buffer.concat([c.update(Buffer.from(body.plaintext!, 'base64')), c.final()]);
        return reply(200, {
          ciphertext: Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64'),
          keyId: body.keyId,
        });
      }
      try {
        const raw = Buffer.from(body.ciphertext!, 'base64');
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAuthTag(raw.subarray(raw.length - 16));
        const pt = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
        return reply(200, { plaintext: pt.toString('base64') });
      } catch {
        return reply(400, { code: 'InvalidParameter', message: 'The ciphertext is invalid' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ctx = { tenantId: 't1', recordId: 'conn-1', purpose: 'fusion-credentials' };

describe('OciVaultKeyProvider over HTTP', () => {
  it('wraps and unwraps data keys with KMS encrypt/decrypt; sealed strings carry the alias, not the OCID', async () => {
    const provider = new OciVaultKeyProvider({
      cryptoEndpoint: endpoint,
      keys: [{ id: 'oci-a', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.aaaa' }],
      signer: testSigner,
    });
    const vault = new Vault(provider);
    const sealed = await vault.seal('fusion-password', ctx);
    expect(sealed.startsWith('v1.oci-a.')).toBe(true);
    expect(sealed).not.toContain('ocid1');
    expect(await vault.open(sealed, ctx)).toBe('fusion-password');
    const encrypt = seen.find((s) => s.path === '/20180608/encrypt')!;
    expect(encrypt.body).toMatchObject({
      keyId: 'ocid1.key.oc1.eu-frankfurt-1.aaaa',
      associatedData: { alias: 'oci-a' },
    });
  });

  it('rotates to a new OCI key and reads old values through the keyring', async () => {
    const a = { id: 'oci-a', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.aaaa' };
    const b = { id: 'oci-b', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.bbbb' };
    const old = new Vault(
      new OciVaultKeyProvider({ cryptoEndpoint: endpoint, keys: [a], signer: testSigner }),
    );
    const next = new Vault(
      new OciVaultKeyProvider({ cryptoEndpoint: endpoint, keys: [b, a], signer: testSigner }),
    );
    const rewrapped = await next.rewrap(await old.seal('x', ctx));
    expect(rewrapped.startsWith('v1.oci-b.')).toBe(true);
    expect(await next.open(rewrapped, ctx)).toBe('x');
  });

  it('turns a refused wrapped key into a clear unwrap error', async () => {
    const provider = new OciVaultKeyProvider({
      cryptoEndpoint: endpoint,
      keys: [{ id: 'oci-a', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.aaaa' }],
      signer: testSigner,
    });
    await expect(
      provider.unwrap('oci-a', Buffer.from('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')),
    ).rejects.toMatchObject({
      code: 'unwrap-failed',
      message: expect.stringMatching(
        /OCI Vault refused the wrapped key \(HTTP 400 InvalidParameter, key id oci-a\)/,
      ),
    });
    await expect(provider.unwrap('nope', Buffer.from('x'))).rejects.toMatchObject({ code: 'unknown-key' });
  });

  it('reports authentication and network failures as provider errors', async () => {
    const badSigner: OciRequestSigner = { sign: async () => ({ authorization: 'Signature wrong' }) };
    const provider = new OciVaultKeyProvider({
      cryptoEndpoint: endpoint,
      keys: [{ id: 'a', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.aaaa' }],
      signer: badSigner,
    });
    await expect(provider.wrap(randomBytes(32))).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringMatching(/HTTP 401 NotAuthenticated/),
    });
    const down = new OciVaultKeyProvider({
      cryptoEndpoint: 'http://127.0.0.1:1',
      keys: [{ id: 'a', keyOcid: 'x' }],
      signer: testSigner,
      timeoutMs: 2000,
    });
    await expect(down.wrap(randomBytes(32))).rejects.toMatchObject({ code: 'provider' });
  });

  it('says plainly that instance-principal signing is not implemented', async () => {
    const provider = new OciVaultKeyProvider({
      cryptoEndpoint: endpoint,
      keys: [{ id: 'a', keyOcid: 'ocid1.key.oc1.eu-frankfurt-1.aaaa' }],
      signer: unimplementedOciSigner,
    });
    await expect(provider.wrap(randomBytes(32))).rejects.toThrow(
      /instance-principal signing is not implemented/,
    );
  });
});
