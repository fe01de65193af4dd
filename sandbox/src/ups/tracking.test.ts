/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { shipRequest, startKit, type Kit } from './test-kit.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());

async function track(path: string, headers?: Record<string, string>) {
  const r = await kit.ups('GET', path, undefined, headers);
  expect(contracts.validateResponse('GET', path, r.status, r.body).errors).toEqual([]);
  return r;
}
async function shipOne(reference: string) {
  const r = await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference }));
  return r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
}

describe('Tracking v1', () => {
  it('answers an unknown but well-formed number with HTTP 200 and warning TW0001', async () => {
    const r = await track('/api/track/v1/details/1Z999AA10123456784');
    expect(r.status).toBe(200);
    expect(r.body.trackResponse.shipment[0]).toEqual({
      inquiryNumber: '1Z999AA10123456784',
      warnings: [{ code: 'TW0001', message: 'Tracking Information Not Found' }],
    });
  });

  it('answers a malformed number or a wrong check digit with TV1002', async () => {
    for (const n of ['1Z12', '1Z999AA10123456785']) {
      const r = await track(`/api/track/v1/details/${n}`);
      expect(r.status).toBe(400);
      expect(r.body.response.errors[0]).toEqual({ code: 'TV1002', message: 'Invalid inquiry number' });
    }
  });

  it('requires transId and transactionSrc', async () => {
    const r = await kit.ups('GET', '/api/track/v1/details/1Z999AA10123456784', undefined, { transId: '' });
    expect(r.status).toBe(400);
  });

  it('lists activities newest first as the package moves, and reports delivery', async () => {
    const n = await shipOne('PO-5001');
    kit.clock.advance(11 * 3600 * 1000); // origin scan at +6 h, departure at +10 h
    kit.resetToken();
    const moving = (await track(`/api/track/v1/details/${n}`)).body.trackResponse.shipment[0].package[0];
    expect(moving.activity.map((a: any) => a.status.code)).toEqual(['DP', 'OR', 'MP']);
    expect(moving.currentStatus.code).toBe('DP');
    expect(moving.deliveryDate[0].type).toBe('SDD');
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'deliver' });
    const done = (await track(`/api/track/v1/details/${n}`)).body.trackResponse.shipment[0].package[0];
    expect(done.activity[0].status).toMatchObject({ type: 'D', code: 'FS', statusCode: '011' });
    expect(done.deliveryDate[0].type).toBe('DEL');
    expect(done.referenceNumber).toContainEqual({ type: 'PACKAGE', number: 'PO-5001' });
  });

  it('exceptions reschedule delivery (RDD); the X activity shows, the U update is Track Alert only', async () => {
    const n = await shipOne('PO-5002');
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'exception' });
    const pkg = (await track(`/api/track/v1/details/${n}`)).body.trackResponse.shipment[0].package[0];
    const full = (await kit.scenario('GET', `/packages/${n}`)).body;
    expect(full.activity.slice(0, 2).map((a: any) => a.status.type)).toEqual(['U', 'X']);
    expect(pkg.activity.map((a: any) => a.status.type)).not.toContain('U');
    expect(pkg.activity[0].status.type).toBe('X');
    expect(pkg.currentStatus.type).toBe('X');
    expect(pkg.deliveryDate.map((d: any) => d.type)).toEqual(['SDD', 'RDD']);
    expect(pkg.deliveryDate[1].date).toBe(full.deliveryDate[1].date);
  });

  it('finds shipments by package reference, filtered by shipper number', async () => {
    const n = await shipOne('PO-5003');
    const r = await track('/api/track/v1/reference/details/PO-5003?shipperNum=A1B2C3');
    expect(r.body.trackResponse.shipment[0].package.map((p: any) => p.trackingNumber)).toEqual([n]);
    const other = await track('/api/track/v1/reference/details/PO-5003?shipperNum=X9X9X9');
    expect(other.body.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
    const old = await track(
      '/api/track/v1/reference/details/PO-5003?fromPickUpDate=20250101&toPickUpDate=20250102',
    );
    expect(old.body.trackResponse.shipment[0].warnings[0].code).toBe('TW0001');
  });
});
