/* eslint-disable @typescript-eslint/no-explicit-any -- scenario API answers are read loosely */
/**
 * The Fusion client end to end against the Fusion sandbox, over real HTTP on loopback: poll with paging,
 * one PO with expand, addresses, ASN exactly once, DFF change order, conflicts and refusals, auth.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFusionSandbox, type RunningFusionSandbox } from '../../../sandbox/src/fusion/index.js';
import type { ExternalCall } from '../audit/audit-entry.js';
import { FusionError } from './errors.js';
import { createFusionClient, upsTrackingUrl, type FusionClient } from './fusion-client.js';

let fusion: RunningFusionSandbox;
let calls: ExternalCall[] = [];
let client: FusionClient;

const BUYER = { kind: 'basic' as const, username: 'sandbox.buyer', password: 'sandbox-password' };
const FAST = { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 };

async function scenario(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fusion.baseUrl}/_sandbox/fusion${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`scenario ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function newOpenPo(spec: Record<string, unknown> = {}): Promise<string> {
  const raw = await scenario('POST', '/purchase-orders', {
    status: 'OPEN',
    shipViaUps: true,
    carrier: 'UPS_GROUND',
    carrierOn: 'header',
    ...spec,
  });
  return String(raw.header.POHeaderId);
}

beforeAll(async () => {
  fusion = await startFusionSandbox({ seed: 7, poCount: 60 });
});
afterAll(async () => {
  await fusion.close();
});
beforeEach(() => {
  calls = [];
  client = createFusionClient({
    baseUrl: fusion.baseUrl,
    auth: BUYER,
    retry: FAST,
    onCall: (c) => calls.push(c),
  });
});

describe('poll', () => {
  it('pages through every OPEN PO in LastUpdateDate, POHeaderId order', async () => {
    const expected = [...fusion.sandbox.state.purchaseOrders.values()].filter(
      (p: any) => p.header.StatusCode === 'OPEN',
    );
    const seen: { id: string; at: number }[] = [];
    let pages = 0;
    for await (const page of client.iterateChangedSince({ since: new Date(0), limit: 10 })) {
      pages++;
      seen.push(...page.items.map((i) => ({ id: i.poHeaderId, at: i.lastUpdateDate.getTime() })));
    }
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen.map((s) => s.id)).size).toBe(expected.length);
    expect(pages).toBe(Math.ceil(expected.length / 10));
    const sorted = [...seen].sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
    expect(seen).toEqual(sorted);
  });

  it('an idle poll is one small request', async () => {
    const all: Date[] = [];
    for await (const page of client.iterateChangedSince({ since: new Date(0), limit: 100 })) {
      all.push(...page.items.map((i) => i.lastUpdateDate));
    }
    const latest = new Date(Math.max(...all.map((d) => d.getTime())));
    calls = [];
    const page = await client.listChangedSince({ since: latest, overlapMs: 0, limit: 100 });
    expect(page).toEqual({ items: [], hasMore: false, offset: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toContain('fields=POHeaderId,OrderNumber,Revision,StatusCode,LastUpdateDate');
  });

  it('keyset pages continue after the last row read: the same rows as offset pages, in order', async () => {
    const byOffset = await client.listChangedSince({ since: new Date(0), limit: 6 });
    expect(byOffset.items.length).toBe(6);
    const first = await client.listChangedSince({ since: new Date(0), limit: 3 });
    const last = first.items.at(-1)!;
    calls = [];
    const next = await client.listChangedSince({
      since: new Date(0),
      limit: 3,
      after: { lastUpdateDate: last.lastUpdateDate, poHeaderId: last.poHeaderId },
    });
    expect([...first.items, ...next.items].map((i) => i.poHeaderId)).toEqual(
      byOffset.items.map((i) => i.poHeaderId),
    );
    expect(decodeURIComponent(calls[0]!.path)).toContain(
      `(LastUpdateDate > '${last.lastUpdateDate.toISOString()}' or (LastUpdateDate = '${last.lastUpdateDate.toISOString()}' and POHeaderId > ${last.poHeaderId}))`,
    );
  });

  it('the overlap window brings back a PO changed just before the watermark', async () => {
    const id = await newOpenPo();
    const po = await client.getPurchaseOrder(id);
    const watermark = new Date(po.lastUpdateDate.getTime() + 1000);
    expect(
      (await client.listChangedSince({ since: watermark })).items.map((i) => i.poHeaderId),
    ).not.toContain(id);
    const withOverlap = await client.listChangedSince({ since: watermark, overlapMs: 120_000, limit: 500 });
    expect(withOverlap.items.map((i) => i.poHeaderId)).toContain(id);
  });
});

describe('one purchase order', () => {
  it('comes with lines, schedules, distributions and the header DFF, matching Fusion', async () => {
    const id = await newOpenPo({
      lines: [
        { item: 'CH-0420', quantity: 3 },
        { item: 'NW-0001', quantity: 2 },
      ],
    });
    const raw = await scenario('GET', `/purchase-orders/${id}`);
    const po = await client.getPurchaseOrder(id);
    expect(po.poHeaderId).toBe(id);
    expect(po.orderNumber).toBe(raw.header.OrderNumber);
    expect(po.statusCode).toBe('OPEN');
    expect(po.dff.segments.shipViaUps).toBe('Y');
    expect(po.lines.map((l) => l.itemNumber)).toEqual(['CH-0420', 'NW-0001']);
    expect(po.lines.map((l) => l.quantity)).toEqual([3, 2]);
    for (const line of po.lines) {
      expect(line.schedules.length).toBeGreaterThan(0);
      for (const s of line.schedules) {
        expect(s.selfHref).toMatch(/\/child\/schedules\/[0-9A-F]{20,}$/);
        expect(s.distributions.length).toBeGreaterThan(0);
        expect(s.distributions[0]!.chargeAccountSegments).toHaveLength(5);
      }
    }
    expect(po.links.attachments).toMatch(/\/purchaseOrders\/\d+\/child\/attachments$/);
  });

  it('a PO with more lines than one child page is completed through the child link', async () => {
    const lines = Array.from({ length: 30 }, () => ({ item: 'NW-0001', quantity: 1 }));
    const id = await newOpenPo({ lines });
    calls = [];
    const po = await client.getPurchaseOrder(id);
    expect(po.lines).toHaveLength(30);
    expect(calls.some((c) => /\/purchaseOrders\/\d+\/child\/lines\?/.test(c.path))).toBe(true);
    expect(new Set(po.lines.map((l) => l.lineNumber)).size).toBe(30);
  });

  it('item weights come from the item master', async () => {
    const id = await newOpenPo({
      lines: [
        { item: 'EU-4400', quantity: 1 },
        { item: 'NW-0001', quantity: 1 },
      ],
    });
    const po = await client.getPurchaseOrder(id);
    const org = po.lines[0]!.schedules[0]!.shipToOrganizationId;
    const weighed = await client.getItemPhysicalAttributes(po.lines[0]!.itemId!, org);
    expect(weighed?.unitWeight?.value).toBeGreaterThan(0);
    const unweighed = await client.getItemPhysicalAttributes(po.lines[1]!.itemId!, org);
    expect(unweighed?.unitWeight).toBeUndefined();
  });

  it('a user without data access sees no POs (200, empty) and gets not-found for one', async () => {
    const id = await newOpenPo();
    const noAccess = createFusionClient({
      baseUrl: fusion.baseUrl,
      auth: { kind: 'basic', username: 'sandbox.noaccess', password: 'sandbox-password' },
    });
    expect((await noAccess.listChangedSince({ since: new Date(0) })).items).toEqual([]);
    await expect(noAccess.getPurchaseOrder(id)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('addresses', () => {
  it('resolves structured ship-to and supplier-site addresses, cached per client', async () => {
    const id = await newOpenPo({ shipToLocationCode: 'SFO-OFC' });
    const po = await client.getPurchaseOrder(id);
    calls = [];
    const shipTo = await client.getShipToAddress(po.shipToLocationId!);
    expect(shipTo).toMatchObject({ city: 'San Francisco', stateProvince: 'CA', countryCode: 'US' });
    expect(shipTo!.lines.length).toBeGreaterThan(0);
    const shipFrom = await client.getSupplierSiteAddress(po.supplierId!, po.supplierSiteId!);
    expect(shipFrom).toMatchObject({ name: po.supplier, countryCode: expect.stringMatching(/^[A-Z]{2}$/) });
    const n = calls.length;
    await client.getShipToAddress(po.shipToLocationId!);
    await client.getSupplierSiteAddress(po.supplierId!, po.supplierSiteId!);
    expect(calls).toHaveLength(n);
  });
});

describe('ASN write-back', () => {
  it('creates the ASN once; it shows in the lifecycle shipments; a retry finds it instead of posting again', async () => {
    const id = await newOpenPo();
    const po = await client.getPurchaseOrder(id);
    const input = {
      po,
      shipmentNumber: `UPS-${id.slice(-8)}`,
      trackingNumber: '1Z999AA10123456784',
      shippedDate: new Date('2026-11-28T14:00:00Z'),
      expectedReceiptDate: new Date('2026-12-02T00:00:00Z'),
      lines: client.asnLinesFromPo(po),
    };
    const first = await client.createAsn(input);
    expect(first.created).toBe(true);
    const shipments = await client.getLifecycleShipments(id);
    expect(shipments.some((s) => s.tracking === '1Z999AA10123456784' && s.carrier === 'UPS')).toBe(true);
    const again = await client.createAsn(input);
    expect(again.created).toBe(false);
    expect(again.existing).toBeDefined();
    expect(await scenario('GET', `/write-backs?kind=asn&poHeaderId=${id}`)).toHaveLength(1);
  });

  it('the expected delivery date moves on the ASN through the status write-back', async () => {
    const id = await newOpenPo();
    const po = await client.getPurchaseOrder(id);
    const tracking = `1Z999AA1${id.slice(-10)}`;
    await client.createAsn({
      po,
      shipmentNumber: `S-${id.slice(-8)}`,
      trackingNumber: tracking,
      shippedDate: new Date(),
      lines: client.asnLinesFromPo(po),
    });
    const written = await client.writePoStatus({
      mechanism: 'asn',
      poHeaderId: id,
      update: { status: 'expected_delivery', trackingNumber: tracking, expectedDelivery: '20261205' },
    });
    expect(written).toEqual({ written: true });
    const shipments = await client.getLifecycleShipments(id);
    expect(shipments.find((s) => s.tracking === tracking)?.expectedReceiptDate).toMatch(/^2026-12-05/);
    expect(
      await client.writePoStatus({
        mechanism: 'asn',
        poHeaderId: id,
        update: { status: 'delivered', trackingNumber: tracking },
      }),
    ).toMatchObject({ written: false });
  });
});

describe('flexfield change order', () => {
  const segments = {
    context: 'UPS_SHIPPING',
    status: 'upsShipmentStatus',
    trackingNumber: 'upsTrackingNumber',
    expectedDelivery: 'upsStatusDate',
  };

  it('writes header DFF segments through a submitted change order', async () => {
    const id = await newOpenPo();
    const before = await client.getPurchaseOrder(id);
    const result = await client.writeHeaderFlexfield(id, {
      context: 'UPS_SHIPPING',
      segments: { upsTrackingNumber: '1Z999AA10123456784', upsShipmentStatus: 'SHIPPED' },
    });
    expect(result.reusedDraft).toBe(false);
    const after = await client.getPurchaseOrder(id);
    expect(after.dff.segments).toMatchObject({
      upsTrackingNumber: '1Z999AA10123456784',
      upsShipmentStatus: 'SHIPPED',
      shipViaUps: 'Y',
    });
    expect(after.revision).toBeGreaterThan(before.revision);
  });

  it('status write-back by flexfield', async () => {
    const id = await newOpenPo();
    await client.writePoStatus({
      mechanism: 'flexfield',
      poHeaderId: id,
      segments,
      update: { status: 'delivered', trackingNumber: '1Z999AA10123456784' },
    });
    expect((await client.getPurchaseOrder(id)).dff.segments.upsShipmentStatus).toBe('DELIVERED');
  });

  it("someone else's pending change order is a conflict to retry later", async () => {
    const id = await newOpenPo();
    await scenario('POST', `/purchase-orders/${id}/change-order`, { user: 'OTHER.BUYER' });
    const e = await client
      .writeHeaderFlexfield(id, { segments: { upsShipmentStatus: 'SHIPPED' } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FusionError);
    expect(e).toMatchObject({
      kind: 'conflict',
      fusionMessage: expect.stringContaining('pending change order'),
    });
    // Once it is approved, the write goes through.
    await scenario('POST', `/purchase-orders/${id}/approve-change-order`);
    await client.writeHeaderFlexfield(id, { segments: { upsShipmentStatus: 'SHIPPED' } });
    expect((await client.getPurchaseOrder(id)).dff.segments.upsShipmentStatus).toBe('SHIPPED');
  });

  it('closed, canceled and frozen POs are refused as hard errors with Fusion’s message, leaving nothing open', async () => {
    for (const op of ['close', 'cancel', 'freeze']) {
      const id = await newOpenPo();
      await scenario('POST', `/purchase-orders/${id}/${op}`);
      const e = await client
        .writeHeaderFlexfield(id, { segments: { upsShipmentStatus: 'SHIPPED' } })
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ kind: 'hard', httpStatus: 400 });
      expect((e as FusionError).fusionMessage).toMatch(/can't create a change order/);
      expect((await scenario('GET', `/purchase-orders/${id}`)).changeOrder).toBeNull();
    }
  });
});

describe('framework version 3 (children as collections, plain-text errors)', () => {
  it('reads the same PO and types the same refusal', async () => {
    const v3 = createFusionClient({
      baseUrl: fusion.baseUrl,
      auth: BUYER,
      restFrameworkVersion: 3,
      retry: FAST,
    });
    const id = await newOpenPo();
    expect(await v3.getPurchaseOrder(id)).toEqual(await client.getPurchaseOrder(id));
    await scenario('POST', `/purchase-orders/${id}/freeze`);
    const e = await v3
      .writeHeaderFlexfield(id, { segments: { upsShipmentStatus: 'SHIPPED' } })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'hard', fusionMessage: expect.stringContaining('frozen') });
  });
});

describe('attachment write-back', () => {
  it('adds a UPS tracking link once', async () => {
    const id = await newOpenPo();
    const po = await client.getPurchaseOrder(id);
    const spec = {
      kind: 'url' as const,
      title: 'UPS tracking 1Z999AA10123456784',
      url: upsTrackingUrl('1Z999AA10123456784'),
    };
    expect((await client.addAttachment(po, spec)).added).toBe(true);
    expect((await client.addAttachment(await client.getPurchaseOrder(id), spec)).added).toBe(false);
    expect(await scenario('GET', `/write-backs?kind=attachment&poHeaderId=${id}`)).toHaveLength(1);
  });
});

describe('auth and resilience against the sandbox', () => {
  it('OAuth client credentials; a revoked token is refreshed once and the call succeeds', async () => {
    const oauth = createFusionClient({
      baseUrl: fusion.baseUrl,
      auth: {
        kind: 'oauth',
        tokenUrl: `${fusion.baseUrl}/oauth2/v1/token`,
        clientId: 'sandbox-fusion-client',
        clientSecret: 'sandbox-fusion-secret',
        scope: 'urn:opc:resource:fa:instanceid=sandbox',
      },
      onCall: (c) => calls.push(c),
    });
    await oauth.listChangedSince({ since: new Date(0), limit: 1 });
    await scenario('POST', '/tokens/revoke', {});
    await oauth.listChangedSince({ since: new Date(0), limit: 1 });
    expect(calls.filter((c) => c.path === '/oauth2/v1/token')).toHaveLength(2);
    expect(calls.filter((c) => c.status === 401)).toHaveLength(1);
  });

  it('retries injected 503s and reports each attempt', async () => {
    await scenario('POST', '/faults', { endpoint: 'purchaseOrders', kind: 'error', status: 503, times: 2 });
    try {
      const page = await client.listChangedSince({ since: new Date(0), limit: 1 });
      expect(page.items).toHaveLength(1);
      expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
      expect(calls[0]!.externalIds?.['x-oracle-dms-ecid']).toBeTruthy();
    } finally {
      await scenario('DELETE', '/faults');
    }
  });

  it('doctor: every check passes for the buyer; the no-access user is told about data security', async () => {
    const checks = await client.diagnose();
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const noAccess = createFusionClient({
      baseUrl: fusion.baseUrl,
      auth: { kind: 'basic', username: 'sandbox.noaccess', password: 'sandbox-password' },
    });
    const po = (await noAccess.diagnose()).find((c) => c.check === 'read purchase orders');
    expect(po).toMatchObject({ ok: true, fix: expect.stringContaining('data security') });
    const wrong = createFusionClient({
      baseUrl: fusion.baseUrl,
      auth: { kind: 'basic', username: 'sandbox.buyer', password: 'wrong' },
    });
    const failed = (await wrong.diagnose()).find((c) => c.check === 'read purchase orders');
    expect(failed).toMatchObject({ ok: false, fix: expect.stringContaining('password') });
  });

  it('doctor: reads items, a supplier site address and lifecycle shipments; write rights are only unverified', async () => {
    const checks = await client.diagnose({ tracking: 'asn', status: 'attachment' });
    const byName = Object.fromEntries(checks.map((c) => [c.check, c]));
    expect(byName['read item weights (itemsV2)']).toMatchObject({ ok: true });
    expect(byName['read item weights (itemsV2)']?.unverified).toBeUndefined();
    expect(byName['read supplier site address']).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^supplier site addresses are readable \(site \d+: .+, [A-Z]{2}\)$/),
    });
    expect(byName['read supplier site address']?.unverified).toBeUndefined();
    expect(byName['read PO lifecycle shipments']).toMatchObject({ ok: true });
    expect(byName['ASN create rights (receipt requests)']).toMatchObject({
      ok: true,
      unverified: true,
      fix: expect.stringContaining('Manage Receiving Receipt Requests'),
    });
    expect(byName['change-order rights (status attachment)']).toMatchObject({
      ok: true,
      unverified: true,
      fix: expect.stringContaining('Change Purchase Order'),
    });
    // A flexfield tenant is not asked about ASNs, and the other way round.
    const flexfield = (await client.diagnose({ tracking: 'flexfield', status: 'none' })).map((c) => c.check);
    expect(flexfield).toContain('change-order rights (tracking flexfield)');
    expect(flexfield.filter((c) => /ASN|lifecycle/.test(c))).toEqual([]);
    const asnOnly = (await client.diagnose({ tracking: 'asn', status: 'none' })).map((c) => c.check);
    expect(asnOnly.filter((c) => c.startsWith('change-order'))).toEqual([]);
  });

  it('doctor: a 403 on receipt requests fails the ASN check; a pod without the lifecycle resource fails it with the fix', async () => {
    await scenario('POST', '/faults', { endpoint: 'receivingReceiptRequests', kind: 'error', status: 403 });
    await scenario('POST', '/faults', {
      endpoint: 'purchaseOrderLifeCycleDetails',
      kind: 'error',
      status: 404,
    });
    try {
      const checks = await client.diagnose({ tracking: 'asn', status: 'none' });
      expect(checks.find((c) => c.check === 'ASN create rights (receipt requests)')).toMatchObject({
        ok: false,
        fix: 'Grant the integration user a role with the privilege "Manage Receiving Receipt Requests".',
      });
      expect(checks.find((c) => c.check === 'read PO lifecycle shipments')).toMatchObject({
        ok: false,
        fix: expect.stringContaining('24D'),
      });
    } finally {
      await scenario('DELETE', '/faults');
    }
  });
});
