/**
 * A subscriber's side of Track Alert for contract tests: a webhook endpoint that records every push, and an
 * OAuth client-credentials token endpoint that Track Alert v2 calls before it pushes (TrackAlert.yaml
 * `clientOauth2`, client_secret_basic). Plain node:http, so the test sees exactly what went over the wire.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: unknown;
}

export interface WebhookReceiver {
  baseUrl: string;
  webhookUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  pushes: ReceivedPush[];
  tokenRequests: Array<{ authorization?: string; form: Record<string, string> }>;
  issuedTokens: string[];
  /** Waits until at least `count` pushes arrived (or throws after `timeoutMs`). */
  waitForPushes(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const clientId = 'subscriber-client';
  const clientSecret = randomBytes(12).toString('hex');
  const pushes: ReceivedPush[] = [];
  const tokenRequests: WebhookReceiver['tokenRequests'] = [];
  const issuedTokens: string[] = [];

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'POST' && path === '/oauth/token') {
        const form = Object.fromEntries(new URLSearchParams(raw));
        tokenRequests.push({ authorization: req.headers.authorization, form });
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
        if (req.headers.authorization !== expected || form.grant_type !== 'client_credentials') {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
          return;
        }
        const token = randomBytes(24).toString('base64url');
        issuedTokens.push(token);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      if (req.method === 'POST' && path.startsWith('/hook')) {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        pushes.push({ path, headers: req.headers, raw, body });
        res.writeHead(200).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('receiver has no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    baseUrl,
    webhookUrl: `${baseUrl}/hook`,
    tokenUrl: `${baseUrl}/oauth/token`,
    clientId,
    clientSecret,
    pushes,
    tokenRequests,
    issuedTokens,
    async waitForPushes(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (pushes.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook pushes, got ${pushes.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return pushes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
