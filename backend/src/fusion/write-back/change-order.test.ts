/**
 * The change-order flow's recovery paths against a scripted Fusion on 127.0.0.1: reusing our own
 * incomplete change order after a crash, and deleting the change order again after a hard failure.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthProvider } from '../auth.js';
import { FusionRestClient } from '../rest-client.js';
import { CHANGE_ORDER_MARKER } from './change-order.js';
import { writeHeaderFlexfield } from './flexfield-change-order.js';

let server: Server;
let base: string;
let routes: Record<string, (body: string) => [number, unknown]>;
const log: string[] = [];
const bodies: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const key = `${req.method} ${decodeURIComponent(req.url ?? '').replace(/\?.*$/, '')}`;
      log.push(key);
      if (body) bodies[key] = JSON.parse(body);
      const route = routes[key];
      const [status, payload] = route ? route(body) : [404, { title: 'Not Found' }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  log.length = 0;
});

const API = '/fscmRestApi/resources/11.13.18.05';
const DRAFT = `${API}/draftPurchaseOrders/1001`;
const DFF_ROW = `${DRAFT}/child/DFF/00020000000EACED0005770800000000000003E9`;
const error = (detail: string): [number, unknown] => [
  400,
  { title: 'Bad Request', status: '400', 'o:errorDetails': [{ detail }] },
];
const draftLinks = () => [
  { rel: 'self', href: `${base}${DRAFT}`, name: 'draftPurchaseOrders', kind: 'item' },
  { rel: 'child', href: `${base}${DRAFT}/child/DFF`, name: 'DFF', kind: 'collection' },
];
const dffCollection = (): [number, unknown] => [
  200,
  {
    items: [
      {
        PoHeaderId: 1001,
        __FLEX_Context: 'UPS_SHIPPING',
        links: [{ rel: 'self', href: `${base}${DFF_ROW}` }],
      },
    ],
    count: 1,
    hasMore: false,
  },
];

function rest() {
  const auth = createAuthProvider(
    { kind: 'basic', username: 'u', password: 'p' },
    { fetch, now: Date.now, timeoutMs: 1000 },
  );
  return new FusionRestClient({ baseUrl: base, auth, retry: { maxRetries: 0 } });
}

describe('change order recovery', () => {
  it('reuses our own incomplete change order when Fusion says one is pending', async () => {
    routes = {
      [`PATCH ${DRAFT}`]: () =>
        error(
          "You can't create a change order for purchase order 1001 because a change order is incomplete.",
        ),
      [`GET ${API}/draftPurchaseOrders`]: () => [
        200,
        {
          items: [
            {
              POHeaderId: 1001,
              ChangeOrderDescription: `UPS shipment details ${CHANGE_ORDER_MARKER}`,
              ChangeOrderStatusCode: 'INCOMPLETE',
              links: draftLinks(),
            },
          ],
          count: 1,
          hasMore: false,
        },
      ],
      [`GET ${DRAFT}/child/DFF`]: dffCollection,
      [`PATCH ${DFF_ROW}`]: () => [200, {}],
      [`POST ${DRAFT}/action/submit`]: () => [200, { result: 'Success' }],
    };
    const result = await writeHeaderFlexfield(rest(), '1001', { segments: { upsShipmentStatus: 'SHIPPED' } });
    expect(result).toEqual({ draftHref: `${base}${DRAFT}`, reusedDraft: true, submitResult: 'Success' });
    expect(log).toEqual([
      `PATCH ${DRAFT}`,
      `GET ${API}/draftPurchaseOrders`,
      `GET ${DRAFT}/child/DFF`,
      `PATCH ${DFF_ROW}`,
      `POST ${DRAFT}/action/submit`,
    ]);
    expect(bodies[`PATCH ${DFF_ROW}`]).toEqual({ upsShipmentStatus: 'SHIPPED' });
  });

  it("someone else's change order stays a conflict", async () => {
    routes = {
      [`PATCH ${DRAFT}`]: () =>
        error(
          "You can't create a change order for purchase order 1001 because JDOE has a pending change order on it.",
        ),
      [`GET ${API}/draftPurchaseOrders`]: () => [
        200,
        {
          items: [
            { POHeaderId: 1001, ChangeOrderDescription: 'Price update', ChangeOrderStatusCode: 'INCOMPLETE' },
          ],
          count: 1,
          hasMore: false,
        },
      ],
    };
    await expect(writeHeaderFlexfield(rest(), '1001', { segments: { s: 'x' } })).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(log).not.toContain(`POST ${DRAFT}/action/submit`);
  });

  it('a hard failure after opening the change order deletes it again, and the error is Fusion’s', async () => {
    routes = {
      [`PATCH ${DRAFT}`]: () => [
        200,
        { POHeaderId: 1001, ChangeOrderStatusCode: 'INCOMPLETE', links: draftLinks() },
      ],
      [`GET ${DRAFT}/child/DFF`]: dffCollection,
      [`PATCH ${DFF_ROW}`]: () => error('The value UPS_X for attribute __FLEX_Context is not valid.'),
      [`POST ${DRAFT}/action/deleteChangeOrder`]: () => [200, { result: 'Success' }],
    };
    await expect(
      writeHeaderFlexfield(rest(), '1001', { context: 'UPS_X', segments: { s: 'x' } }),
    ).rejects.toMatchObject({
      kind: 'hard',
      fusionMessage: 'The value UPS_X for attribute __FLEX_Context is not valid.',
    });
    expect(log.at(-1)).toBe(`POST ${DRAFT}/action/deleteChangeOrder`);
    expect(bodies[`PATCH ${DRAFT}`]).toEqual({
      ChangeOrderDescription: `UPS shipment details ${CHANGE_ORDER_MARKER}`,
    });
  });

  it('our change order already submitted (answer lost): done when it carries the values, else a conflict', async () => {
    const pending = (): [number, unknown] => [
      200,
      {
        items: [
          {
            POHeaderId: 1001,
            ChangeOrderDescription: `UPS shipment details ${CHANGE_ORDER_MARKER}`,
            ChangeOrderStatusCode: 'PENDING APPROVAL',
            links: draftLinks(),
          },
        ],
        count: 1,
        hasMore: false,
      },
    ];
    const dffWith = (value: string): [number, unknown] => [
      200,
      { items: [{ PoHeaderId: 1001, upsShipmentStatus: value, links: [] }], count: 1, hasMore: false },
    ];
    routes = {
      [`PATCH ${DRAFT}`]: () =>
        error(
          "You can't create a change order for purchase order 1001 because a change order is pending approval.",
        ),
      [`GET ${API}/draftPurchaseOrders`]: pending,
      [`GET ${DRAFT}/child/DFF`]: () => dffWith('SHIPPED'),
    };
    expect(
      await writeHeaderFlexfield(rest(), '1001', { segments: { upsShipmentStatus: 'SHIPPED' } }),
    ).toMatchObject({
      reusedDraft: true,
      submitResult: 'PENDING APPROVAL',
    });
    expect(log.filter((l) => l.startsWith('POST') || l.startsWith(`PATCH ${DFF_ROW}`))).toEqual([]);

    routes[`GET ${DRAFT}/child/DFF`] = () => dffWith('IN_TRANSIT');
    await expect(
      writeHeaderFlexfield(rest(), '1001', { segments: { upsShipmentStatus: 'SHIPPED' } }),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('a draft without a DFF row gets one created on the DFF collection', async () => {
    routes = {
      [`PATCH ${DRAFT}`]: () => [200, { POHeaderId: 1001, links: draftLinks() }],
      [`GET ${DRAFT}/child/DFF`]: () => [200, { items: [], count: 0, hasMore: false }],
      [`POST ${DRAFT}/child/DFF`]: () => [201, {}],
      [`POST ${DRAFT}/action/submit`]: () => [200, { result: 'Success' }],
    };
    await writeHeaderFlexfield(rest(), '1001', { context: 'UPS_SHIPPING', segments: { s: 'x' } });
    expect(bodies[`POST ${DRAFT}/child/DFF`]).toEqual({ __FLEX_Context: 'UPS_SHIPPING', s: 'x' });
  });
});
