/**
 * A loopback HTTP proxy in front of a sandbox: it records every request the connector sends (method, path,
 * headers, body) so tests can validate them against UPS's OpenAPI specs and see exactly when a request
 * arrived, and it can hold an upstream answer back — the sandbox has done the work (a label is in the
 * ledger), the connector has not heard of it yet — which is the moment a crash test kills the process.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** HTTP status the upstream answered (undefined while in flight or when the connection died). */
  status?: number;
}

export type RequestMatch = (r: Pick<RecordedRequest, 'method' | 'path' | 'body'>) => boolean;

interface Hold {
  match: RequestMatch;
  ms: number;
  remaining: number;
}

export interface RecordingProxy {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answers of the next `times` matching requests reach the client `ms` after the upstream answered. */
  holdResponses(match: RequestMatch, ms: number, times?: number): void;
  clearHolds(): void;
  /** Resolves with the first request (already recorded or future) that matches. */
  waitFor(match: RequestMatch, timeoutMs?: number, since?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const holds: Hold[] = [];
  const waiters = new Set<() => void>();
  const sleeps = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        seq: requests.length,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      for (const w of waiters) w();
      const hold = holds.find((h) => h.remaining > 0 && h.match(recorded));
      if (hold) hold.remaining -= 1;
      const up = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: recorded.method,
          path: recorded.path,
          headers: { ...req.headers, host: upstream.host },
        },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            recorded.status = upRes.statusCode;
            const answer = () => {
              if (res.destroyed) return;
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              res.end(Buffer.concat(body));
            };
            if (!hold) return answer();
            const t = setTimeout(() => {
              sleeps.delete(t);
              answer();
            }, hold.ms);
            sleeps.add(t);
          });
        },
      );
      // The upstream dropped the connection (e.g. UPS "accept then fail"): drop ours the same way.
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    holdResponses: (match, ms, times = 1) => void holds.push({ match, ms, remaining: times }),
    clearHolds: () => void holds.splice(0),
    waitFor: (match, timeoutMs = 60_000, since = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = requests.slice(since).find(match);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: async () => {
      for (const t of sleeps) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
