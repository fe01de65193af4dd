/**
 * Response mappers on real-shaped UPS bodies (ups.md, UPS's spec examples and java samples, peer cassettes),
 * including the quirks (tracking: tracking-response.test.ts): single objects for arrays, PackageLevelResult, "" flags, trailing spaces, &#xD;,
 * 200 with warnings/alerts.
 */
import { describe, expect, it } from 'vitest';
import { fromXavResponse } from './address-validation.js';
import { fromLabelRecoveryResponse } from './label-recovery.js';
import { fromRateResponse } from './rating.js';
import { fromShipResponse, fromVoidResponse } from './shipping.js';
import { residentialCustomer, supplierSite } from './testing/fixtures.js';

describe('XAV response', () => {
  it('valid: "" indicator, single Candidate object and AddressLine string (ISS 58)', () => {
    const body = {
      XAVResponse: {
        Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
        ValidAddressIndicator: '',
        AddressClassification: { Code: '1', Description: 'Commercial' },
        Candidate: {
          AddressClassification: { Code: '1', Description: 'Commercial' },
          AddressKeyFormat: {
            AddressLine: '2000 HARRISON ST ',
            PoliticalDivision2: 'SAN FRANCISCO',
            PoliticalDivision1: 'CA',
            PostcodePrimaryLow: '94110',
            PostcodeExtendedLow: '1234',
            Region: 'SAN FRANCISCO CA 94110-1234',
            CountryCode: 'US',
          },
        },
      },
    };
    const r = fromXavResponse(body, supplierSite);
    expect(r.result).toBe('valid');
    expect(r.classification).toBe('commercial');
    expect(r.standardised).toMatchObject({
      name: 'Pacific Parts Supply Co',
      lines: ['2000 HARRISON ST'],
      city: 'SAN FRANCISCO',
      postalCode: '94110-1234',
      residential: false,
    });
    expect(r).toMatchSnapshot();
  });

  it('ambiguous with several candidates and an alert', () => {
    const body = {
      XAVResponse: {
        Response: {
          ResponseStatus: { Code: '1', Description: 'Success' },
          Alert: { Code: '264027', Description: 'The maximum candidate list size was exceeded. ' },
        },
        AmbiguousAddressIndicator: '',
        Candidate: [
          {
            AddressKeyFormat: {
              AddressLine: ['1-3 E MAIN ST'],
              PoliticalDivision2: 'ALBANY',
              PoliticalDivision1: 'NY',
              PostcodePrimaryLow: '12207',
              CountryCode: 'US',
            },
          },
          {
            AddressKeyFormat: {
              AddressLine: ['12 ELM ST'],
              PoliticalDivision2: 'ALBANY',
              PoliticalDivision1: 'NY',
              CountryCode: 'US',
            },
          },
        ],
      },
    };
    const r = fromXavResponse(body, residentialCustomer);
    expect(r.result).toBe('ambiguous');
    expect(r.standardised).toBeUndefined();
    expect(r.candidates).toHaveLength(2);
    expect(r.alerts).toEqual([
      { code: '264027', description: 'The maximum candidate list size was exceeded.' },
    ]);
  });

  it('no candidates; and a classification-only answer (no indicator)', () => {
    expect(
      fromXavResponse({ XAVResponse: { Response: {}, NoCandidatesIndicator: '' } }, supplierSite).result,
    ).toBe('no_candidates');
    const classified = fromXavResponse(
      {
        XAVResponse: {
          Response: { ResponseStatus: { Code: '1' } },
          AddressClassification: { Code: '2', Description: 'Residential' },
        },
      },
      residentialCustomer,
    );
    expect(classified).toMatchObject({
      result: 'no_candidates',
      classification: 'residential',
      candidates: [],
    });
  });
});

describe('Rate response', () => {
  it('Rate v2403 with RatedShipment as an object (ISS 138), negotiated total, alerts', () => {
    const body = {
      RateResponse: {
        Response: {
          ResponseStatus: { Code: '1', Description: 'Success' },
          Alert: [
            { Code: '110971', Description: 'Your invoice may vary from the displayed reference rates' },
            {
              Code: '120900',
              Description:
                'User Id and Shipper Number combination is not qualified to receive negotiated rates',
            },
          ],
          TransactionReference: '',
        },
        RatedShipment: {
          Service: { Code: '03', Description: '' },
          RatedShipmentAlert: {
            Code: '110971',
            Description: 'Your invoice may vary from the displayed reference rates',
          },
          BillingWeight: { UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' }, Weight: '16.0' },
          TransportationCharges: { CurrencyCode: 'USD', MonetaryValue: '21.86' },
          ServiceOptionsCharges: { CurrencyCode: 'USD', MonetaryValue: '0.00' },
          TotalCharges: { CurrencyCode: 'USD', MonetaryValue: '21.86 ' },
          NegotiatedRateCharges: { TotalCharge: { CurrencyCode: 'USD', MonetaryValue: '18.02' } },
          RatedPackage: { Weight: '12.4' },
        },
      },
    };
    const r = fromRateResponse(body);
    expect(r.quotes).toHaveLength(1);
    expect(r.quotes[0]).toMatchObject({
      serviceCode: '03',
      published: { amount: '21.86', currency: 'USD' },
      negotiated: { amount: '18.02', currency: 'USD' },
      total: { amount: '18.02', currency: 'USD' },
    });
    expect(r.alerts.map((a) => a.code)).toEqual(['110971', '120900']);
    expect(r).toMatchSnapshot();
  });

  it('Shop with time in transit: one quote per service, published total when not negotiated', () => {
    const rated = (code: string, total: string, days: string) => ({
      Service: { Code: code },
      TotalCharges: { CurrencyCode: 'USD', MonetaryValue: total },
      TimeInTransit: {
        PickupDate: '20261130',
        ServiceSummary: {
          Service: { Description: `UPS service ${code}` },
          EstimatedArrival: {
            Arrival: { Date: '20261202', Time: '233000' },
            BusinessDaysInTransit: days,
            DayOfWeek: 'WED',
          },
        },
      },
    });
    const r = fromRateResponse({
      RateResponse: {
        Response: { ResponseStatus: { Code: '1' } },
        RatedShipment: [rated('03', '21.86', '3'), rated('02', '48.10', '2'), rated('01', '92.75', '1')],
      },
    });
    expect(r.quotes.map((q) => [q.serviceCode, q.total.amount, q.businessDaysInTransit])).toEqual([
      ['03', '21.86', '3'],
      ['02', '48.10', '2'],
      ['01', '92.75', '1'],
    ]);
    expect(r.quotes[0]!.negotiated).toBeUndefined();
    expect(r.quotes[0]!.estimatedArrival).toEqual({ date: '20261202', time: '233000' });
    expect(r.quotes[0]!.serviceName).toBe('UPS service 03');
  });
});

const label =
  'R0lGODlheAUgA/cAAAAAAAEBAQICAgMDAwQEBAUFBQYGBgcHBwgICAkJCQoKCgsLCwwMDA0NDQ4ODg8PDxAQEBERERISEhMTExQUFBUVFRYWFhcXFxgYGBkZGRoaGhsbGxwcHB0dHR4eHh8fHyAgICEhISIiIiMjIyQkJCUlJSYmJicnJygoKCkpKSoqKisrKywsLC0tLS4uLi8vLzAwMDExMTIyMjMzMzQ0NDU1NTY2Njc3Nzg4ODk5OTo6Ojs7Ozw8PD09PT4+Pj8/Pw==';

describe('Ship response', () => {
  it('legacy single PackageResults object and Alert object (UPS java samples)', () => {
    const body = {
      ShipmentResponse: {
        Response: {
          ResponseStatus: { Code: '1', Description: 'Success' },
          Alert: {
            Code: '129001',
            Description: 'Additional Handling has automatically been set on Package 1.',
          },
          TransactionReference: {
            CustomerContext: 'intent:3f6c2a9e ',
            TransactionIdentifier: 'iewssoat2416CTHJYk4f8N',
          },
        },
        ShipmentResults: {
          Disclaimer: { Code: '01', Description: 'Taxes are included in the shipping cost' },
          ShipmentCharges: {
            TransportationCharges: { CurrencyCode: 'USD', MonetaryValue: '21.86' },
            ServiceOptionsCharges: { CurrencyCode: 'USD', MonetaryValue: '0.00' },
            TotalCharges: { CurrencyCode: 'USD', MonetaryValue: '21.86' },
          },
          NegotiatedRateCharges: { TotalCharge: { CurrencyCode: 'USD', MonetaryValue: '18.02' } },
          BillingWeight: { UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' }, Weight: '13.0' },
          ShipmentIdentificationNumber: '1Z2220060290602143',
          PackageResults: {
            TrackingNumber: '1Z2220060290602143',
            ServiceOptionsCharges: { CurrencyCode: 'USD', MonetaryValue: '0.00' },
            ShippingLabel: {
              ImageFormat: { Code: 'GIF', Description: 'GIF' },
              GraphicImage: label,
              HTMLImage: 'PCFET0NUWVBF',
            },
          },
        },
      },
    };
    const r = fromShipResponse(body);
    expect(r).toMatchObject({
      shipmentId: '1Z2220060290602143',
      trackingNumbers: ['1Z2220060290602143'],
      charges: {
        total: { amount: '18.02', currency: 'USD' },
        published: { amount: '21.86', currency: 'USD' },
      },
      billingWeight: { value: '13.0', unit: 'LBS' },
      customerContext: 'intent:3f6c2a9e',
      transactionIdentifier: 'iewssoat2416CTHJYk4f8N',
    });
    expect(r.labels).toEqual([{ trackingNumber: '1Z2220060290602143', format: 'GIF', imageBase64: label }]);
    expect(r.alerts).toEqual([
      { code: '129001', description: 'Additional Handling has automatically been set on Package 1.' },
    ]);
    expect({ ...r, labels: r.labels.length }).toMatchSnapshot();
  });

  it('array PackageResults: one tracking number and label per package; no label with BarCodeImage', () => {
    const r = fromShipResponse({
      ShipmentResponse: {
        Response: { ResponseStatus: { Code: '1' } },
        ShipmentResults: {
          ShipmentCharges: { TotalCharges: { CurrencyCode: 'USD', MonetaryValue: '40.10' } },
          ShipmentIdentificationNumber: '1Z2220060291994175',
          BarCodeImage: 'iVBORw0KGgo=',
          PackageResults: [
            {
              TrackingNumber: '1Z2220060291994175',
              ShippingLabel: { ImageFormat: { Code: 'ZPL' }, GraphicImage: 'XlhB' },
            },
            { TrackingNumber: '1Z2220060292634221 ' },
          ],
        },
      },
    });
    expect(r.trackingNumbers).toEqual(['1Z2220060291994175', '1Z2220060292634221']);
    expect(r.labels.map((l) => l.trackingNumber)).toEqual(['1Z2220060291994175']);
    expect(r.charges.negotiated).toBeUndefined();
    expect(r.charges.total).toEqual({ amount: '40.10', currency: 'USD' });
  });

  it('a 200 without any shipment number is in doubt, not a success', () => {
    expect(() =>
      fromShipResponse({
        ShipmentResponse: { Response: { ResponseStatus: { Code: '1' } }, ShipmentResults: '' },
      }),
    ).toThrow(/without a shipment identification number/);
  });
});

describe('Void response', () => {
  it('summary only (friendly_shipping cassette)', () => {
    const r = fromVoidResponse({
      VoidShipmentResponse: {
        Response: {
          ResponseStatus: { Code: '1', Description: 'Success' },
          TransactionReference: { CustomerContext: 'x', TransactionIdentifier: 'y' },
        },
        SummaryResult: { Status: { Code: '1', Description: 'Voided' } },
      },
    });
    expect(r).toEqual({ status: 'voided', description: 'Voided', packages: [], alerts: [] });
  });

  it('PackageLevelResult (singular, array) with &#xD; artefacts (ISS 63)', () => {
    const r = fromVoidResponse({
      VoidShipmentResponse: {
        Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
        SummaryResult: { Status: { Code: '&#xD;&#xD;&#xD;1', Description: 'Partially Voided' } },
        PackageLevelResult: [
          { TrackingNumber: '1Z2220060291994175', Status: { Code: '&#xD;1', Description: 'Voided' } },
          { TrackingNumber: '1Z2220060292634221', Status: { Code: '0', Description: 'Not Voided' } },
        ],
      },
    });
    expect(r.packages).toEqual([
      { trackingNumber: '1Z2220060291994175', voided: true, description: 'Voided' },
      { trackingNumber: '1Z2220060292634221', voided: false, description: 'Not Voided' },
    ]);
    expect(r.status).toBe('voided');
  });

  it('already voided; not voided; PackageLevelResults as in the spec', () => {
    expect(
      fromVoidResponse({
        VoidShipmentResponse: { SummaryResult: { Status: { Code: '1', Description: 'Already Voided' } } },
      }).status,
    ).toBe('already_voided');
    const notVoided = fromVoidResponse({
      VoidShipmentResponse: {
        SummaryResult: { Status: { Code: '0', Description: 'Failed' } },
        PackageLevelResults: {
          TrackingNumber: '1Z2220060291994175',
          Status: { Code: '0', Description: 'Not Voided' },
        },
      },
    });
    expect(notVoided.status).toBe('not_voided');
    expect(notVoided.packages).toHaveLength(1);
  });
});

describe('Label recovery response', () => {
  it('lower-case "zpl", LabelResults as an object (UPS java sample)', () => {
    const r = fromLabelRecoveryResponse({
      LabelRecoveryResponse: {
        Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
        ShipmentIdentificationNumber: '1Z12345E8791315509',
        LabelResults: {
          TrackingNumber: '1Z12345E8791315509',
          LabelImage: { LabelImageFormat: { Code: 'zpl' }, GraphicImage: 'XlhB' },
        },
      },
    });
    expect(r).toEqual({
      shipmentId: '1Z12345E8791315509',
      labels: [{ trackingNumber: '1Z12345E8791315509', format: 'ZPL', imageBase64: 'XlhB' }],
      candidates: [],
      alerts: [],
    });
  });

  it('tracking candidates for a reference', () => {
    const r = fromLabelRecoveryResponse({
      LabelRecoveryResponse: {
        Response: { ResponseStatus: { Code: '1' } },
        LabelResults: '',
        TrackingCandidate: {
          TrackingNumber: '1Z12345E8791315509',
          DestinationPostalCode: '10005',
          DestinationCountryCode: 'US',
        },
      },
    });
    expect(r.candidates).toEqual([
      { trackingNumber: '1Z12345E8791315509', destinationPostalCode: '10005', destinationCountryCode: 'US' },
    ]);
    expect(r.labels).toEqual([]);
  });
});
