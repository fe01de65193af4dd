import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { rateRequest, shipRequest, startKit, type Kit } from './test-kit.js';
import {
  lowercaseLabelFormat,
  packageLevelResultNaming,
  qvPaddedValues,
  singleObjects,
  trailingSpaces,
  voidCrEntities,
} from './quirks.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());
beforeEach(async () => {
  await kit.scenario('PUT', '/quirks', { quirks: [] });
});

const quirk = (...quirks: string[]) => kit.scenario('PUT', '/quirks', { quirks });

describe('quirk modes deviate from the default response only in their documented way', () => {
  it('single-objects: one-element RatedShipment and Alert become objects, and only they fail the contract', async () => {
    const path = '/api/rating/v2409/Rate';
    const plain = await kit.ups('POST', path, rateRequest('Rate'));
    expect(contracts.validateResponse('POST', path, 200, plain.body).valid).toBe(true);
    await quirk('single-objects');
    const odd = await kit.ups('POST', path, rateRequest('Rate'));
    expect(odd.body).toEqual(singleObjects(plain.body));
    expect(Array.isArray(odd.body.RateResponse.RatedShipment)).toBe(false);
    const errors = contracts.validateResponse('POST', path, 200, odd.body).errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/RatedShipment|Alert/);
    const shop = await kit.ups('POST', '/api/rating/v2409/Shop', rateRequest('Shop'));
    expect(Array.isArray(shop.body.RateResponse.RatedShipment)).toBe(true); // several rates stay an array
  });

  it('single-objects: a one-package ship answers PackageResults as an object', async () => {
    await quirk('single-objects');
    const path = '/api/shipments/v2409/ship';
    const r = await kit.ups('POST', path, shipRequest({ reference: 'PO-Q1' }));
    expect(r.body.ShipmentResponse.ShipmentResults.PackageResults.TrackingNumber).toMatch(/^1Z/);
    for (const e of contracts.validateResponse('POST', path, 200, r.body).errors)
      expect(e).toMatch(/PackageResults|Alert/);
  });

  it('single-objects: a single XAV Candidate becomes an object', async () => {
    await quirk('single-objects');
    const path = '/api/addressvalidation/v2/1';
    const r = await kit.ups('POST', path, {
      XAVRequest: {
        AddressKeyFormat: {
          AddressLine: ['350 5th Ave'],
          PoliticalDivision2: 'New York',
          PoliticalDivision1: 'NY',
          PostcodePrimaryLow: '10118',
          CountryCode: 'US',
        },
      },
    });
    expect(r.body.XAVResponse.Candidate.AddressKeyFormat.PostcodeExtendedLow).toBe('0110');
    const errors = contracts.validateResponse('POST', path, 200, r.body).errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/Candidate/);
  });

  it('package-level-result: the void response names PackageLevelResult in the singular, nothing else changes', async () => {
    const shipOne = async () =>
      (await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-Q2' }))).body
        .ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    const a = await shipOne();
    const b = await shipOne();
    const plain = (await kit.ups('DELETE', `/api/shipments/v2409/void/cancel/${a}`)).body;
    await quirk('package-level-result');
    const odd = (await kit.ups('DELETE', `/api/shipments/v2409/void/cancel/${b}`)).body;
    expect(odd).toEqual(packageLevelResultNaming(JSON.parse(JSON.stringify(plain).replaceAll(a, b))));
    expect(odd.VoidShipmentResponse.PackageLevelResult[0].TrackingNumber).toBe(b);
  });

  it('trailing-spaces: descriptions end in a space, nothing else changes', async () => {
    const n = (await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-Q3' }))).body
      .ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    const path = `/api/track/v1/details/${n}`;
    const plain = (await kit.ups('GET', path)).body;
    await quirk('trailing-spaces');
    const odd = (await kit.ups('GET', path)).body;
    expect(odd).toEqual(trailingSpaces(plain));
    expect(odd.trackResponse.shipment[0].package[0].activity[0].status.description).toBe(
      'Shipment Ready for UPS ',
    );
    expect(contracts.validateResponse('GET', path, 200, odd).valid).toBe(true);
  });

  it('empty-body-errors: an error comes back as HTTP 200 with an empty body and the code in headers', async () => {
    await quirk('empty-body-errors');
    const r = await kit.ups('GET', '/api/track/v1/details/1Z12');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(r.headers.get('apierrorcode')).toBe('TV1002');
    expect(r.headers.get('apierrormsg')).toBe('Invalid inquiry number');
    expect(r.headers.get('errorcode')).toBe('TV1002');
    const ok = await kit.ups('GET', '/api/track/v1/details/1Z999AA10123456784');
    expect(ok.body.trackResponse).toBeDefined(); // successes are unchanged
  });

  it('void-cr-entities: void status codes carry &#xD; entities, nothing else changes', async () => {
    const shipOne = async () =>
      (await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-Q5' }))).body
        .ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    const a = await shipOne();
    const b = await shipOne();
    const plain = (await kit.ups('DELETE', `/api/shipments/v2409/void/cancel/${a}`)).body;
    await quirk('void-cr-entities');
    const odd = (await kit.ups('DELETE', `/api/shipments/v2409/void/cancel/${b}`)).body;
    expect(odd).toEqual(voidCrEntities(JSON.parse(JSON.stringify(plain).replaceAll(a, b))));
    expect(odd.VoidShipmentResponse.SummaryResult.Status.Code).toBe('&#xD;&#xD;&#xD;1');
    expect(odd.VoidShipmentResponse.Response.ResponseStatus.Code).toBe('1');
  });

  it('lowercase-label-format: label recovery says "zpl"; the ship answer keeps "ZPL"', async () => {
    await quirk('lowercase-label-format');
    const shipped = await kit.ups(
      'POST',
      '/api/shipments/v2409/ship',
      shipRequest({ reference: 'PO-Q6', format: 'ZPL' }),
    );
    const results = shipped.body.ShipmentResponse.ShipmentResults;
    expect(results.PackageResults[0].ShippingLabel.ImageFormat.Code).toBe('ZPL');
    const recover = () =>
      kit.ups('POST', '/api/labels/v1/recovery', {
        LabelRecoveryRequest: { TrackingNumber: results.ShipmentIdentificationNumber },
      });
    const odd = (await recover()).body;
    await quirk();
    expect(odd).toEqual(lowercaseLabelFormat((await recover()).body));
    expect(odd.LabelRecoveryResponse.LabelResults[0].LabelImage.LabelImageFormat.Code).toBe('zpl');
  });

  it('qv-padded-values: signed weights and COD "" in Quantum View only', async () => {
    const n = (await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference: 'PO-Q7' }))).body
      .ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'deliver' });
    const { files } = (await kit.scenario('GET', '/quantum-view/files')).body;
    const replay = () =>
      kit.ups('POST', '/api/quantumview/v3/events', {
        QuantumViewRequest: {
          Request: { RequestAction: 'QVEvents' },
          SubscriptionRequest: [{ Name: 'OutboundXML', FileName: [files.at(-1).fileName] }],
        },
      });
    await replay(); // the first answer marks the file Read
    const plain = (await replay()).body;
    await quirk('qv-padded-values');
    const odd = (await replay()).body;
    expect(odd).toEqual(qvPaddedValues(plain));
    const file = odd.QuantumViewResponse.QuantumViewEvents.SubscriptionEvents[0].SubscriptionFile[0];
    expect(file.Manifest[0].Package[0].PackageWeight.Weight).toBe('+0012.0');
    expect(file.Delivery[0].COD).toBe('');
    const tracked = (await kit.ups('GET', `/api/track/v1/details/${n}`)).body;
    expect(JSON.stringify(tracked)).not.toContain('+0012');
  });

  it('refuses an unknown quirk name', async () => {
    expect((await quirk('no-such-quirk')).status).toBe(400);
  });
});
