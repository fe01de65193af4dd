/* eslint-disable @typescript-eslint/no-explicit-any -- tests read Fusion JSON loosely */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, basic, startClient, type FusionTestClient } from './test-client.js';

const PO = `${API}/purchaseOrders`;
const DRAFT = `${API}/draftPurchaseOrders`;
const ACTION = 'application/vnd.oracle.adf.action+json';

describe('draftPurchaseOrders change-order flow', () => {
  let c: FusionTestClient;
  let poId: number;
  beforeAll(async () => {
    c = await startClient({ poCount: 5 });
  });
  afterAll(() => c.close());
  beforeEach(async () => {
    await c.scenario('POST', '/settings', { changeOrderApprovalSeconds: 0 });
    const po = await c.scenario('POST', '/purchase-orders', {
      status: 'OPEN',
      shipViaUps: true,
      carrier: 'UPS_GROUND',
    });
    poId = po.header.POHeaderId;
  });

  it('opens an incomplete change order, edits header and DFF in it, and applies them on submit', async () => {
    const before = (await c.get(`${PO}/${poId}`)).body;
    c.sandbox.clock.advance(60_000);

    const patch = await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'UPS tracking [test]', NoteToReceiver: 'Ships UPS' },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({
      ChangeOrderStatusCode: 'INCOMPLETE',
      ChangeOrderDescription: 'UPS tracking [test]',
      NoteToReceiver: 'Ships UPS',
    });
    const dffHref: string = patch.body.links.find((l: any) => l.rel === 'child' && l.name === 'DFF').href;
    expect(patch.body.links.find((l: any) => l.rel === 'action' && l.name === 'submit').href).toBe(
      `${c.baseUrl}${DRAFT}/${poId}/action/submit`,
    );

    const dff = await c.request('PATCH', `${dffHref.slice(c.baseUrl.length)}/${poId}`, {
      body: {
        __FLEX_Context: 'UPS_SHIPPING',
        upsTrackingNumber: '1Z999AA10123456784',
        upsShipmentStatus: 'SHIPPED',
      },
    });
    expect(dff.status).toBe(200);
    expect(dff.body.upsTrackingNumber).toBe('1Z999AA10123456784');

    // Nothing shows on the PO until the change order is approved.
    const unchanged = (await c.get(`${PO}/${poId}?expand=DFF`)).body;
    expect(unchanged.NoteToReceiver).toBeNull();
    expect(unchanged.DFF.items[0].upsTrackingNumber).toBeNull();
    expect(unchanged.LastUpdateDate).toBe(before.LastUpdateDate);

    const submit = await c.request('POST', `${DRAFT}/${poId}/action/submit`, {
      body: {},
      contentType: ACTION,
    });
    expect(submit.status).toBe(200);
    expect(submit.body).toEqual({ result: 'SUCCESS' });

    const after = (await c.get(`${PO}/${poId}?expand=DFF`)).body;
    expect(after.Revision).toBe(before.Revision + 1);
    expect(Date.parse(after.LastUpdateDate)).toBeGreaterThan(Date.parse(before.LastUpdateDate));
    expect(after.NoteToReceiver).toBe('Ships UPS');
    expect(after.DFF.items[0]).toMatchObject({
      upsTrackingNumber: '1Z999AA10123456784',
      upsShipmentStatus: 'SHIPPED',
      shipViaUps: 'Y',
    });
    expect((await c.get(`${DRAFT}/${poId}`)).status).toBe(404);

    const writes = await c.scenario('GET', `/write-backs?poHeaderId=${poId}`);
    expect(writes.map((w: any) => w.kind)).toEqual(['change-order', 'dff', 'action']);
  });

  it('blocks a second change order while one is pending approval, and approves on the clock', async () => {
    await c.scenario('POST', '/settings', { changeOrderApprovalSeconds: 600 });
    await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'first', SupplierOrder: 'SO-1' },
    });
    await c.request('POST', `${DRAFT}/${poId}/action/submit`, { body: {}, contentType: ACTION });
    const second = await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'second' },
    });
    expect(second.status).toBe(400);
    expect(second.body['o:errorDetails'][0].detail).toMatch(/change order is pending approval/);
    expect((await c.get(`${DRAFT}/${poId}`)).body.ChangeOrderStatusCode).toBe('PENDING APPROVAL');

    c.sandbox.clock.advance(601_000);
    expect((await c.get(`${PO}/${poId}`)).body.SupplierOrder).toBe('SO-1');
    expect(
      (await c.request('PATCH', `${DRAFT}/${poId}`, { body: { ChangeOrderDescription: 'third' } })).status,
    ).toBe(200);
  });

  it("refuses a change order while someone else's is open, and bypasses approval on request", async () => {
    await c.scenario('POST', '/settings', { changeOrderApprovalSeconds: null });
    await c.scenario('POST', `/purchase-orders/${poId}/change-order`, { user: 'OTHER.BUYER' });
    const blocked = await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'ours' },
    });
    expect(blocked.status).toBe(400);
    expect(blocked.body['o:errorDetails'][0].detail).toContain('OTHER.BUYER has a pending change order');
    await c.scenario('POST', `/purchase-orders/${poId}/reject-change-order`);

    await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'ours', Description: 'Bypassed' },
    });
    await c.request('POST', `${DRAFT}/${poId}/action/submit`, {
      body: { parameters: [{ bypassApprovalsFlag: true }] },
      contentType: ACTION,
    });
    expect((await c.get(`${PO}/${poId}`)).body.Description).toBe('Bypassed');
  });

  it('refuses change orders on closed, canceled, on-hold and frozen POs', async () => {
    for (const [op, word] of [
      ['close', 'Closed'],
      ['cancel', 'Canceled'],
      ['hold', 'On Hold'],
      ['freeze', 'frozen'],
    ] as const) {
      const po = await c.scenario('POST', '/purchase-orders', { status: 'OPEN' });
      await c.scenario('POST', `/purchase-orders/${po.header.POHeaderId}/${op}`);
      const r = await c.request('PATCH', `${DRAFT}/${po.header.POHeaderId}`, {
        body: { ChangeOrderDescription: 'x' },
      });
      expect(r.status).toBe(400);
      expect(r.body['o:errorDetails'][0].detail).toContain(word);
    }
  });

  it('validates attributes, DFF segments and values', async () => {
    const readOnly = await c.request('PATCH', `${DRAFT}/${poId}`, { body: { Supplier: 'Someone else' } });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body['o:errorDetails'][0]).toMatchObject({ 'o:errorPath': 'Supplier' });
    expect((await c.request('PATCH', `${DRAFT}/${poId}`, { body: { Nonsense: 1 } })).status).toBe(400);
    expect((await c.request('PATCH', `${DRAFT}/${poId}`, { body: { NoteToReceiver: 5 } })).status).toBe(400);
    expect(
      (await c.request('PATCH', `${DRAFT}/${poId}`, { body: { ShipToLocationCode: 'NOWHERE' } })).status,
    ).toBe(400);
    expect(
      (await c.request('PATCH', `${DRAFT}/${poId}/child/DFF/${poId}`, { body: { shipViaUps: 'maybe' } }))
        .status,
    ).toBe(400);
    expect(
      (await c.request('PATCH', `${DRAFT}/${poId}/child/DFF/${poId}`, { body: { secretSegment: 'x' } }))
        .status,
    ).toBe(400);
    expect(
      (await c.request('PATCH', `${DRAFT}/${poId}/child/DFF/${poId}`, { body: { __FLEX_Context: 'OTHER' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await c.request('PATCH', `${DRAFT}/${poId}`, {
          body: { Description: 'x' },
          contentType: 'text/plain',
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await c.request('PATCH', `${DRAFT}/${poId}`, {
          body: '{"Description":',
          contentType: 'application/json',
        })
      ).status,
    ).toBe(400);
    // A refused PATCH leaves no change order behind.
    expect((await c.get(`${DRAFT}/${poId}`)).status).toBe(404);
  });

  it('changes the ship-to location and its formatted address', async () => {
    await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'move', ShipToLocationCode: 'LOU-DC' },
    });
    await c.request('POST', `${DRAFT}/${poId}/action/submit`, { body: {} });
    const po = (await c.get(`${PO}/${poId}`)).body;
    expect(po.ShipToLocationCode).toBe('LOU-DC');
    expect(po.ShipToLocationAddress).toBe('1350 Commerce Dr, Louisville, KY 40223, Jefferson, United States');
  });

  it('answers 412 to a PATCH with a stale If-Match', async () => {
    const etag = (await c.get(`${PO}/${poId}`)).headers.get('etag')!;
    await c.scenario('PATCH', `/purchase-orders/${poId}`, {
      header: { NoteToSupplier: 'changed in the UI' },
    });
    const stale = await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'x' },
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    const fresh = (await c.get(`${PO}/${poId}`)).headers.get('etag')!;
    expect(fresh).not.toBe(etag);
    expect(
      (
        await c.request('PATCH', `${DRAFT}/${poId}`, {
          body: { ChangeOrderDescription: 'x' },
          headers: { 'If-Match': fresh },
        })
      ).status,
    ).toBe(200);
  });

  it('adds attachments to the change order; they show on the PO after approval', async () => {
    await c.request('PATCH', `${DRAFT}/${poId}`, { body: { ChangeOrderDescription: 'tracking link' } });
    const web = await c.request('POST', `${DRAFT}/${poId}/child/attachments`, {
      body: {
        DatatypeCode: 'WEB_PAGE',
        Url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
        Title: 'UPS tracking',
        CategoryName: 'MISC',
      },
    });
    expect(web.status).toBe(201);
    expect(web.headers.get('location')).toMatch(/\/child\/attachments\/[0-9A-F]{40,}$/);
    const file = await c.request('POST', `${DRAFT}/${poId}/child/attachments`, {
      body: {
        DatatypeCode: 'FILE',
        FileName: 'label.gif',
        FileContents: Buffer.from('GIF89a').toString('base64'),
        UploadedFileContentType: 'image/gif',
      },
    });
    expect(file.body.UploadedFileLength).toBe(6);
    expect(
      (
        await c.request('POST', `${DRAFT}/${poId}/child/attachments`, {
          body: { DatatypeCode: 'WEB_PAGE', Url: 'ftp://x' },
        })
      ).status,
    ).toBe(400);
    expect((await c.get(`${PO}/${poId}/child/attachments`)).body.items).toHaveLength(0);
    await c.request('POST', `${DRAFT}/${poId}/action/submit`, { body: {} });
    const atts = (await c.get(`${PO}/${poId}/child/attachments`)).body.items;
    expect(atts.map((a: any) => a.DatatypeCode)).toEqual(['WEB_PAGE', 'FILE']);
    const writes = await c.scenario('GET', `/write-backs?kind=attachment&poHeaderId=${poId}`);
    expect(writes[1].detail.FileContents).toBe(Buffer.from('GIF89a').toString('base64'));
  });

  it('accepts PATCH sent as POST with X-HTTP-Method-Override', async () => {
    const r = await c.request('POST', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'override', SupplierOrder: 'SO-OVR' },
      headers: { 'X-HTTP-Method-Override': 'PATCH' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ChangeOrderStatusCode: 'INCOMPLETE', SupplierOrder: 'SO-OVR' });
  });

  it('deletes an incomplete change order', async () => {
    await c.request('PATCH', `${DRAFT}/${poId}`, {
      body: { ChangeOrderDescription: 'oops', Description: 'never' },
    });
    expect((await c.request('POST', `${DRAFT}/${poId}/action/deleteChangeOrder`, { body: {} })).status).toBe(
      200,
    );
    expect((await c.get(`${DRAFT}/${poId}`)).status).toBe(404);
    expect((await c.get(`${PO}/${poId}`)).body.Description).not.toBe('never');
    expect((await c.request('POST', `${DRAFT}/${poId}/action/submit`, { body: {} })).status).toBe(400);
  });

  it('edits never-approved drafts in place and hides POs from users without access', async () => {
    const draft = await c.scenario('POST', '/purchase-orders', {
      status: 'INCOMPLETE',
      approveInSeconds: null,
    });
    const id = draft.header.POHeaderId;
    expect((await c.get(`${DRAFT}?q=POHeaderId=${id}`)).body.count).toBe(1);
    const r = await c.request('PATCH', `${DRAFT}/${id}`, {
      body: { CurrencyCode: 'USD', NoteToSupplier: 'draft note' },
    });
    expect(r.status).toBe(200);
    expect(r.body.ChangeOrderStatusCode).toBeNull();
    expect((await c.get(`${PO}/${id}`)).body.NoteToSupplier).toBe('draft note');
    expect(
      (
        await c.request('PATCH', `${DRAFT}/${id}`, {
          body: { ChangeOrderDescription: 'x' },
          auth: basic('sandbox.noaccess'),
        })
      ).status,
    ).toBe(404);
    expect((await c.get(DRAFT, { auth: basic('sandbox.noaccess') })).body.items).toEqual([]);
  });
});
