import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, startClient, type FusionTestClient } from './test-client.js';

describe('fault injection and the request log', () => {
  let c: FusionTestClient;
  beforeAll(async () => {
    c = await startClient({ poCount: 3 });
  });
  afterAll(() => c.close());
  beforeEach(() => c.scenario('DELETE', '/faults'));

  it('injects a 503 on one endpoint for a number of requests, then recovers', async () => {
    await c.scenario('POST', '/faults', { endpoint: 'purchaseOrders', kind: 'error', status: 503, times: 2 });
    expect((await c.get(`${API}/purchaseOrders`)).status).toBe(503);
    expect((await c.get(`${API}/suppliers?limit=1`)).status).toBe(200);
    expect((await c.get(`${API}/purchaseOrders`)).status).toBe(503);
    expect((await c.get(`${API}/purchaseOrders`)).status).toBe(200);
    const [rule] = await c.scenario('GET', '/faults');
    expect(rule).toMatchObject({ applied: 2, matched: 3 });
  });

  it('throttles with 429, with or without Retry-After, and only for the chosen method', async () => {
    await c.scenario('POST', '/faults', { endpoint: '*', kind: 'throttle', times: 1 });
    const r = await c.get(`${API}/purchaseOrders`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    await c.scenario('POST', '/faults', {
      endpoint: 'token',
      method: 'POST',
      kind: 'throttle',
      retryAfterSeconds: 7,
    });
    const t = await fetch(`${c.baseUrl}/oauth2/v1/token`, { method: 'POST' });
    expect(t.status).toBe(429);
    expect(t.headers.get('retry-after')).toBe('7');
  });

  it('adds latency, skips the first requests, and can answer malformed JSON', async () => {
    await c.scenario('POST', '/faults', {
      endpoint: 'purchaseOrders',
      kind: 'latency',
      latencyMs: 150,
      times: 1,
    });
    const started = Date.now();
    expect((await c.get(`${API}/purchaseOrders?limit=1`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await c.scenario('POST', '/faults', {
      endpoint: 'purchaseOrders',
      kind: 'malformed-json',
      skip: 1,
      times: 1,
    });
    expect((await c.get(`${API}/purchaseOrders?limit=1`)).body).toBeDefined();
    const broken = await c.get(`${API}/purchaseOrders?limit=1`);
    expect(broken.status).toBe(200);
    expect(broken.body).toBeUndefined();
    expect(() => JSON.parse(broken.text) as unknown).toThrow();
  });

  it('hangs a request and drops the connection for a timeout fault', async () => {
    await c.scenario('POST', '/faults', { endpoint: 'suppliers', kind: 'timeout', latencyMs: 50, times: 1 });
    await expect(c.get(`${API}/suppliers`)).rejects.toThrow();
    expect((await c.get(`${API}/suppliers?limit=1`)).status).toBe(200);
  });

  it('reseeds through the scenario API, deterministically', async () => {
    const first = await c.scenario('POST', '/reset', { seed: 99, poCount: 12 });
    expect(first.purchaseOrders).toBe(12);
    const a = (await c.get(`${API}/purchaseOrders?limit=500&fields=OrderNumber,Supplier,Total&onlyData=true`))
      .body.items;
    await c.scenario('POST', '/reset', { seed: 99, poCount: 12 });
    const b = (await c.get(`${API}/purchaseOrders?limit=500&fields=OrderNumber,Supplier,Total&onlyData=true`))
      .body.items;
    expect(b).toEqual(a);
    expect(a).toHaveLength(12);
  });

  it('rejects an invalid fault rule', async () => {
    await expect(c.scenario('POST', '/faults', { kind: 'explode' })).rejects.toThrow(/400/);
  });

  it('logs every Fusion request with status, user, version and fault', async () => {
    await c.scenario('DELETE', '/requests');
    await c.scenario('POST', '/faults', { endpoint: 'itemsV2', kind: 'error', status: 500, times: 1 });
    await c.get(`${API}/itemsV2?limit=1`);
    await c.get(`${API}/itemsV2?limit=1`, { version: 2 });
    await c.get(`${API}/purchaseOrders`, { auth: null });
    const log = await c.scenario('GET', '/requests');
    expect(log.map((e: { status: number }) => e.status)).toEqual([500, 200, 401]);
    expect(log[0].fault).toMatch(/error$/);
    expect(log[1]).toMatchObject({
      method: 'GET',
      path: `${API}/itemsV2`,
      user: 'sandbox.buyer',
      frameworkVersion: '2',
      query: { limit: '1' },
    });
    expect(log[2].user).toBeNull();
    expect(log[1].ecid).toMatch(/^[\w-]{16}$/);
  });
});
