/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { startKit, type Kit } from './test-kit.js';
import { lookupAddress } from './address-book.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());

async function xav(option: string, key: Record<string, unknown>) {
  const path = `/api/addressvalidation/v2/${option}`;
  const r = await kit.ups('POST', path, { XAVRequest: { AddressKeyFormat: { CountryCode: 'US', ...key } } });
  if (r.status === 200) expect(contracts.validateResponse('POST', path, r.status, r.body).errors).toEqual([]);
  return r;
}

describe('Address Validation', () => {
  it('standardises a known address: ValidAddressIndicator "" and one ZIP+4 candidate', async () => {
    const r = await xav('3', {
      AddressLine: ['55 Glenlake Parkway N.E.'],
      PoliticalDivision2: 'Atlanta',
      PoliticalDivision1: 'GA',
      PostcodePrimaryLow: '30328',
    });
    const x = r.body.XAVResponse;
    expect(x.ValidAddressIndicator).toBe('');
    expect('AmbiguousAddressIndicator' in x).toBe(false);
    expect(x.AddressClassification).toEqual({ Code: '1', Description: 'Commercial' });
    expect(x.Candidate).toHaveLength(1);
    expect(x.Candidate[0].AddressKeyFormat).toMatchObject({
      AddressLine: ['55 GLENLAKE PKWY NE'],
      PostcodeExtendedLow: '3474',
    });
  });

  it('is ambiguous when the street exists in several towns and nothing picks one', async () => {
    const r = await xav('1', { AddressLine: ['101 Main Street'], PoliticalDivision1: 'NY' });
    expect(r.body.XAVResponse.AmbiguousAddressIndicator).toBe('');
    expect(
      r.body.XAVResponse.Candidate.map((c: any) => c.AddressKeyFormat.PoliticalDivision2).sort(),
    ).toEqual(['CAMBRIDGE', 'HUDSON']);
    expect(r.body.XAVResponse.Candidate[0].AddressClassification).toBeUndefined();
  });

  it('is ambiguous without a house number and has no candidates for an unknown street', async () => {
    expect(
      (await xav('1', { AddressLine: ['E Main St'], PostcodePrimaryLow: '10549' })).body.XAVResponse
        .Candidate,
    ).toHaveLength(2);
    const none = (
      await xav('3', {
        AddressLine: ['9 Nowhere Rd'],
        PoliticalDivision2: 'Atlanta',
        PoliticalDivision1: 'GA',
        PostcodePrimaryLow: '30328',
      })
    ).body.XAVResponse;
    expect(none.NoCandidatesIndicator).toBe('');
    expect(none.Candidate).toBeUndefined();
  });

  it('classifies residential addresses on option 2 without candidates', async () => {
    const x = (
      await xav('2', {
        AddressLine: ['12 Elm St'],
        PoliticalDivision2: 'Saratoga Springs',
        PoliticalDivision1: 'NY',
        PostcodePrimaryLow: '12866',
      })
    ).body.XAVResponse;
    expect(x.AddressClassification.Code).toBe('2');
    expect(x.Candidate).toBeUndefined();
  });

  it('refuses an unknown request option with 9264028 and, in cie-states mode, states other than NY/CA with 9264030', async () => {
    const bad = await kit.ups('POST', '/api/addressvalidation/v2/4', {
      XAVRequest: { AddressKeyFormat: { CountryCode: 'US' } },
    });
    expect(bad.body.response.errors[0].code).toBe('9264028');
    await kit.scenario('PUT', '/quirks', { quirks: ['cie-states'] });
    const ga = await xav('1', {
      AddressLine: ['55 Glenlake Pkwy NE'],
      PoliticalDivision1: 'GA',
      PostcodePrimaryLow: '30328',
    });
    expect(ga.status).toBe(400);
    expect(ga.body.response.errors[0].code).toBe('9264030');
    expect(
      (
        await xav('1', {
          AddressLine: ['350 5th Ave'],
          PoliticalDivision1: 'NY',
          PostcodePrimaryLow: '10118',
        })
      ).status,
    ).toBe(200);
    await kit.scenario('PUT', '/quirks', { quirks: [] });
  });

  it('rules: a ZIP that contradicts the town is ambiguous, not valid', () => {
    expect(
      lookupAddress({
        lines: ['500 Oracle Pkwy'],
        city: 'Redwood City',
        state: 'CA',
        postalCode: '94065',
        countryCode: 'US',
      }).kind,
    ).toBe('valid');
    expect(
      lookupAddress({
        lines: ['500 Oracle Pkwy'],
        city: 'Atlanta',
        state: 'GA',
        postalCode: '94065',
        countryCode: 'US',
      }).kind,
    ).toBe('ambiguous');
    expect(lookupAddress({ lines: ['500 Oracle Pkwy'], postalCode: '94065', countryCode: 'CA' }).kind).toBe(
      'none',
    );
  });
});
