/**
 * Every request mapper: a snapshot of what we send, and proof that it validates against UPS's OpenAPI
 * request schema (the contract harness in test/support, with its documented overlay).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts } from '../../../test/support/ups-contract.js';
import type { UpsContracts } from '../../../test/support/ups-contract.js';
import { toXavRequest, xavPath } from './address-validation.js';
import { labelRecoveryPath, toLabelRecoveryRequest } from './label-recovery.js';
import { quantumViewPath, toQuantumViewRequest } from './quantum-view.js';
import { ratingPath, toRateRequest } from './rating.js';
import { shipPath, toShipRequest } from './shipping.js';
import { trackAlertPath, toSubscribeRequest } from './track-alert.js';
import { UpsError } from './errors.js';
import {
  canadianSite,
  rateInput,
  residentialCustomer,
  shipInput,
  supplierSite,
  warehouse,
} from './testing/fixtures.js';

// Wire bodies are walked freely in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

interface Case {
  name: string;
  method: string;
  path: string;
  body: () => unknown;
}

const cases: Case[] = [
  {
    name: 'XAV v2 validation+classification',
    method: 'POST',
    path: xavPath(3),
    body: () => toXavRequest(supplierSite),
  },
  {
    name: 'XAV residential',
    method: 'POST',
    path: xavPath(3),
    body: () => toXavRequest(residentialCustomer),
  },
  {
    name: 'Rate',
    method: 'POST',
    path: ratingPath('Rate', false),
    body: () => toRateRequest(rateInput, 'Rate'),
  },
  {
    name: 'Shop with time in transit',
    method: 'POST',
    path: ratingPath('Shop', true),
    body: () => toRateRequest({ ...rateInput, timeInTransit: { pickupDate: '20261130' } }, 'Shop'),
  },
  {
    name: 'Ship US/US GIF, package references',
    method: 'POST',
    path: shipPath(),
    body: () => toShipRequest(shipInput),
  },
  {
    name: 'Ship CA→US ZPL, shipment references, residential',
    method: 'POST',
    path: shipPath(),
    body: () =>
      toShipRequest({
        ...shipInput,
        shipFrom: canadianSite,
        shipTo: residentialCustomer,
        labelFormat: 'ZPL',
        serviceCode: '11',
        description: 'Replacement parts',
        shipmentDate: '20261130',
      }),
  },
  {
    name: 'Label recovery by tracking number',
    method: 'POST',
    path: labelRecoveryPath(),
    body: () =>
      toLabelRecoveryRequest({
        trackingNumber: '1Z12345E0205271688',
        labelFormat: 'ZPL',
        customerContext: 'recover:intent-1',
      }),
  },
  {
    name: 'Label recovery by reference',
    method: 'POST',
    path: labelRecoveryPath(),
    body: () =>
      toLabelRecoveryRequest({ reference: 'PO-100234', shipperNumber: 'A1B2C3', labelFormat: 'GIF' }),
  },
  {
    name: 'Track Alert v1 subscribe',
    method: 'POST',
    path: trackAlertPath({
      version: 'v1',
      destination: { url: 'https://x', credentialType: 'Bearer', credential: 'c' },
    }),
    body: () =>
      toSubscribeRequest(
        {
          version: 'v1',
          destination: {
            url: 'https://connector.example/webhooks/ups/tenant-a',
            credentialType: 'Bearer',
            credential: 'opaque-secret',
          },
        },
        ['1Z12345E0205271688', '1Z12345E6605272234'],
      ),
  },
  {
    name: 'Track Alert v2 standard subscribe',
    method: 'POST',
    path: trackAlertPath({ version: 'v2', type: 'standard' }),
    body: () =>
      toSubscribeRequest({ version: 'v2', type: 'standard' }, ['1Z12345E0205271688'], { countryCode: 'US' }),
  },
  {
    name: 'Track Alert v2 enhanced subscribe',
    method: 'POST',
    path: trackAlertPath({ version: 'v2', type: 'enhanced' }),
    body: () =>
      toSubscribeRequest({ version: 'v2', type: 'enhanced', eventPreferences: ['D', 'X'] }, [
        '1Z12345E0205271688',
      ]),
  },
  {
    name: 'Quantum View unread',
    method: 'POST',
    path: quantumViewPath(),
    body: () => toQuantumViewRequest({}),
  },
  {
    name: 'Quantum View replay by DateTimeRange with bookmark',
    method: 'POST',
    path: quantumViewPath(),
    body: () =>
      toQuantumViewRequest(
        {
          subscriptionName: 'OutboundXML',
          dateTimeRange: { begin: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-27T00:00:00Z') },
          customerContext: 'qv:tenant-a',
        },
        'WE9MVFFBMQ==',
      ),
  },
  {
    name: 'Quantum View by file name',
    method: 'POST',
    path: quantumViewPath(),
    body: () => toQuantumViewRequest({ subscriptionName: 'OutboundXML', fileNames: ['261127_140019001'] }),
  },
];

describe('UPS request mappers', () => {
  let contracts: UpsContracts;
  beforeAll(async () => {
    contracts = await loadUpsContracts();
  });

  for (const c of cases) {
    it(`${c.name}: snapshot`, () => {
      expect(c.body()).toMatchSnapshot();
    });
    it(`${c.name}: validates against UPS's request schema (${c.method} ${c.path})`, () => {
      const result = contracts.validateRequest(c.method, c.path, c.body(), 'application/json');
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    });
  }

  it('the harness does reject a request that breaks the schema (so the checks above can fail)', () => {
    const bad = toShipRequest(shipInput) as { ShipmentRequest: { Shipment: Record<string, unknown> } };
    delete bad.ShipmentRequest.Shipment.Shipper;
    expect(contracts.validateRequest('POST', shipPath(), bad, 'application/json').valid).toBe(false);
  });

  it('sends arrays where the spec declares them and every scalar as a string', () => {
    const body = toShipRequest(shipInput) as Wire;
    const shipment = body.ShipmentRequest.Shipment;
    expect(Array.isArray(shipment.Package)).toBe(true);
    expect(Array.isArray(shipment.PaymentInformation.ShipmentCharge)).toBe(true);
    expect(Array.isArray(shipment.ShipTo.Address.AddressLine)).toBe(true);
    const scalars: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else scalars.push(v);
    };
    walk(body);
    expect(scalars.every((s) => typeof s === 'string')).toBe(true);
  });

  it('bills the shipper number and carries the intent id and PO number', () => {
    const s = (toShipRequest(shipInput) as Wire).ShipmentRequest;
    expect(s.Shipment.Shipper.ShipperNumber).toBe('A1B2C3');
    expect(s.Shipment.PaymentInformation.ShipmentCharge[0].BillShipper.AccountNumber).toBe('A1B2C3');
    expect(s.Request.TransactionReference.CustomerContext).toBe(shipInput.customerContext);
    expect(s.Shipment.Package[0].ReferenceNumber[0]).toEqual({ Code: 'PO', Value: 'PO-100234' });
    expect(s.Shipment.ReferenceNumber).toBeUndefined();
  });

  it('puts references on the shipment, not the packages, outside US/US', () => {
    const s = (toShipRequest({ ...shipInput, shipFrom: canadianSite }) as Wire).ShipmentRequest.Shipment;
    expect(s.ReferenceNumber).toEqual([{ Code: 'PO', Value: 'PO-100234' }, { Value: 'REL-7' }]);
    expect(s.Package[0].ReferenceNumber).toBeUndefined();
  });

  it('refuses input that UPS would truncate or reject, naming the field', () => {
    const longLine = { ...warehouse, lines: ['1234 An Extremely Long Street Name Boulevard North'] };
    expect(() => toShipRequest({ ...shipInput, shipTo: longLine })).toThrow(
      /ship-to address line .* 35 characters/,
    );
    expect(() => toShipRequest({ ...shipInput, shipperNumber: '12345' })).toThrow(/shipper number/);
    expect(() => toShipRequest({ ...shipInput, packages: [] })).toThrow(/at least one package/);
    expect(() =>
      toShipRequest({ ...shipInput, packages: [{ weight: { value: 0, unit: 'LBS' }, packagingCode: '02' }] }),
    ).toThrow(/weight 0 must be above 0/);
    try {
      toRateRequest({ ...rateInput, serviceCode: undefined }, 'Rate');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UpsError);
      expect((e as UpsError).kind).toBe('hard');
    }
  });

  it('refuses more than 100 tracking numbers in one Track Alert request', () => {
    const many = Array.from({ length: 101 }, (_, i) => `1Z12345E02${String(i).padStart(8, '0')}`);
    expect(() => toSubscribeRequest({ version: 'v2', type: 'standard' }, many)).toThrow(/100 per call/);
  });
});
