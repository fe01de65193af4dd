import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/index.js';
import { createApp } from './app.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    lines.push(chunk.toString());
    cb();
  },
});
const logger = createLogger({ level: 'http', stream: sink });

let dbUp = true;
let pending: string[] = [];
let shuttingDown = false;
let server: Server;
let base: string;

beforeAll(async () => {
  const app = createApp({
    logger,
    readiness: {
      ping: async () => {
        if (!dbUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      pendingMigrations: async () => pending,
    },
    isShuttingDown: () => shuttingDown,
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('probes', () => {
  it('/health answers while the process serves HTTP', async () => {
    dbUp = false;
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    dbUp = true;
  });

  it('/ready reports the database and the migrations', async () => {
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    pending = ['004-tracking'];
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      checks: { migrations: { ok: false, detail: 'pending: 004-tracking' } },
    });
    pending = [];
    dbUp = false;
    const down = await fetch(`${base}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ checks: { database: { ok: false } } });
    dbUp = true;
    shuttingDown = true;
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    shuttingDown = false;
  });

  it('echoes a safe correlation id, replaces an unsafe one, and logs the request with it', async () => {
    const res = await fetch(`${base}/health`, { headers: { 'X-Correlation-Id': 'abc-123' } });
    expect(res.headers.get('x-correlation-id')).toBe('abc-123');
    const bad = await fetch(`${base}/health`, { headers: { 'X-Correlation-Id': 'x'.repeat(200) } });
    expect(bad.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.some((l) => l.includes('"correlationId":"abc-123"') && l.includes('"path":"/health"'))).toBe(
      true,
    );
  });

  it('answers unknown paths with 404 JSON', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });
});
