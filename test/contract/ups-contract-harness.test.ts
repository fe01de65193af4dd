import { beforeAll, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../support/ups-contract.js';
import type { SpecNode as Spec } from '../support/ups-contract-overlay.js';
import {
  labelRecoveryRequest,
  quantumViewRequest,
  rateRequest,
  shipRequest,
} from './ups-request-fixtures.js';
import { example, shipResponse, webhookExample } from './ups-spec-examples.js';

let contracts: UpsContracts;
beforeAll(async () => {
  contracts = await loadUpsContracts();
});

describe('loading UPS specs', () => {
  it('is cached per process', async () => {
    expect(await loadUpsContracts()).toBe(contracts);
  });

  it.each([
    ['POST', '/security/v1/oauth/token', 'OAuthClientCredentials', '/security/v1/oauth/token'],
    [
      'POST',
      '/api/addressvalidation/v2/3',
      'AddressValidation',
      '/api/addressvalidation/{version}/{requestoption}',
    ],
    [
      'POST',
      '/api/rating/v2409/Shop?additionalinfo=timeintransit',
      'Rating',
      '/api/rating/{version}/{requestoption}',
    ],
    ['POST', '/api/shipments/v2409/ship', 'Shipping', '/api/shipments/{version}/ship'],
    [
      'DELETE',
      '/api/shipments/v2409/void/cancel/1Z12345E0205271688',
      'Shipping',
      '/api/shipments/{version}/void/cancel/{shipmentidentificationnumber}',
    ],
    ['POST', '/api/labels/v1/recovery', 'Shipping', '/api/labels/{version}/recovery'],
    [
      'GET',
      '/api/track/v1/details/1Z12345E0205271688?locale=en_US',
      'Tracking',
      '/api/track/v1/details/{inquiryNumber}',
    ],
    [
      'GET',
      '/api/track/v1/reference/details/PO-1001',
      'Tracking',
      '/api/track/v1/reference/details/{referenceNumber}',
    ],
    [
      'POST',
      '/api/track/v1/subscription/standard/package',
      'TrackAlert-v1-2025-09',
      '/api/track/{version}/subscription/standard/package',
    ],
    [
      'POST',
      '/api/track/v2/subscription/enhanced/package',
      'TrackAlert',
      '/api/track/{version}/subscription/{type}/package',
    ],
    ['POST', '/api/quantumview/v3/events', 'QuantumView', '/api/quantumview/{version}/events'],
  ] as const)('maps %s %s to %s', (method, wire, file, template) => {
    expect(contracts.findOperation(method, wire)).toMatchObject({ file, pathTemplate: template });
  });

  it('refuses paths, methods and path values the specs do not declare', () => {
    expect(contracts.findOperation('GET', '/api/shipments/v2409/ship')).toBeUndefined();
    expect(contracts.findOperation('POST', '/api/track/v3/subscription/standard/package')).toBeUndefined();
    expect(contracts.findOperation('POST', '/api/track/v2/subscription/premium/package')).toBeUndefined();
    expect(contracts.findOperation('POST', '/api/security/v1/oauth/token')).toBeUndefined();
    expect(contracts.validateRequest('POST', '/api/nowhere', {})).toEqual({
      valid: false,
      errors: ['no UPS operation for POST /api/nowhere'],
    });
  });

  it('names the operation it validated against', () => {
    expect(contracts.validateRequest('POST', '/api/shipments/v2409/ship', shipRequest()).operation).toBe(
      'Shipping Shipment',
    );
  });
});

describe("UPS's own examples", () => {
  it.each([
    [
      'AddressValidation',
      '/addressvalidation/{version}/{requestoption}',
      'post',
      'request',
      'json',
      '/api/addressvalidation/v2/1',
    ],
    [
      'TrackAlert',
      '/subscription/{type}/package',
      'post',
      'request',
      '1',
      '/api/track/v2/subscription/standard/package',
    ],
    [
      'TrackAlert',
      '/subscription/{type}/package',
      'post',
      'request',
      '2',
      '/api/track/v2/subscription/enhanced/package',
    ],
    [
      'TrackAlert',
      '/subscription/{type}/account',
      'post',
      'request',
      'example',
      '/api/track/v2/subscription/standard/account',
    ],
  ] as const)('accepts %s %s %s example %s', (file, template, method, where, name, wire) => {
    const result = contracts.validateRequest(
      method,
      wire,
      example(file, template, method, where, name),
      'application/json',
    );
    expect(result).toMatchObject({ valid: true, errors: [] });
  });

  it.each([
    [
      'TrackAlert',
      '/subscription/{type}/package',
      '200',
      'PartialSuccessExample',
      '/api/track/v2/subscription/standard/package',
    ],
    [
      'TrackAlert',
      '/subscription/{type}/package',
      '400',
      'example',
      '/api/track/v2/subscription/standard/package',
    ],
    [
      'TrackAlert',
      '/subscription/{type}/package',
      '401',
      'example',
      '/api/track/v2/subscription/standard/package',
    ],
    [
      'TrackAlert-v1-2025-09',
      '/subscription/standard/package',
      '200',
      'CompleteSuccessExample',
      '/api/track/v1/subscription/standard/package',
    ],
    [
      'TrackAlert-v1-2025-09',
      '/subscription/standard/package',
      '400',
      'example',
      '/api/track/v1/subscription/standard/package',
    ],
    [
      'TrackAlert-v1-2025-09',
      '/subscription/standard/package',
      '404',
      'example',
      '/api/track/v1/subscription/standard/package',
    ],
  ] as const)('accepts %s %s response %s %s', (file, template, status, name, wire) => {
    const result = contracts.validateResponse(
      'POST',
      wire,
      Number(status),
      example(file, template, 'post', status, name),
    );
    expect(result).toMatchObject({ valid: true, errors: [] });
  });

  it.each(['2', '3', '4', '5', '6', '7'])(
    'accepts Track Alert v1 webhook example %s (empty strings via the overlay)',
    (name) => {
      expect(
        contracts.validateWebhookEvent('v1', webhookExample('TrackAlert-v1-2025-09', name)).errors,
      ).toEqual([]);
    },
  );

  it.each(['1', '2'])('accepts Track Alert v2 webhook example %s', (name) => {
    expect(contracts.validateWebhookEvent('v2', webhookExample('TrackAlert', name)).errors).toEqual([]);
  });

  // Examples that break their own schema. Each assertion pins the exact defect, so a harness change that
  // hides or adds an error shows up here.
  it('rejects Track Alert v1 webhook example 1: its trackingNumber has a leading space (" 1ZABCXYZ0112346789")', () => {
    expect(contracts.validateWebhookEvent('v1', webhookExample('TrackAlert-v1-2025-09', '1')).errors).toEqual(
      ['/trackingNumber must match pattern "^1Z[0-9A-Z]{16}$"'],
    );
  });

  it('rejects the Track Alert v1 401 example: it omits the `response` envelope its schema requires', () => {
    const body = example('TrackAlert-v1-2025-09', '/subscription/standard/package', 'post', '401', 'example');
    expect(
      contracts.validateResponse('POST', '/api/track/v1/subscription/standard/package', 401, body).errors,
    ).toEqual(["/ must have required property 'response'"]);
  });

  it('rejects the Track Alert v2 account example as loaded: YAML reads the unquoted 9999-12-31 as a timestamp, not a string', () => {
    const body = example('TrackAlert', '/subscription/{type}/account', 'post', '200', 'example') as Spec;
    expect(body.expiryDate).toBeInstanceOf(Date);
    expect(
      contracts.validateResponse('POST', '/api/track/v2/subscription/standard/account', 200, body).errors,
    ).toEqual(['/expiryDate must be string']);
    const asJson = JSON.parse(JSON.stringify({ expiryDate: '9999-12-31' }));
    expect(
      contracts.validateResponse('POST', '/api/track/v2/subscription/standard/account', 200, asJson).errors,
    ).toEqual([]);
  });

  it('rejects the Quantum View example: it sends SubscriptionRequest as an object, the schema declares an array', () => {
    const body = example('QuantumView', '/quantumview/{version}/events', 'post', 'request', 'json');
    expect(contracts.validateRequest('POST', '/api/quantumview/v3/events', body).errors).toEqual([
      '/QuantumViewRequest/SubscriptionRequest must be array',
    ]);
  });

  it('rejects Rating example 8: single Package object, and the spec needs no other fix once the overlay is on', () => {
    const body = example('Rating', '/rating/{version}/{requestoption}', 'post', 'request', '8');
    expect(contracts.validateRequest('POST', '/api/rating/v2409/Rate', body).errors).toEqual([
      '/RateRequest/Shipment/Package must be array',
    ]);
  });

  it('rejects Shipping example 7: empty CustomerContext, a 2-character ShipperNumber placeholder, ShipmentCharge as an object', () => {
    const body = example('Shipping', '/shipments/{version}/ship', 'post', 'request', '7');
    expect(contracts.validateRequest('POST', '/api/shipments/v2409/ship', body).errors).toEqual([
      '/ShipmentRequest/Request/TransactionReference/CustomerContext must NOT have fewer than 1 characters',
      '/ShipmentRequest/Shipment/Shipper/ShipperNumber must NOT have fewer than 6 characters',
      '/ShipmentRequest/Shipment/PaymentInformation/ShipmentCharge must be array',
    ]);
  });

  it('rejects label recovery example 2 (Roadie): TrackingNumbers is an object wrapping the array', () => {
    const body = example('Shipping', '/labels/{version}/recovery', 'post', 'request', '2');
    expect(contracts.validateRequest('POST', '/api/labels/v1/recovery', body).errors).toEqual([
      '/LabelRecoveryRequest/TrackingNumbers must be array',
      "/LabelRecoveryRequest/ReferenceValues must have required property 'ReferenceNumber'",
    ]);
  });
});

describe('crafted requests', () => {
  const SHIP = '/api/shipments/v2409/ship';

  it('accepts the request shapes the connector sends', () => {
    expect(contracts.validateRequest('POST', SHIP, shipRequest(), 'application/json').errors).toEqual([]);
    expect(
      contracts.validateRequest('POST', SHIP, shipRequest({ labelFormat: 'ZPL', weights: ['5', '12.5'] }))
        .errors,
    ).toEqual([]);
    for (const option of ['Rate', 'Shop', 'Ratetimeintransit', 'Shoptimeintransit']) {
      expect(
        contracts.validateRequest('POST', `/api/rating/v2409/${option}`, rateRequest(option)).errors,
      ).toEqual([]);
    }
    expect(
      contracts.validateRequest('POST', '/api/labels/v1/recovery', labelRecoveryRequest('1Z12345E0205271688'))
        .errors,
    ).toEqual([]);
    expect(
      contracts.validateRequest(
        'POST',
        '/api/quantumview/v3/events',
        quantumViewRequest({ name: 'OutboundXML', bookmark: 'WE9MVFFBMQ==' }),
      ).errors,
    ).toEqual([]);
  });

  it('names a missing ShipperNumber', () => {
    const body = shipRequest() as Spec;
    delete body.ShipmentRequest.Shipment.Shipper.ShipperNumber;
    expect(contracts.validateRequest('POST', SHIP, body).errors).toEqual([
      "/ShipmentRequest/Shipment/Shipper must have required property 'ShipperNumber'",
    ]);
  });

  it('names a number sent where UPS wants a string', () => {
    const body = shipRequest() as Spec;
    body.ShipmentRequest.Shipment.Package[0].PackageWeight.Weight = 10;
    expect(contracts.validateRequest('POST', SHIP, body).errors).toEqual([
      '/ShipmentRequest/Shipment/Package/0/PackageWeight/Weight must be string',
    ]);
  });

  it('names an empty and a too long field', () => {
    const body = shipRequest() as Spec;
    body.ShipmentRequest.Shipment.Package[0].PackageWeight.Weight = '';
    body.ShipmentRequest.Shipment.ShipTo.Name = 'N'.repeat(36);
    expect(contracts.validateRequest('POST', SHIP, body).errors).toEqual([
      '/ShipmentRequest/Shipment/ShipTo/Name must NOT have more than 35 characters',
      '/ShipmentRequest/Shipment/Package/0/PackageWeight/Weight must NOT have fewer than 1 characters',
    ]);
  });

  it('names a single object where the spec declares an array', () => {
    const body = rateRequest('Rate') as Spec;
    body.RateRequest.Shipment.Package = body.RateRequest.Shipment.Package[0];
    expect(contracts.validateRequest('POST', '/api/rating/v2409/Rate', body).errors).toEqual([
      '/RateRequest/Shipment/Package must be array',
    ]);
  });

  it('validates the parsed form of a form-encoded token request', () => {
    const FORM = 'application/x-www-form-urlencoded';
    expect(
      contracts.validateRequest('POST', '/security/v1/oauth/token', 'grant_type=client_credentials', FORM)
        .errors,
    ).toEqual([]);
    expect(
      contracts.validateRequest(
        'POST',
        '/security/v1/oauth/token',
        new URLSearchParams({ grant_type: 'client_credentials' }),
        FORM,
      ).valid,
    ).toBe(true);
    expect(
      contracts.validateRequest('POST', '/security/v1/oauth/token', 'grant=client_credentials', FORM).errors,
    ).toEqual(["/ must have required property 'grant_type'"]);
    expect(contracts.validateRequest('POST', '/security/v1/oauth/token', '', FORM).errors).toEqual([
      'request body is required',
    ]);
    expect(
      contracts.validateRequest('POST', '/security/v1/oauth/token', '{}', 'application/json').errors,
    ).toEqual(['content type application/json not declared (declared: application/x-www-form-urlencoded)']);
  });

  it('accepts body-less operations without a body and refuses one with a body', () => {
    const VOID = '/api/shipments/v2409/void/cancel/1Z12345E0205271688?trackingnumber=1Z12345E0205271688';
    expect(contracts.validateRequest('DELETE', VOID, undefined).valid).toBe(true);
    expect(contracts.validateRequest('DELETE', VOID, { x: 1 }).errors).toEqual([
      'request body not declared for this operation',
    ]);
  });
});

describe('crafted responses', () => {
  it('checks declared statuses and falls back to "not declared"', () => {
    const error = {
      response: { errors: [{ code: '250002', message: 'Invalid Authentication Information' }] },
    };
    expect(contracts.validateResponse('POST', '/api/rating/v2409/Rate', 401, error).errors).toEqual([]);
    expect(
      contracts.validateResponse('POST', '/api/rating/v2409/Rate', 401, {
        response: { errors: [{ code: 250002 }] },
      }).errors,
    ).toEqual(['/response/errors/0/code must be string']);
    expect(contracts.validateResponse('POST', '/api/rating/v2409/Rate', 418, error).errors).toEqual([
      'status 418 not declared',
    ]);
  });

  it('reports an empty body and a body that is not JSON', () => {
    expect(contracts.validateResponse('POST', '/api/shipments/v2409/ship', 200, '').errors).toEqual([
      'empty body, expected application/json',
    ]);
    expect(contracts.validateResponse('POST', '/api/shipments/v2409/ship', 200, '{"Ship').errors).toEqual([
      'body is not JSON: {"Ship',
    ]);
    expect(
      contracts.validateResponse('POST', '/api/shipments/v2409/ship', 200, JSON.stringify(shipResponse()))
        .errors,
    ).toEqual([]);
  });

  it('reports every string-typed token field sent as a number', () => {
    const token = {
      token_type: 'Bearer',
      issued_at: 1665748432802,
      client_id: 'abc',
      access_token: 'tok',
      scope: '',
      expires_in: 14399,
      refresh_count: '0',
      status: 'approved',
    };
    expect(contracts.validateResponse('POST', '/security/v1/oauth/token', 200, token).errors).toEqual([
      '/issued_at must be string',
      '/expires_in must be string',
    ]);
  });
});
