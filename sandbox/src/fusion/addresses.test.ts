/* eslint-disable @typescript-eslint/no-explicit-any -- tests read Fusion JSON loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startClient, type FusionTestClient } from './test-client.js';

describe('structured addresses for ship-to locations and supplier sites', () => {
  let c: FusionTestClient;
  let po: any;
  beforeAll(async () => {
    c = await startClient({ poCount: 2 });
    po = (
      await c.scenario('POST', '/purchase-orders', {
        status: 'OPEN',
        shipToLocationCode: 'ATL-DC',
        supplierSiteCode: 'NORTHWIND LA',
        procurementBUId: 300000046987012,
      })
    ).header;
  });
  afterAll(() => c.close());

  it('resolves the PO ShipToLocationId to structured fields in HCM locations', async () => {
    expect(po.ShipToLocationAddress).toBe('55 Glenlake Pkwy NE, Atlanta, GA 30328, Fulton, United States');
    const r = await c.get(
      `/hcmRestApi/resources/11.13.18.05/locations?q=${encodeURIComponent(`LocationId = ${po.ShipToLocationId}`)}&onlyData=true`,
    );
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0]).toMatchObject({
      AddressLine1: '55 Glenlake Pkwy NE',
      TownOrCity: 'Atlanta',
      Region1: 'Fulton',
      Region2: 'GA',
      PostalCode: '30328',
      Country: 'US',
      ShipToSiteFlag: true,
    });
    expect(
      (await c.get(`/hcmRestApi/resources/11.13.18.05/locations/${po.ShipToLocationId}`)).body.LocationCode,
    ).toBe('ATL-DC');
    expect(
      (
        await c.request('PATCH', `/hcmRestApi/resources/11.13.18.05/locations/${po.ShipToLocationId}`, {
          body: {},
        })
      ).status,
    ).toBe(405);
  });

  it('resolves the supplier site to its address through suppliers → sites → addresses', async () => {
    const supplier = (await c.get(`${API}/suppliers/${po.SupplierId}`)).body;
    const sitesHref: string = supplier.links.find((l: any) => l.rel === 'child' && l.name === 'sites').href;
    const site = (
      await c.get(
        `${sitesHref.slice(c.baseUrl.length)}?q=${encodeURIComponent(`SupplierSiteId = ${po.SupplierSiteId}`)}`,
      )
    ).body.items[0];
    expect(site).toMatchObject({ SupplierSite: 'NORTHWIND LA', ProcurementBUId: 300000046987012 });
    const address = (
      await c.get(`${API}/suppliers/${po.SupplierId}/child/addresses/${site.SupplierAddressId}`)
    ).body;
    expect(address).toMatchObject({
      AddressLine1: '7421 Sunset Blvd',
      City: 'Los Angeles',
      State: 'CA',
      PostalCode: '90046',
      CountryCode: 'US',
    });
  });

  it('serves item weights from itemsV2 with opaque keys', async () => {
    const r = await c.get(`${API}/itemsV2?q=${encodeURIComponent("ItemNumber = 'EU-4400'")}`);
    expect(r.body.items[0]).toMatchObject({
      UnitWeightQuantity: 4.2,
      WeightUOMValue: 'Kilogram',
      UnitLengthQuantity: 16,
      DimensionUOMValue: 'Inch',
    });
    const self: string = r.body.items[0].links[0].href;
    expect(self.split('/').pop()).not.toBe(String(r.body.items[0].ItemId));
  });

  it('lets a scenario correct a location; POs show the new formatted address', async () => {
    await c.scenario('PATCH', '/locations/ATL-DC', { AddressLine1: '1000 Windward Concourse' });
    expect((await c.get(`${API}/purchaseOrders/${po.POHeaderId}`)).body.ShipToLocationAddress).toBe(
      '1000 Windward Concourse, Atlanta, GA 30328, Fulton, United States',
    );
    const catalog = await c.scenario('GET', '/addresses');
    expect(
      catalog.filter((a: any) => a.expect === 'invalid').every((a: any) => a.line1 === '999 Nowhere Rd'),
    ).toBe(true);
    expect(catalog.some((a: any) => a.expect === 'ambiguous')).toBe(true);
  });
});
