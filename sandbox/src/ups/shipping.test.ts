/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { shipRequest, startKit, type Kit } from './test-kit.js';
import { isValid1Z } from './tracking-numbers.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());

async function call(method: string, path: string, body?: unknown) {
  const r = await kit.ups(method, path, body);
  expect(contracts.validateResponse(method, path, r.status, r.body).errors).toEqual([]);
  return r;
}
const ship = (body: unknown) => call('POST', '/api/shipments/v2409/ship', body);
const errorCode = (r: { body: any }) => r.body.response.errors[0].code as string;

describe('Shipping: ship', () => {
  it('creates 1Z numbers with correct check digits, ShipmentIdentificationNumber = first package, a GIF per package', async () => {
    const r = await ship(shipRequest({ packages: 3, reference: 'PO-2001' }));
    expect(r.status).toBe(200);
    const results = r.body.ShipmentResponse.ShipmentResults;
    const numbers = results.PackageResults.map((p: any) => p.TrackingNumber as string);
    expect(numbers).toHaveLength(3);
    for (const n of numbers) expect(isValid1Z(n)).toBe(true);
    expect(results.ShipmentIdentificationNumber).toBe(numbers[0]);
    const gif = Buffer.from(results.PackageResults[1].ShippingLabel.GraphicImage, 'base64');
    expect(gif.subarray(0, 6).toString('ascii')).toBe('GIF89a');
    expect(gif.readUInt16LE(6)).toBe(120);
    expect(gif[gif.length - 1]).toBe(0x3b);
    expect(gif.toString('latin1')).toContain(numbers[1]);
  });

  it('renders ZPL when LabelSpecification asks for it', async () => {
    const r = await ship(shipRequest({ format: 'ZPL', reference: 'PO-2002' }));
    const label = r.body.ShipmentResponse.ShipmentResults.PackageResults[0].ShippingLabel;
    expect(label.ImageFormat.Code).toBe('ZPL');
    const zpl = Buffer.from(label.GraphicImage, 'base64').toString('utf8');
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl).toContain(r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber);
  });

  it('refuses a package over 150 lb (111035), a missing ship-to line (120202), an international service (121100), a foreign account (111600)', async () => {
    expect(errorCode(await ship(shipRequest({ weight: '150.5' })))).toBe('111035');
    const noLine = shipRequest();
    noLine.ShipmentRequest.Shipment.ShipTo.Address.AddressLine = [];
    expect(errorCode(await ship(noLine))).toBe('120202');
    expect(errorCode(await ship(shipRequest({ service: '65' })))).toBe('121100');
    const mismatch = shipRequest();
    mismatch.ShipmentRequest.Shipment.PaymentInformation.ShipmentCharge[0]!.BillShipper.AccountNumber =
      'X9X9X9';
    expect(errorCode(await ship(mismatch))).toBe('111600');
    const notMine = shipRequest();
    notMine.ShipmentRequest.Shipment.Shipper.ShipperNumber = 'X9X9X9';
    expect(errorCode(await ship(notMine))).toBe('120100');
    const ledger = await kit.scenario('GET', '/ledger?reference=PO-1001');
    expect(ledger.body.shipments).toHaveLength(0);
  });
});

describe('Shipping: void, label recovery and the ledger', () => {
  it('voids once (Voided), then reports Already Voided; the ledger counts live labels per PO', async () => {
    const a = (await ship(shipRequest({ packages: 2, reference: 'PO-3001' }))).body.ShipmentResponse
      .ShipmentResults;
    await ship(shipRequest({ reference: 'PO-3001' }));
    expect((await kit.scenario('GET', '/ledger?reference=PO-3001')).body.liveLabels).toBe(3);
    const id = a.ShipmentIdentificationNumber as string;
    const first = await call('DELETE', `/api/shipments/v2409/void/cancel/${id}`);
    expect(first.body.VoidShipmentResponse.SummaryResult.Status).toEqual({
      Code: '1',
      Description: 'Voided',
    });
    const again = await call('DELETE', `/api/shipments/v2409/void/cancel/${id}`);
    expect(again.body.VoidShipmentResponse.PackageLevelResults.map((p: any) => p.Status.Description)).toEqual(
      ['Already Voided', 'Already Voided'],
    );
    const ledger = (await kit.scenario('GET', '/ledger?reference=PO-3001')).body;
    expect(ledger.liveLabels).toBe(1);
    expect(ledger.shipments.find((s: any) => s.shipmentIdentificationNumber === id).voidedAt).toBeDefined();
  });

  it('voids a single package by trackingnumber and refuses outside the void window with 190102', async () => {
    const a = (await ship(shipRequest({ packages: 2, reference: 'PO-3002' }))).body.ShipmentResponse
      .ShipmentResults;
    const second = a.PackageResults[1].TrackingNumber as string;
    const one = await call(
      'DELETE',
      `/api/shipments/v2409/void/cancel/${a.ShipmentIdentificationNumber}?trackingnumber=${second}`,
    );
    expect(one.body.VoidShipmentResponse.PackageLevelResults).toEqual([
      { TrackingNumber: second, Status: { Code: '1', Description: 'Voided' } },
    ]);
    expect((await kit.scenario('GET', '/ledger?reference=PO-3002')).body.liveLabels).toBe(1);
    kit.clock.advance(24 * 3600 * 1000 + 1000);
    kit.resetToken(); // the 1-hour token expired with the clock
    const late = await call('DELETE', `/api/shipments/v2409/void/cancel/${a.ShipmentIdentificationNumber}`);
    expect(late.status).toBe(400);
    expect(late.body.response.errors[0]).toEqual({
      code: '190102',
      message: 'No shipment found within the allowed void period',
    });
    expect(errorCode(await call('DELETE', '/api/shipments/v2409/void/cancel/1Z999AA10123456784'))).toBe(
      '190102',
    );
  });

  it('label recovery returns the very same label, by tracking number or by reference', async () => {
    const a = (await ship(shipRequest({ reference: 'PO-4001' }))).body.ShipmentResponse.ShipmentResults;
    const n = a.PackageResults[0].TrackingNumber as string;
    const byNumber = await call('POST', '/api/labels/v1/recovery', {
      LabelRecoveryRequest: { TrackingNumber: n },
    });
    const result = byNumber.body.LabelRecoveryResponse.LabelResults[0];
    expect(result.TrackingNumber).toBe(n);
    expect(result.LabelImage.GraphicImage).toBe(a.PackageResults[0].ShippingLabel.GraphicImage);
    const byRef = await call('POST', '/api/labels/v1/recovery', {
      LabelRecoveryRequest: {
        ReferenceValues: { ShipperNumber: 'A1B2C3', ReferenceNumber: { Value: 'PO-4001' } },
      },
    });
    expect(byRef.body.LabelRecoveryResponse.ShipmentIdentificationNumber).toBe(n);
    expect(byRef.body.LabelRecoveryResponse.LabelResults[0].LabelImage.GraphicImage).toBe(
      a.PackageResults[0].ShippingLabel.GraphicImage,
    );
    await call('DELETE', `/api/shipments/v2409/void/cancel/${n}`);
    expect(
      (await call('POST', '/api/labels/v1/recovery', { LabelRecoveryRequest: { TrackingNumber: n } })).status,
    ).toBe(400);
  });
});

describe('Shipping: references by route (ups.md §3.1)', () => {
  /** A one-package shipment whose only references are shipment-level ones, to `country`. */
  function shipmentReferenced(reference: string, country: 'US' | 'PR') {
    const body = shipRequest({ reference: 'CTX-' + reference }) as any;
    const shipment = body.ShipmentRequest.Shipment;
    shipment.ReferenceNumber = [{ Code: 'PO', Value: reference }];
    delete shipment.Package[0].ReferenceNumber;
    if (country === 'PR')
      shipment.ShipTo.Address = {
        AddressLine: ['1 Calle Fortaleza'],
        City: 'San Juan',
        StateProvinceCode: 'PR',
        PostalCode: '00901',
        CountryCode: 'PR',
      };
    return body;
  }
  const byReference = (ref: string) => call('GET', `/api/track/v1/reference/details/${ref}`);
  const recoverByReference = (ref: string) =>
    kit.ups('POST', '/api/labels/v1/recovery', {
      LabelRecoveryRequest: {
        ReferenceValues: { ShipperNumber: 'A1B2C3', ReferenceNumber: { Value: ref } },
      },
    });

  it('US/US: a shipment-level reference is ignored — not searchable, not reported — and CustomerContext is never indexed', async () => {
    const r = await ship(shipmentReferenced('PO-5001', 'US'));
    expect(r.status).toBe(200);
    const n = r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    for (const ref of ['PO-5001', 'CTX-PO-5001']) {
      expect((await byReference(ref)).body.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
      expect(errorCode(await recoverByReference(ref))).toBe('120541');
    }
    const tracked = await call('GET', `/api/track/v1/details/${n}`);
    expect(tracked.body.trackResponse.shipment[0].package[0].referenceNumber).toEqual([]);
  });

  it('US/US: package-level references are found by tracking and by label recovery', async () => {
    const r = await ship(shipRequest({ reference: 'PO-5002' }));
    const n = r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    const found = await byReference('PO-5002');
    expect(found.body.trackResponse.shipment[0].package[0].trackingNumber).toBe(n);
    expect(found.body.trackResponse.shipment[0].package[0].referenceNumber).toEqual([
      { type: 'PACKAGE', number: 'PO-5002' },
      { type: 'PACKAGE', number: 'PKG-1' },
    ]);
    expect(
      (await recoverByReference('PO-5002')).body.LabelRecoveryResponse.ShipmentIdentificationNumber,
    ).toBe(n);
  });

  it('US/PR (not a domestic pair): a shipment-level reference is found for every package', async () => {
    const r = await ship(shipmentReferenced('PO-5003', 'PR'));
    expect(r.status).toBe(200);
    const n = r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    const found = await byReference('PO-5003');
    expect(found.body.trackResponse.shipment[0].package[0].trackingNumber).toBe(n);
    expect(found.body.trackResponse.shipment[0].package[0].referenceNumber).toEqual([
      { type: 'SHIPMENT', number: 'PO-5003' },
    ]);
    expect(
      (await recoverByReference('PO-5003')).body.LabelRecoveryResponse.ShipmentIdentificationNumber,
    ).toBe(n);
    expect((await byReference('CTX-PO-5003')).body.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
  });
});
