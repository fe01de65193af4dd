/* eslint-disable @typescript-eslint/no-explicit-any -- tests read Fusion JSON loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startClient, type FusionTestClient } from './test-client.js';

const PO = `${API}/purchaseOrders`;
type Item = Record<string, any>;

describe('purchaseOrders over HTTP', () => {
  let c: FusionTestClient;
  let all: Item[];
  beforeAll(async () => {
    c = await startClient({ poCount: 120 });
    all = (await c.get(`${PO}?limit=500&onlyData=true`)).body.items;
  });
  afterAll(() => c.close());

  describe('q', () => {
    it('filters with row-match expressions under version 2+', async () => {
      const open = all.filter((p) => p.StatusCode === 'OPEN' && p.Total > 1000);
      const r = await c.get(
        `${PO}?limit=500&q=${encodeURIComponent("StatusCode = 'OPEN' and Total > 1000")}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: Item) => i.POHeaderId)).toEqual(open.map((p) => p.POHeaderId));
      expect(open.length).toBeGreaterThan(0);
    });

    it('supports IN, LIKE, BETWEEN, IS NULL and parentheses', async () => {
      const q =
        "(Carrier IS NULL or Carrier = 'UPS') and StatusCode IN ('OPEN','CLOSED') and OrderNumber LIKE 'US1650%' and Total BETWEEN 0 AND 5000";
      const want = all.filter(
        (p) =>
          (p.Carrier === null || p.Carrier === 'UPS') &&
          ['OPEN', 'CLOSED'].includes(p.StatusCode) &&
          /^US1650/.test(p.OrderNumber) &&
          p.Total >= 0 &&
          p.Total <= 5000,
      );
      const r = await c.get(`${PO}?limit=500&q=${encodeURIComponent(q)}`);
      expect(r.body.items.map((i: Item) => i.OrderNumber)).toEqual(want.map((p) => p.OrderNumber));
    });

    it('reads q as query-by-example under version 1', async () => {
      const want = all.filter((p) => p.StatusCode === 'OPEN' && p.Carrier === 'UPS');
      const r = await c.get(`${PO}?limit=500&q=StatusCode=OPEN;Carrier=UPS`, { version: 1 });
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(want.length);
      const rowMatch = await c.get(
        `${PO}?q=${encodeURIComponent("StatusCode = 'OPEN' and Carrier = 'UPS'")}`,
        { version: 1 },
      );
      expect(rowMatch.status).toBe(400);
      expect(rowMatch.text).toContain('REST-Framework-Version 2');
    });

    it('answers 500 for a type-mismatched literal and 400 for an unknown attribute', async () => {
      const mismatch = await c.get(`${PO}?q=${encodeURIComponent("POHeaderId = 'abc'")}`);
      expect(mismatch.status).toBe(500);
      expect(mismatch.body['o:errorDetails'][0].detail).toContain('POHeaderId');
      expect((await c.get(`${PO}?q=POHeaderId=abc`, { version: 1 })).status).toBe(500);
      const unknown = await c.get(`${PO}?q=${encodeURIComponent('Nope = 1')}`);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ title: 'Bad Request', status: '400' });
    });
  });

  describe('paging', () => {
    it('defaults to 25, reports hasMore, and adds totalResults only on request', async () => {
      const first = await c.get(PO);
      expect(first.body).toMatchObject({ count: 25, hasMore: true, limit: 25, offset: 0 });
      expect(first.body.totalResults).toBeUndefined();
      const last = await c.get(`${PO}?offset=100&limit=25&totalResults=true`);
      expect(last.body).toMatchObject({ count: 20, hasMore: false, offset: 100, totalResults: 120 });
      expect(Object.keys(last.body)).toEqual([
        'items',
        'totalResults',
        'count',
        'hasMore',
        'limit',
        'offset',
        'links',
      ]);
    });

    it('caps limit at 500 and rejects malformed limit and offset', async () => {
      expect((await c.get(`${PO}?limit=9999`)).body.limit).toBe(500);
      expect((await c.get(`${PO}?limit=abc`)).status).toBe(400);
      expect((await c.get(`${PO}?limit=0`)).status).toBe(400);
      expect((await c.get(`${PO}?offset=-1`)).status).toBe(400);
    });

    it('walks every row exactly once with offset paging', async () => {
      const seen: number[] = [];
      for (let offset = 0, more = true; more; offset += 7) {
        const page = await c.get(`${PO}?limit=7&offset=${offset}&fields=POHeaderId&orderBy=POHeaderId`);
        seen.push(...page.body.items.map((i: Item) => i.POHeaderId));
        more = page.body.hasMore;
      }
      expect(seen).toEqual([...all.map((p) => p.POHeaderId)].sort((a, b) => a - b));
    });

    it('orders by several attributes, asc and desc', async () => {
      const r = await c.get(`${PO}?limit=500&fields=StatusCode,Total&orderBy=StatusCode:desc,Total:asc`);
      const got = r.body.items as Item[];
      const sorted = [...got].sort((a, b) =>
        a.StatusCode === b.StatusCode ? a.Total - b.Total : a.StatusCode < b.StatusCode ? 1 : -1,
      );
      expect(got).toEqual(sorted);
      expect(new Set(got.map((i) => i.StatusCode)).size).toBeGreaterThan(2);
      expect((await c.get(`${PO}?orderBy=Nope:asc`)).status).toBe(400);
      expect((await c.get(`${PO}?orderBy=Total:up`)).status).toBe(400);
    });
  });

  describe('finders', () => {
    it('finds by PrimaryKey', async () => {
      const id = all[3]!.POHeaderId;
      const r = await c.get(`${PO}?finder=PrimaryKey;POHeaderId=${id}`);
      expect(r.body.items.map((i: Item) => i.POHeaderId)).toEqual([id]);
      expect((await c.get(`${PO}?finder=PrimaryKey;POHeaderId=x`)).status).toBe(400);
      expect((await c.get(`${PO}?finder=byMagic;X=1`)).status).toBe(400);
    });

    it('limits APUser to approved documents', async () => {
      const r = await c.get(`${PO}?limit=500&finder=findByIntent;Intent=APUser&fields=StatusCode`);
      const statuses = new Set(r.body.items.map((i: Item) => i.StatusCode));
      expect(statuses.has('INCOMPLETE')).toBe(false);
      expect(statuses.has('OPEN')).toBe(true);
      const po = await c.get(`${PO}?limit=500&finder=findByIntent;Intent=POUser`);
      expect(po.body.count).toBe(120);
      expect((await c.get(`${PO}?finder=findByIntent;Intent=Wizard`)).status).toBe(400);
    });
  });

  describe('fields, expand, onlyData and links', () => {
    it('returns only the requested fields, and child fields with Accessor:Attr', async () => {
      const r = await c.get(
        `${PO}?limit=1&fields=POHeaderId,OrderNumber;lines:LineNumber,Item;lines.schedules:Carrier&onlyData=true`,
      );
      const item = r.body.items[0];
      expect(Object.keys(item)).toEqual(['POHeaderId', 'OrderNumber', 'lines']);
      const line = item.lines.items[0];
      expect(Object.keys(line)).toEqual(['LineNumber', 'Item', 'schedules']);
      expect(Object.keys(line.schedules.items[0])).toEqual(['Carrier']);
      expect((await c.get(`${PO}?fields=Nope`)).status).toBe(400);
      expect((await c.get(`${PO}?expand=nope`)).status).toBe(400);
    });

    it('expands nested children with implied parents, and expand=all one level', async () => {
      const r = await c.get(`${PO}?limit=1&expand=lines.schedules.distributions,DFF`);
      const item = r.body.items[0];
      const dist = item.lines.items[0].schedules.items[0].distributions.items[0];
      expect(dist.POChargeAccount).toMatch(/^01-\d{3}-\d{4}-0000-000$/);
      expect(item.DFF.items).toHaveLength(1);
      expect(item.DFF.items[0]).toHaveProperty('__FLEX_Context');
      const allLevel = (await c.get(`${PO}?limit=1&expand=all`)).body.items[0];
      expect(Object.keys(allLevel)).toEqual(expect.arrayContaining(['lines', 'DFF', 'attachments']));
      expect(allLevel.lines.items[0].schedules).toBeUndefined();
    });

    it('drops links with onlyData and filters them with links=', async () => {
      const plain = (await c.get(`${PO}?limit=1&onlyData=true`)).body;
      expect(plain.links).toBeUndefined();
      expect(plain.items[0].links).toBeUndefined();
      const some = (await c.get(`${PO}?limit=1&links=self`)).body.items[0];
      expect(some.links.map((l: Item) => l.rel)).toEqual(['self']);
    });

    it('links self, canonical and children, with opaque keys for schedules and distributions', async () => {
      const po = (await c.get(`${PO}?limit=1&expand=lines.schedules.distributions`)).body.items[0];
      const rels = po.links.map((l: Item) => `${l.rel}:${l.name}`);
      expect(rels).toEqual(
        expect.arrayContaining([
          'self:purchaseOrders',
          'canonical:purchaseOrders',
          'child:lines',
          'child:DFF',
          'child:attachments',
          'action:close',
        ]),
      );
      const self = po.links.find((l: Item) => l.rel === 'self');
      expect(self.href).toBe(`${c.baseUrl}${PO}/${po.POHeaderId}`);
      expect(self.properties.changeIndicator).toMatch(/^ACED0005/);

      const line = po.lines.items[0];
      const schedule = line.schedules.items[0];
      const scheduleHref: string = schedule.links.find((l: Item) => l.rel === 'self').href;
      const key = scheduleHref.split('/').pop()!;
      expect(key).toMatch(/^[0-9A-F]{40,}$/);
      expect(key).not.toContain(String(schedule.LineLocationId));

      const followed = await c.get(scheduleHref.slice(c.baseUrl.length));
      expect(followed.status).toBe(200);
      expect(followed.body.LineLocationId).toBe(schedule.LineLocationId);
      const built = await c.get(
        `${PO}/${po.POHeaderId}/child/lines/${line.POLineId}/child/schedules/${schedule.LineLocationId}`,
      );
      expect(built.status).toBe(404);

      const distHref: string = schedule.distributions.items[0].links.find((l: Item) => l.rel === 'self').href;
      const dist = await c.get(`${distHref.slice(c.baseUrl.length)}?fields=PODistributionId,POChargeAccount`);
      expect(dist.body.PODistributionId).toBe(schedule.distributions.items[0].PODistributionId);
      const childList = await c.get(`${PO}/${po.POHeaderId}/child/lines/${line.POLineId}/child/schedules`);
      expect(childList.body.items[0].links.find((l: Item) => l.rel === 'self').href).toBe(scheduleHref);
    });
  });

  describe('REST-Framework-Version', () => {
    it('returns expanded children as arrays before v3 and as collections from v3, and echoes the version', async () => {
      const v2 = await c.get(`${PO}?limit=1&expand=lines`, { version: 2 });
      expect(Array.isArray(v2.body.items[0].lines)).toBe(true);
      expect(v2.headers.get('rest-framework-version')).toBe('2');
      const v3 = await c.get(`${PO}?limit=1&expand=lines`, { version: 3 });
      expect(v3.body.items[0].lines).toMatchObject({ hasMore: false, offset: 0, limit: 25 });
      expect(Array.isArray(v3.body.items[0].lines.items)).toBe(true);
      const none = await c.get(`${PO}?limit=1`, { version: null });
      expect(none.headers.get('rest-framework-version')).toBe('1');
    });

    it('answers errors as text before v4 and as JSON from v4', async () => {
      const v3 = await c.get(`${PO}/1`, { version: 3 });
      expect(v3.status).toBe(404);
      expect(v3.headers.get('content-type')).toContain('text/plain');
      const v4 = await c.get(`${PO}/1`, { version: 4 });
      expect(v4.headers.get('content-type')).toContain('application/vnd.oracle.adf.error+json');
      expect(v4.body).toMatchObject({ title: 'Not Found', status: '404' });
      expect((await c.get(PO, { version: 12 })).status).toBe(400);
    });
  });

  describe('items, ETags and methods', () => {
    it('serves an item with an ETag; If-None-Match gives 304 and a stale If-Match 412', async () => {
      const id = all[0]!.POHeaderId;
      const r = await c.get(`${PO}/${id}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('application/vnd.oracle.adf.resourceitem+json');
      const etag = r.headers.get('etag')!;
      expect(etag).toMatch(/^ACED0005/);
      expect((await c.get(`${PO}/${id}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
      expect((await c.get(`${PO}/${id}`, { headers: { 'If-Match': etag } })).status).toBe(200);
      const stale = await c.get(`${PO}/${id}`, { headers: { 'If-Match': 'ACED0005DEADBEEF' } });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe(etag);
      // Only items carry change indicators; collections have no ETag.
      expect((await c.get(`${PO}?limit=2`)).headers.get('etag')).toBeNull();
    });

    it('refuses writes on purchaseOrders and get-one on its DFF', async () => {
      const id = all[0]!.POHeaderId;
      for (const method of ['PATCH', 'PUT', 'DELETE']) {
        expect((await c.request(method, `${PO}/${id}`, { body: { Description: 'x' } })).status).toBe(405);
      }
      expect((await c.request('POST', PO, { body: {} })).status).toBe(405);
      expect((await c.request('PATCH', `${PO}/${id}/child/DFF/${id}`, { body: {} })).status).toBe(405);
      expect((await c.get(`${PO}/${id}/child/DFF`)).body.items).toHaveLength(1);
      expect((await c.get(`${PO}/${id}/child/DFF/${id}`)).status).toBe(405);
      expect((await c.get(`${PO}/${id}/child/nope`)).status).toBe(404);
    });

    it('runs custom actions: freeze and close', async () => {
      const open = all.find((p) => p.StatusCode === 'OPEN' && p.FrozenFlag === false)!;
      const freeze = await c.request('POST', `${PO}/${open.POHeaderId}/action/freeze`, {
        body: {},
        contentType: 'application/vnd.oracle.adf.action+json',
      });
      expect(freeze.status).toBe(200);
      expect(freeze.body).toEqual({ result: 'SUCCESS' });
      expect((await c.get(`${PO}/${open.POHeaderId}`)).body.FrozenFlag).toBe(true);
      await c.request('POST', `${PO}/${open.POHeaderId}/action/unfreeze`, { body: {} });
      const closed = await c.request('POST', `${PO}/${open.POHeaderId}/action/close`, {
        body: { parameters: [{ closeAction: 'FINALLY CLOSE' }] },
      });
      expect(closed.status).toBe(200);
      expect((await c.get(`${PO}/${open.POHeaderId}`)).body.StatusCode).toBe('FINALLY CLOSED');
      expect((await c.request('POST', `${PO}/${open.POHeaderId}/action/cancel`, { body: {} })).status).toBe(
        400,
      );
      expect((await c.request('POST', `${PO}/${open.POHeaderId}/action/teleport`, { body: {} })).status).toBe(
        404,
      );
    });

    it('describes attributes and lists the framework versions at the context root', async () => {
      const d = await c.get(`${PO}/describe`);
      expect(d.body.Resources.purchaseOrders.attributes).toEqual(
        expect.arrayContaining([
          { name: 'LastUpdateDate', type: 'datetime', queryable: true, updatable: false },
        ]),
      );
      const root = await c.get('/fscmRestApi/resources/');
      expect(root.body.items[0]).toMatchObject({ version: '11.13.18.05', isLatest: true });
      expect((await c.get('/fscmRestApi/resources/latest/purchaseOrders?limit=1')).status).toBe(200);
      expect((await c.get('/fscmRestApi/resources/11.12.1.0/purchaseOrders')).status).toBe(404);
    });
  });
});
