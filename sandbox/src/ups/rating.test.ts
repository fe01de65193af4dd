/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { rateRequest, startKit, type Kit } from './test-kit.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit({
    clients: [
      { clientId: 'sandbox-ups-client', clientSecret: 'sandbox-ups-secret', shipperNumbers: ['A1B2C3'] },
    ],
  });
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());

async function rate(option: string, body: unknown) {
  const path = `/api/rating/v2409/${option}`;
  const r = await kit.ups('POST', path, body);
  expect(contracts.validateResponse('POST', path, r.status, r.body).errors).toEqual([]);
  return r;
}
const total = (rs: any) => Number(rs.TotalCharges.MonetaryValue);

describe('Rating', () => {
  it('Rate answers one RatedShipment with string amounts, negotiated charges and alert 110971', async () => {
    const r = await rate('Rate', rateRequest('Rate'));
    const rs = r.body.RateResponse.RatedShipment;
    expect(rs).toHaveLength(1);
    expect(rs[0].Service.Code).toBe('03');
    expect(rs[0].TotalCharges.MonetaryValue).toMatch(/^\d+\.\d{2}$/);
    expect(Number(rs[0].NegotiatedRateCharges.TotalCharge.MonetaryValue)).toBeLessThan(total(rs[0]));
    expect(r.body.RateResponse.Response.Alert.map((a: any) => a.Code)).toEqual(['110971']);
    expect(rs[0].TimeInTransit).toBeUndefined();
  });

  it('prices deterministically from weight and zone', async () => {
    const a = total(
      (await rate('Rate', rateRequest('Rate', { weight: '10' }))).body.RateResponse.RatedShipment[0],
    );
    const b = total(
      (await rate('Rate', rateRequest('Rate', { weight: '10' }))).body.RateResponse.RatedShipment[0],
    );
    const heavy = total(
      (await rate('Rate', rateRequest('Rate', { weight: '40' }))).body.RateResponse.RatedShipment[0],
    );
    expect(a).toBe(b);
    expect(heavy).toBeGreaterThan(a);
  });

  it('Shop answers one RatedShipment per available service, without NDA Early for a residential address', async () => {
    const all = (await rate('Shop', rateRequest('Shop'))).body.RateResponse.RatedShipment.map(
      (x: any) => x.Service.Code,
    );
    expect(all).toHaveLength(7);
    const res = (await rate('Shop', rateRequest('Shop', { residential: true }))).body.RateResponse
      .RatedShipment;
    expect(res.map((x: any) => x.Service.Code)).not.toContain('14');
    expect(res.find((x: any) => x.Service.Code === '03').ItemizedCharges.map((c: any) => c.Code)).toContain(
      '270',
    );
  });

  it('time-in-transit variants add TimeInTransit with business days from the pickup date', async () => {
    const rs = (await rate('Shoptimeintransit', rateRequest('Shoptimeintransit'))).body.RateResponse
      .RatedShipment;
    const nda = rs.find((x: any) => x.Service.Code === '01');
    expect(nda.TimeInTransit.PickupDate).toBe('20260302');
    expect(nda.TimeInTransit.ServiceSummary.EstimatedArrival).toMatchObject({
      BusinessDaysInTransit: '1',
      Arrival: { Date: '20260303' },
    });
  });

  it("warns 120900 when the shipper number is not the caller's, and refuses 151 lb with 111035", async () => {
    const body = rateRequest('Rate');
    body.RateRequest.Shipment.Shipper.ShipperNumber = 'Z9Z9Z9';
    const r = await rate('Rate', body);
    expect(r.body.RateResponse.Response.Alert.map((a: any) => a.Code)).toContain('120900');
    expect(r.body.RateResponse.RatedShipment[0].NegotiatedRateCharges).toBeUndefined();
    const heavy = await rate('Rate', rateRequest('Rate', { weight: '151' }));
    expect(heavy.status).toBe(400);
    expect(heavy.body.response.errors[0].code).toBe('111035');
  });

  it('refuses time in transit without DeliveryTimeInformation (400), by path or by additionalinfo', async () => {
    const bare = rateRequest('Ratetimeintransit') as any;
    delete bare.RateRequest.Shipment.DeliveryTimeInformation;
    for (const path of ['Ratetimeintransit', 'Rate?additionalinfo=timeintransit']) {
      const r = await rate(path, bare);
      expect(r.status).toBe(400);
      expect(r.body.response.errors[0].message).toContain('DeliveryTimeInformation');
    }
    // The same body without the time-in-transit ask is a plain rate.
    expect((await rate('Rate', bare)).status).toBe(200);
    expect((await rate('Ratetimeintransit', rateRequest('Ratetimeintransit'))).status).toBe(200);
  });
});
