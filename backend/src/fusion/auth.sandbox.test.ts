/** JWT user assertion against the Fusion sandbox's identity domain, with a client secret and without. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFusionSandbox, type RunningFusionSandbox } from '../../../sandbox/src/fusion/index.js';
import type { ExternalCall } from '../audit/audit-entry.js';
import { createFusionClient } from './fusion-client.js';

let fusion: RunningFusionSandbox;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

beforeAll(async () => {
  fusion = await startFusionSandbox({ seed: 3, poCount: 10 });
  const res = await fetch(`${fusion.baseUrl}/_sandbox/fusion/oauth/trusted-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: 'sandbox-fusion-client',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }),
  });
  expect(res.ok).toBe(true);
});
afterAll(async () => {
  await fusion.close();
});

const jwtClient = (clientSecret: string | undefined, username: string, calls: ExternalCall[]) =>
  createFusionClient({
    baseUrl: fusion.baseUrl,
    auth: {
      kind: 'jwt',
      tokenUrl: `${fusion.baseUrl}/oauth2/v1/token`,
      clientId: 'sandbox-fusion-client',
      clientSecret,
      scope: 'urn:opc:resource:fa:instanceid=sandbox',
      username,
      privateKeyPem,
    },
    onCall: (c) => calls.push(c),
  });

describe('JWT user assertion', () => {
  it.each([
    ['with the client secret', 'sandbox-fusion-secret'],
    ['with a signed client assertion instead of a secret', undefined],
  ])('acts as the named user %s', async (_label, secret) => {
    const calls: ExternalCall[] = [];
    const asBuyer = jwtClient(secret, 'sandbox.buyer', calls);
    expect((await asBuyer.listChangedSince({ since: new Date(0), limit: 5 })).items.length).toBeGreaterThan(
      0,
    );
    const asNoAccess = jwtClient(secret, 'sandbox.noaccess', []);
    expect((await asNoAccess.listChangedSince({ since: new Date(0), limit: 5 })).items).toEqual([]);
    expect(calls.map((c) => [c.method, c.path, c.status])[0]).toEqual(['POST', '/oauth2/v1/token', 200]);
  });

  it('an unknown user is refused with the identity domain message', async () => {
    await expect(
      jwtClient('sandbox-fusion-secret', 'nobody', []).listChangedSince({ since: new Date(0) }),
    ).rejects.toMatchObject({ kind: 'auth', fusionMessage: expect.stringContaining('nobody') });
  });
});
