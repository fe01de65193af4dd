/**
 * Test support: a real HTTP server on 127.0.0.1 (port 0) that plays UPS's token endpoint and answers
 * business calls from scripted handlers, recording every request. Used by the client's HTTP-level tests;
 * the full UPS simulator lives in sandbox/.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface ScriptedReply {
  status?: number;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Drop the connection without answering (after reading the request). */
  destroy?: boolean;
}

export type Handler = (req: RecordedRequest, callNumber: number) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedUps {
  baseUrl: string;
  requests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  /** Tokens the server currently accepts. */
  validTokens: Set<string>;
  /** expires_in sent with the next tokens (seconds, as a string like UPS). */
  expiresIn: string;
  /** Optional override for the token endpoint. */
  tokenHandler?: Handler;
  on(method: string, pathPrefix: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startScriptedUps(): Promise<ScriptedUps> {
  const routes: { method: string; prefix: string; handler: Handler; calls: number }[] = [];
  let issued = 0;
  const state: Omit<ScriptedUps, 'baseUrl' | 'on' | 'close'> = {
    requests: [],
    tokenRequests: [],
    validTokens: new Set(),
    expiresIn: '14399',
  };

  async function reply(res: ServerResponse, r: ScriptedReply): Promise<void> {
    if (r.delayMs) await new Promise((resolve) => setTimeout(resolve, r.delayMs));
    if (r.destroy) {
      res.socket?.destroy();
      return;
    }
    const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
    res.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        const rec: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          json,
        };
        if (rec.path.startsWith('/security/v1/oauth/token')) {
          state.tokenRequests.push(rec);
          if (state.tokenHandler)
            return reply(res, await state.tokenHandler(rec, state.tokenRequests.length));
          issued += 1;
          const token = `token-${issued}`;
          state.validTokens.add(token);
          return reply(res, {
            body: {
              token_type: 'Bearer',
              issued_at: String(Date.now()),
              client_id: 'client',
              access_token: token,
              scope: '',
              expires_in: state.expiresIn,
              refresh_count: '0',
              status: 'approved',
            },
          });
        }
        state.requests.push(rec);
        const auth = req.headers.authorization ?? '';
        if (!state.validTokens.has(auth.replace(/^Bearer /, ''))) {
          return reply(res, {
            status: 401,
            body: {
              response: { errors: [{ code: '250002', message: 'Invalid Authentication Information' }] },
            },
          });
        }
        const route = routes.find((r) => r.method === rec.method && rec.path.startsWith(r.prefix));
        if (!route)
          return reply(res, {
            status: 404,
            body: { response: { errors: [{ code: '404', message: 'no route' }] } },
          });
        route.calls += 1;
        return reply(res, await route.handler(rec, route.calls));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scripted = state as ScriptedUps;
  scripted.baseUrl = `http://127.0.0.1:${port}`;
  scripted.on = (method, prefix, handler) => {
    routes.unshift({ method, prefix, handler, calls: 0 });
  };
  scripted.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return scripted;
}
