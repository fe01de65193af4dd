import { describe, expect, it } from 'vitest';
import { mapLocationAddress, mapSupplierAddress, stateFromRegions, TtlCache } from './addresses.js';

describe('ship-to location → PostalAddress', () => {
  it('US: Region1 is the county, Region2 the state', () => {
    expect(
      mapLocationAddress({
        LocationId: 300000001456123,
        LocationCode: 'SEA-HQ',
        LocationName: 'Seattle Headquarters',
        AddressLine1: '411 University Street',
        AddressLine2: 'Dock 4',
        AddressLine3: null,
        TownOrCity: 'Seattle',
        Region1: 'King',
        Region2: 'WA',
        PostalCode: '98101',
        Country: 'US',
        MainPhoneNumber: '+1 206 555 0100',
      }),
    ).toMatchSnapshot();
  });

  it('Canada keeps the province in Region1; long region names are not state codes', () => {
    expect(stateFromRegions('CA', 'ON', undefined)).toBe('ON');
    expect(stateFromRegions('GB', 'Greater London')).toBeUndefined();
    expect(stateFromRegions('US', 'Cook', 'il')).toBe('IL');
  });

  it('joins a fourth address line onto the third (UPS takes three)', () => {
    const a = mapLocationAddress({
      AddressLine1: 'A',
      AddressLine2: 'B',
      AddressLine3: 'C',
      AddressLine4: 'D',
      TownOrCity: 'Paris',
      Country: 'fr',
    });
    expect(a?.lines).toEqual(['A', 'B', 'C, D']);
    expect(a?.countryCode).toBe('FR');
  });

  it('returns null when street, city or country is missing', () => {
    expect(mapLocationAddress({ AddressLine1: '1 Main St', Country: 'US' })).toBeNull();
    expect(mapLocationAddress({ TownOrCity: 'Austin', Country: 'US' })).toBeNull();
  });
});

describe('supplier address → PostalAddress', () => {
  it('uses CountryCode, State or Province, and the supplier name', () => {
    expect(
      mapSupplierAddress(
        {
          SupplierAddressId: 300000047507510,
          AddressName: 'Lee HQ',
          AddressLine1: '2200 Mission College Blvd',
          City: 'Santa Clara',
          State: 'CA',
          County: 'Santa Clara',
          PostalCode: '95054',
          CountryCode: 'US',
          Country: 'United States',
          PhoneNumber: '408-555-0142',
          Email: 'ship@lee.example',
        },
        'Lee Supplies',
      ),
    ).toMatchSnapshot();
    expect(
      mapSupplierAddress({ AddressLine1: '1 Bay St', City: 'Toronto', Province: 'ON', CountryCode: 'CA' })
        ?.stateProvince,
    ).toBe('ON');
  });

  it('does not take a country name for a code', () => {
    expect(mapSupplierAddress({ AddressLine1: 'x', City: 'y', Country: 'United States' })).toBeNull();
  });
});

describe('TtlCache', () => {
  it('shares one load between concurrent callers, expires after the TTL, forgets failures', async () => {
    let now = 0;
    const cache = new TtlCache<number>(1000, () => now);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1000;
    expect(await cache.get('k', load)).toBe(2);

    await expect(cache.get('bad', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('bad', async () => 7)).toBe(7);
  });
});
