/**
 * The exact payloads the sandbox serves, as snapshots: what a Fusion client is written against. The clock
 * is frozen and the seed fixed, so ids, keys and dates are stable; the random port is replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../clock.js';
import { API, startClient, type FusionTestClient } from './test-client.js';

describe('payload shapes', () => {
  let c: FusionTestClient;
  let id: number;
  const stable = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll(c.baseUrl, 'https://fusion.example.com'));

  beforeAll(async () => {
    const clock = new SandboxClock();
    clock.freeze(new Date('2026-03-02T09:30:00Z'));
    c = await startClient({ clock, seed: 1, poCount: 0 });
    const po = await c.scenario('POST', '/purchase-orders', {
      status: 'OPEN',
      shipViaUps: true,
      carrier: 'UPS_GROUND',
      shipToLocationCode: 'ATL-DC',
      supplierSiteCode: 'ACME MOUNTAIN VIEW',
      lines: [{ item: 'AS54888', quantity: 2 }],
      description: 'Snapshot PO',
      createdSecondsAgo: 86_400,
    });
    id = po.header.POHeaderId;
  });
  afterAll(() => c.close());

  it('purchase order item, v4, with nested children and DFF', async () => {
    const r = await c.get(`${API}/purchaseOrders/${id}?expand=lines.schedules.distributions,DFF`, {
      version: 4,
    });
    expect(stable(r.body)).toMatchSnapshot();
  });

  it('purchase order collection, v1, with fields, expanded lines as an array and totalResults', async () => {
    const r = await c.get(
      `${API}/purchaseOrders?fields=POHeaderId,OrderNumber,Revision,StatusCode,LastUpdateDate;lines:LineNumber,Item,Quantity,UOMCode&totalResults=true`,
      { version: 1 },
    );
    expect(stable(r.body)).toMatchSnapshot();
  });

  it('errors: v4 JSON and v1 text', async () => {
    const v4 = await c.get(`${API}/purchaseOrders?q=${encodeURIComponent("POHeaderId = 'x'")}`, {
      version: 4,
    });
    const v1 = await c.get(`${API}/purchaseOrders?q=${encodeURIComponent('POHeaderId=x')}`, { version: 1 });
    expect({
      v4: { status: v4.status, type: v4.headers.get('content-type'), body: v4.body },
      v1: { status: v1.status, type: v1.headers.get('content-type'), text: v1.text },
    }).toMatchSnapshot();
  });

  it('ASN request and the lifecycle shipments it creates', async () => {
    const asn = await c.request('POST', `${API}/receivingReceiptRequests`, {
      body: {
        ASNType: 'ASN',
        ReceiptSourceCode: 'SUPPLIER',
        ShipmentNumber: '1Z999AA10123456784',
        ShippedDate: '2026-03-02T09:00:00Z',
        FreightCarrierName: 'UPS',
        WaybillAirbillNumber: '1Z999AA10123456784',
        lines: [
          {
            TransactionType: 'SHIP',
            AutoTransactCode: 'SHIP',
            SourceDocumentCode: 'PO',
            POHeaderId: id,
            DocumentLineNumber: 1,
            Quantity: 2,
            UnitOfMeasure: 'Ea',
          },
        ],
      },
    });
    const shipments = await c.get(`${API}/purchaseOrderLifeCycleDetails/${id}/child/shipments`);
    expect(stable({ asn: asn.body, shipments: shipments.body })).toMatchSnapshot();
  });

  it('change order draft after PATCH', async () => {
    const r = await c.request('PATCH', `${API}/draftPurchaseOrders/${id}?onlyData=true`, {
      body: { ChangeOrderDescription: 'UPS shipment details', NoteToReceiver: 'UPS 1Z999AA10123456784' },
    });
    expect(stable(r.body)).toMatchSnapshot();
  });
});
