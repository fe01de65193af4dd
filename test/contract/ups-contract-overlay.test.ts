import { beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  createUpsContracts,
  loadUpsContracts,
  readUpsSpec,
  UPS_API_FILES,
  type ContractResult,
  type UpsApiFile,
  type UpsContracts,
} from '../support/ups-contract.js';
import { UPS_CONTRACT_OVERLAY, type SpecNode as Spec } from '../support/ups-contract-overlay.js';
import { labelRecoveryRequest, quantumViewRequest, rateRequest } from './ups-request-fixtures.js';
import { shipResponse, webhookExample } from './ups-spec-examples.js';

let contracts: UpsContracts;
beforeAll(async () => {
  contracts = await loadUpsContracts();
});

/**
 * One case per overlay entry: the real-world shape, what UPS's unmodified file says about it, and that the
 * overlay accepts it. "Unmodified" here means the full overlay minus this one entry, so each entry is shown
 * to be needed on its own.
 */
interface OverlayCase {
  /** what the harness reports without the entry */
  without: (c: UpsContracts) => Promise<string[]> | string[];
  expectedWithout: string[] | RegExp;
  /** what it reports with the full overlay */
  with: (c: UpsContracts) => Promise<string[]> | string[];
}

async function swaggerValidate(file: UpsApiFile, withEntry: string | undefined): Promise<string[]> {
  const doc = readUpsSpec(file);
  for (const entry of UPS_CONTRACT_OVERLAY)
    if (entry.file === file && entry.id !== withEntry) entry.apply(doc);
  try {
    await SwaggerParser.validate(doc as never);
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

const webhookV1 = webhookExample('TrackAlert-v1-2025-09', '2');
const webhookV2 = {
  ...(webhookExample('TrackAlert', '1') as Spec),
  actualDeliveryDate: '',
  deliveryStartTime: '',
  activityLocation: { city: 'Charlotte', stateProvince: 'NC', postalCode: '', country: 'US' },
};

const invalidToken = {
  response: { errors: [{ code: '250002', message: 'Invalid Authentication Information' }] },
};

const overlayCases: Record<string, OverlayCase> = {
  'trackalert-v2-info-version': {
    without: () => swaggerValidate('TrackAlert', 'trackalert-v2-info-version'),
    expectedWithout: /#\/info must have required property 'version'/,
    with: () => swaggerValidate('TrackAlert', undefined),
  },
  'trackalert-v1-info-version': {
    without: () => swaggerValidate('TrackAlert-v1-2025-09', 'trackalert-v1-info-version'),
    expectedWithout: /#\/info must have required property 'version'/,
    with: () => swaggerValidate('TrackAlert-v1-2025-09', undefined),
  },
  'trackalert-v1-response-schema': {
    without: (c) =>
      c.validateResponse('POST', '/api/track/v1/subscription/standard/package', 405, {
        errors: [{ code: '405', message: 'Method Not Allowed' }],
      }).errors,
    expectedWithout: /cannot be compiled: can't resolve reference \S*#\/components\/schemas\/Response /,
    with: (c) =>
      c.validateResponse('POST', '/api/track/v1/subscription/standard/package', 405, {
        errors: [{ code: '405', message: 'Method Not Allowed' }],
      }).errors,
  },
  'quantumview-stray-key': {
    without: () => swaggerValidate('QuantumView', 'quantumview-stray-key'),
    expectedWithout:
      /Exception\/items\/properties\/BillToAccount\/properties\/Option must NOT have additional properties/,
    with: () => swaggerValidate('QuantumView', undefined),
  },
  'quantumview-request-action-length': {
    without: (c) =>
      c.validateRequest('POST', '/api/quantumview/v3/events', quantumViewRequest({ name: 'OutboundXML' }))
        .errors,
    expectedWithout: ['/QuantumViewRequest/Request/RequestAction must NOT have fewer than 11 characters'],
    with: (c) =>
      c.validateRequest('POST', '/api/quantumview/v3/events', quantumViewRequest({ name: 'OutboundXML' }))
        .errors,
  },
  'rating-request-option': {
    // UPS's example 1 minus its unrelated defects: the option only in the path, as UPS's examples send it.
    without: (c) => c.validateRequest('POST', '/api/rating/v2409/Rate', withoutRequestOption()).errors,
    expectedWithout: ["/RateRequest/Request must have required property 'RequestOption'"],
    with: (c) => c.validateRequest('POST', '/api/rating/v2409/Rate', withoutRequestOption()).errors,
  },
  'rating-service-code-length': {
    without: (c) =>
      c.validateRequest('POST', '/api/rating/v2409/Rate', rateRequest('Rate', { serviceCode: '03' })).errors,
    expectedWithout: ['/RateRequest/Shipment/Service/Code must NOT have fewer than 3 characters'],
    with: (c) =>
      c.validateRequest('POST', '/api/rating/v2409/Rate', rateRequest('Rate', { serviceCode: '03' })).errors,
  },
  'label-recovery-identifier': {
    without: (c) =>
      c.validateRequest('POST', '/api/labels/v1/recovery', labelRecoveryRequest('1Z12345E0205271688')).errors,
    expectedWithout: [
      "/LabelRecoveryRequest must have required property 'TrackingNumbers'",
      "/LabelRecoveryRequest must have required property 'ReferenceValues'",
    ],
    with: (c) =>
      c.validateRequest('POST', '/api/labels/v1/recovery', labelRecoveryRequest('1Z12345E0205271688')).errors,
  },
  'label-recovery-image-format-length': {
    without: (c) => labelFormatErrors(c),
    expectedWithout: [
      '/LabelRecoveryRequest/LabelSpecification/LabelImageFormat/Code must NOT have fewer than 4 characters',
      '/LabelRecoveryResponse/LabelResults/0/LabelImage/LabelImageFormat/Code must NOT have fewer than 4 characters',
    ],
    with: (c) => labelFormatErrors(c),
  },
  'shipping-billing-weight-length': {
    without: (c) => c.validateResponse('POST', '/api/shipments/v2409/ship', 200, shipResponse('10.0')).errors,
    expectedWithout: [
      '/ShipmentResponse/ShipmentResults/BillingWeight/Weight must NOT have fewer than 8 characters',
    ],
    with: (c) => c.validateResponse('POST', '/api/shipments/v2409/ship', 200, shipResponse('10.0')).errors,
  },
  'tracking-401': {
    without: (c) =>
      c.validateResponse('GET', '/api/track/v1/details/1Z12345E0205271688', 401, invalidToken).errors,
    expectedWithout: ['status 401 not declared'],
    with: (c) =>
      c.validateResponse('GET', '/api/track/v1/details/1Z12345E0205271688', 401, invalidToken).errors,
  },
  'trackalert-v1-webhook-empty-strings': {
    without: (c) => c.validateWebhookEvent('v1', webhookV1).errors,
    expectedWithout: [
      '/activityLocation/postalCode must NOT have fewer than 5 characters',
      '/activityLocation/postalCode must match pattern "^\\d{5}(?:[-\\s]\\d{4})?$"',
      '/actualDeliveryDate must NOT have fewer than 8 characters',
      '/actualDeliveryDate must match pattern "^\\d{4}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])$"',
      '/actualDeliveryTime must NOT have fewer than 6 characters',
      '/actualDeliveryTime must match pattern "^([01]?\\d|2[0-3])([0-5]?\\d){2}$"',
      '/deliveryStartTime must NOT have fewer than 6 characters',
      '/deliveryStartTime must match pattern "^([01]?\\d|2[0-3])([0-5]?\\d){2}$"',
      '/deliveryEndTime must NOT have fewer than 6 characters',
      '/deliveryEndTime must match pattern "^([01]?\\d|2[0-3])([0-5]?\\d){2}$"',
    ],
    with: (c) => c.validateWebhookEvent('v1', webhookV1).errors,
  },
  'trackalert-v2-webhook-empty-strings': {
    without: (c) => c.validateWebhookEvent('v2', webhookV2).errors,
    expectedWithout: [
      '/activityLocation/postalCode must NOT have fewer than 5 characters',
      '/activityLocation/postalCode must match pattern "^\\d{5}(?:[-\\s]\\d{4})?$"',
      '/actualDeliveryDate must NOT have fewer than 8 characters',
      '/actualDeliveryDate must match pattern "^\\d{4}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])$"',
      '/deliveryStartTime must NOT have fewer than 6 characters',
      '/deliveryStartTime must match pattern "^([01]?\\d|2[0-3])([0-5]?\\d){2}$"',
    ],
    with: (c) => c.validateWebhookEvent('v2', webhookV2).errors,
  },
};

/** UPS's request in ZPL, and a response with the format code UPS's sample returns ("zpl", java-api-examples). */
function labelFormatErrors(c: UpsContracts): string[] {
  const response = {
    LabelRecoveryResponse: {
      Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
      ShipmentIdentificationNumber: '1Z12345E0205271688',
      LabelResults: [
        {
          TrackingNumber: '1Z12345E0205271688',
          LabelImage: { LabelImageFormat: { Code: 'zpl' }, GraphicImage: 'XlhB' },
        },
      ],
    },
  };
  return [
    ...c.validateRequest('POST', '/api/labels/v1/recovery', labelRecoveryRequest('1Z12345E0205271688', 'ZPL'))
      .errors,
    ...c.validateResponse('POST', '/api/labels/v1/recovery', 200, response).errors,
  ];
}

function withoutRequestOption(): Spec {
  const body = rateRequest('Rate') as Spec;
  delete body.RateRequest.Request.RequestOption;
  return body;
}

describe('overlay', () => {
  it('has a case below for every entry, and every entry documents what, why and where from', () => {
    expect(Object.keys(overlayCases).sort()).toEqual(UPS_CONTRACT_OVERLAY.map((e) => e.id).sort());
    for (const entry of UPS_CONTRACT_OVERLAY) {
      expect(UPS_API_FILES).toContain(entry.file);
      expect(entry.what.length).toBeGreaterThan(10);
      expect(entry.why.length).toBeGreaterThan(20);
      expect(entry.source.length).toBeGreaterThan(10);
    }
  });

  it.each(UPS_CONTRACT_OVERLAY.map((e) => [e.id, e] as const))(
    '%s: the spec alone rejects the real shape, the overlay accepts it',
    async (id) => {
      const overlayCase = overlayCases[id]!;
      const without = createUpsContracts({ overlay: UPS_CONTRACT_OVERLAY.filter((e) => e.id !== id) });
      const errorsWithout = await overlayCase.without(without);
      if (overlayCase.expectedWithout instanceof RegExp) {
        expect(errorsWithout).toHaveLength(1);
        expect(errorsWithout[0]).toMatch(overlayCase.expectedWithout);
      } else {
        expect(errorsWithout).toEqual(overlayCase.expectedWithout);
      }
      expect(await overlayCase.with(contracts)).toEqual([]);
    },
  );

  it.each(UPS_CONTRACT_OVERLAY.map((e) => [e.id, e] as const))(
    '%s refuses to apply to a spec that no longer has the defect',
    (_id, entry) => {
      const doc = readUpsSpec(entry.file);
      entry.apply(doc);
      expect(() => entry.apply(doc)).toThrow(/overlay:/);
    },
  );

  it('keeps the relaxed fields strict for non-empty values and a wrong type', () => {
    const badDate = { ...(webhookV1 as Spec), actualDeliveryDate: '2024-04-23' };
    expect(contracts.validateWebhookEvent('v1', badDate).errors).toEqual([
      '/actualDeliveryDate must NOT have more than 8 characters',
      '/actualDeliveryDate must match pattern "^$|^\\d{4}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])$"',
    ]);
    const numericOption = rateRequest('Rate') as Spec;
    numericOption.RateRequest.Request.RequestOption = 1;
    expect(contracts.validateRequest('POST', '/api/rating/v2409/Rate', numericOption).errors).toEqual([
      '/RateRequest/Request/RequestOption must be string',
    ]);
    const noIdentifier = labelRecoveryRequest('1Z12345E0205271688') as Spec;
    delete noIdentifier.LabelRecoveryRequest.TrackingNumber;
    expect(contracts.validateRequest('POST', '/api/labels/v1/recovery', noIdentifier).errors).toContain(
      '/LabelRecoveryRequest must match a schema in anyOf',
    );
    expect(
      contracts.validateResponse('POST', '/api/shipments/v2409/ship', 200, shipResponse('123456789')).errors,
    ).toEqual([
      '/ShipmentResponse/ShipmentResults/BillingWeight/Weight must NOT have more than 8 characters',
    ]);
  });

  it('leaves the shared v2 Date schema strict outside the webhook', () => {
    const bare = createUpsContracts({ overlay: [] });
    const result: ContractResult = bare.validateWebhookEvent('v2', {
      ...(webhookExample('TrackAlert', '2') as Spec),
      gmtActivityDate: '',
    });
    expect(result.errors).toContain('/gmtActivityDate must NOT have fewer than 8 characters');
    expect(
      contracts.validateWebhookEvent('v2', {
        ...(webhookExample('TrackAlert', '2') as Spec),
        gmtActivityDate: '',
      }).errors,
    ).toEqual([
      '/gmtActivityDate must NOT have fewer than 8 characters',
      '/gmtActivityDate must match pattern "^\\d{4}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])$"',
    ]);
  });
});
