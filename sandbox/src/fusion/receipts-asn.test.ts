/* eslint-disable @typescript-eslint/no-explicit-any -- tests read Fusion JSON loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, basic, startClient, type FusionTestClient } from './test-client.js';

const RRR = `${API}/receivingReceiptRequests`;
const LIFE = `${API}/purchaseOrderLifeCycleDetails`;

describe('ASNs through receivingReceiptRequests and the PO lifecycle', () => {
  let c: FusionTestClient;
  let po: any;
  beforeAll(async () => {
    c = await startClient({ poCount: 3 });
    po = await c.scenario('POST', '/purchase-orders', {
      status: 'OPEN',
      shipViaUps: true,
      carrier: 'UPS_GROUND',
      lines: [
        { item: 'AS54888', quantity: 4 },
        { item: 'SF-7701', quantity: 10 },
      ],
    });
  });
  afterAll(() => c.close());

  const asn = (overrides: Record<string, unknown> = {}, lines?: unknown[]) => ({
    ReceiptSourceCode: 'SUPPLIER',
    ASNType: 'ASN',
    ShipmentNumber: `UPS-${Math.random().toString(36).slice(2, 10)}`,
    VendorName: po.header.Supplier,
    VendorSiteCode: po.header.SupplierSite,
    BusinessUnit: po.header.ProcurementBU,
    FreightCarrierName: 'UPS',
    WaybillAirbillNumber: '1Z999AA10123456784',
    ShippedDate: '2026-11-20T15:00:00+00:00',
    ExpectedReceiptDate: '2026-11-24',
    ...overrides,
    lines: lines ?? [
      {
        TransactionType: 'SHIP',
        AutoTransactCode: 'SHIP',
        SourceDocumentCode: 'PO',
        DocumentNumber: po.header.OrderNumber,
        DocumentLineNumber: 1,
        DocumentShipmentLineNumber: 1,
        Quantity: 4,
        UnitOfMeasure: 'Each',
        ItemNumber: 'AS54888',
      },
      {
        TransactionType: 'SHIP',
        AutoTransactCode: 'SHIP',
        SourceDocumentCode: 'PO',
        DocumentNumber: po.header.OrderNumber,
        DocumentLineNumber: 2,
        Quantity: 6,
        UnitOfMeasure: 'Ea',
      },
    ],
  });

  it('creates an ASN and shows carrier and tracking on the lifecycle shipments', async () => {
    const r = await c.request('POST', RRR, { body: asn({ ShipmentNumber: 'UPS-1Z999AA10123456784' }) });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${c.baseUrl}${RRR}/${r.body.HeaderInterfaceId}`);
    expect(r.body).toMatchObject({
      ProcessingStatusCode: 'SUCCESS',
      ASNType: 'ASN',
      WaybillAirbillNumber: '1Z999AA10123456784',
    });
    expect(r.body.lines.items).toHaveLength(2);
    expect(r.body.lines.items[1]).toMatchObject({
      POHeaderId: po.header.POHeaderId,
      DocumentShipmentLineNumber: 1,
    });

    const shipments = await c.get(`${LIFE}/${po.header.POHeaderId}/child/shipments`);
    expect(shipments.status).toBe(200);
    expect(shipments.body.items).toHaveLength(2);
    expect(shipments.body.items[0]).toMatchObject({
      Shipment: 'UPS-1Z999AA10123456784',
      Carrier: 'UPS',
      Tracking: '1Z999AA10123456784',
      ShippedDate: '2026-11-20T15:00:00.000+00:00',
      ShippedQuantity: 4,
      LineNumber: 1,
      ReceiptDate: null,
    });
    const item = await c.get(`${LIFE}/${po.header.POHeaderId}?expand=shipments,schedules`);
    expect(item.body.schedules.items).toHaveLength(2);
    expect((await c.get(LIFE)).status).toBe(405);

    const writes = await c.scenario('GET', `/write-backs?kind=asn&poHeaderId=${po.header.POHeaderId}`);
    expect(writes[0].detail.WaybillAirbillNumber).toBe('1Z999AA10123456784');
  });

  it('moves a PATCHed expected receipt date onto the lifecycle shipments', async () => {
    const created = (
      await c.request('POST', RRR, {
        body: asn({}, [
          {
            TransactionType: 'SHIP',
            DocumentNumber: po.header.OrderNumber,
            DocumentLineNumber: 2,
            Quantity: 1,
          },
        ]),
      })
    ).body;
    const patched = await c.request('PATCH', `${RRR}/${created.HeaderInterfaceId}`, {
      body: { ExpectedReceiptDate: '2026-11-30T12:00:00Z' },
    });
    expect(patched.status).toBe(200);
    const rows = (
      await c.get(
        `${LIFE}/${po.header.POHeaderId}/child/shipments?q=${encodeURIComponent(`Shipment = '${created.ShipmentNumber}'`)}`,
      )
    ).body.items;
    expect(rows).toHaveLength(1);
    expect(rows[0].ExpectedReceiptDate).toBe('2026-11-30T12:00:00.000+00:00');
    expect(
      (await c.request('PATCH', `${RRR}/${created.HeaderInterfaceId}`, { body: { VendorName: 'x' } })).status,
    ).toBe(400);
  });

  it('keeps a failed request with its errors: quantity over the open quantity, or a closed PO', async () => {
    const over = await c.request('POST', RRR, {
      body: asn({}, [
        {
          TransactionType: 'SHIP',
          DocumentNumber: po.header.OrderNumber,
          DocumentLineNumber: 1,
          Quantity: 1,
        },
      ]),
    });
    expect(over.status).toBe(201);
    expect(over.body.ProcessingStatusCode).toBe('ERROR');
    const errors = await c.get(`${RRR}/${over.body.HeaderInterfaceId}/child/processingErrors`);
    expect(errors.body.items[0]).toMatchObject({ ColumnName: 'Quantity' });
    expect(errors.body.items[0].ErrorMessage).toContain('open quantity 0');

    const closed = await c.scenario('POST', '/purchase-orders', { status: 'CLOSED' });
    const r = await c.request('POST', RRR, {
      body: asn({ VendorName: closed.header.Supplier }, [
        {
          TransactionType: 'SHIP',
          DocumentNumber: closed.header.OrderNumber,
          DocumentLineNumber: 1,
          Quantity: 1,
        },
      ]),
    });
    expect(r.body.ProcessingStatusCode).toBe('ERROR');
    expect((await c.get(`${LIFE}/${closed.header.POHeaderId}/child/shipments`)).body.items).toEqual([]);

    const wrongVendor = await c.request('POST', RRR, {
      body: asn({ VendorName: 'Not The Supplier' }, [
        {
          TransactionType: 'SHIP',
          DocumentNumber: po.header.OrderNumber,
          DocumentLineNumber: 2,
          Quantity: 1,
        },
      ]),
    });
    expect(wrongVendor.body.ProcessingStatusCode).toBe('ERROR');
    const wrongSite = await c.request('POST', RRR, {
      body: asn({ VendorName: null, VendorId: po.header.SupplierId, VendorSiteId: 1 }, [
        {
          TransactionType: 'SHIP',
          DocumentNumber: po.header.OrderNumber,
          DocumentLineNumber: 2,
          Quantity: 1,
        },
      ]),
    });
    expect(wrongSite.body.ProcessingStatusCode).toBe('ERROR');
    const siteErrors = await c.get(`${RRR}/${wrongSite.body.HeaderInterfaceId}/child/processingErrors`);
    expect(siteErrors.body.items.map((e: any) => e.ColumnName)).toEqual(['VendorSiteId']);
  });

  it('refuses a duplicate shipment number for the same supplier', async () => {
    const line = [
      { TransactionType: 'SHIP', DocumentNumber: po.header.OrderNumber, DocumentLineNumber: 2, Quantity: 1 },
    ];
    const first = await c.request('POST', RRR, { body: asn({ ShipmentNumber: 'DUP-1' }, line) });
    expect(first.body.ProcessingStatusCode).toBe('SUCCESS');
    const again = await c.request('POST', RRR, { body: asn({ ShipmentNumber: 'DUP-1' }, line) });
    expect(again.body.ProcessingStatusCode).toBe('ERROR');
    expect(
      (await c.get(`${RRR}/${again.body.HeaderInterfaceId}/child/processingErrors`)).body.items[0].ColumnName,
    ).toBe('ShipmentNumber');
  });

  it('answers 400 to malformed requests, naming the problem', async () => {
    const noLines = await c.request('POST', RRR, { body: { ...asn(), lines: [] } });
    expect(noLines.status).toBe(400);
    expect(noLines.body['o:errorDetails'][0].detail).toContain('lines');
    expect((await c.request('POST', RRR, { body: asn({ ShippedDate: 'tomorrow' }) })).status).toBe(400);
    expect((await c.request('POST', RRR, { body: asn({ ASNType: 'XYZ' }) })).status).toBe(400);
    expect((await c.request('POST', RRR, { body: asn({ Carrier: 'UPS' }) })).status).toBe(400);
    expect(
      (
        await c.request('POST', RRR, {
          body: asn({}, [
            {
              TransactionType: 'SHIP',
              DocumentNumber: po.header.OrderNumber,
              DocumentLineNumber: 1,
              Quantity: -1,
            },
          ]),
        })
      ).status,
    ).toBe(400);
    const { ShippedDate: _omit, ...noShipDate } = asn();
    expect((await c.request('POST', RRR, { body: noShipDate })).status).toBe(400);
  });

  it('deletes a request and its shipments; hides requests from users without access', async () => {
    const created = (
      await c.request('POST', RRR, {
        body: asn({}, [
          {
            TransactionType: 'SHIP',
            DocumentNumber: po.header.OrderNumber,
            DocumentLineNumber: 2,
            Quantity: 1,
          },
        ]),
      })
    ).body;
    expect(
      (await c.get(`${RRR}/${created.HeaderInterfaceId}`, { auth: basic('sandbox.noaccess') })).status,
    ).toBe(404);
    const before = (await c.get(`${LIFE}/${po.header.POHeaderId}/child/shipments`)).body.count;
    expect((await c.request('DELETE', `${RRR}/${created.HeaderInterfaceId}`)).status).toBe(204);
    expect((await c.get(`${LIFE}/${po.header.POHeaderId}/child/shipments`)).body.count).toBe(before - 1);
    expect((await c.get(`${RRR}/${created.HeaderInterfaceId}`)).status).toBe(404);
  });
});
