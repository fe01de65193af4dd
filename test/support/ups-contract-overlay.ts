/**
 * The small, documented overlay the contract harness applies in memory to UPS's OpenAPI files.
 *
 * The files in contracts/ups/ stay byte-for-byte UPS's (see SOURCE.md there). Each entry
 * below names the file, what it changes, why, and the source of the claim. `apply` throws when the
 * spec no longer looks as described, so a fixed upstream spec makes the overlay fail loudly instead of
 * silently widening the contract. test/contract/ups-contract-harness.test.ts shows for every entry
 * that the unmodified spec rejects the real-world shape and the overlay accepts it.
 */
import type { UpsApiFile } from './ups-contract.js';

// Parsed OpenAPI documents are untyped YAML; the harness reads them structurally.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SpecNode = Record<string, any>;

export interface OverlayEntry {
  id: string;
  file: UpsApiFile;
  what: string;
  why: string;
  source: string;
  apply(doc: SpecNode): void;
}

/** Walks a JSON pointer-like path; throws with the path when the spec does not match the claim. */
export function at(doc: SpecNode, path: readonly string[]): SpecNode {
  let node: unknown = doc;
  for (const key of path) {
    if (!node || typeof node !== 'object' || !(key in node)) {
      throw new Error(`overlay: spec has no ${path.join('.')} (stopped at "${key}")`);
    }
    node = (node as SpecNode)[key];
  }
  if (!node || typeof node !== 'object') throw new Error(`overlay: ${path.join('.')} is not an object`);
  return node;
}

function expectValue(node: SpecNode, key: string, expected: unknown, where: string): void {
  if (node[key] !== expected) {
    throw new Error(
      `overlay: expected ${where}.${key} = ${JSON.stringify(expected)}, found ${JSON.stringify(node[key])}`,
    );
  }
}

/**
 * Lets a string property of a webhook payload be "" while keeping its format for non-empty values.
 * A `$ref` property is inlined first so that the shared component (also used elsewhere) stays strict.
 */
function allowEmpty(doc: SpecNode, owner: SpecNode, prop: string): void {
  let schema = owner[prop] as SpecNode | undefined;
  if (!schema) throw new Error(`overlay: no property ${prop}`);
  if (typeof schema.$ref === 'string') {
    const { $ref, ...rest } = schema;
    const target = at(doc, $ref.replace(/^#\//, '').split('/'));
    schema = { ...target, ...rest };
  }
  if (schema.type !== 'string') throw new Error(`overlay: ${prop} is not a string schema`);
  if (!(Number(schema.minLength) > 0)) throw new Error(`overlay: ${prop} already admits ""`);
  const relaxed: SpecNode = { ...schema, minLength: 0 };
  if (typeof schema.pattern === 'string') relaxed.pattern = `^$|${schema.pattern}`;
  owner[prop] = relaxed;
}

/** Exactly the fields UPS's webhook examples send as "" (city, deliveryPhoto, … have no length limit). */
const WEBHOOK_EMPTY_FIELDS = [
  'scheduledDeliveryDate',
  'actualDeliveryDate',
  'actualDeliveryTime',
  'deliveryStartTime',
  'deliveryEndTime',
] as const;
const WEBHOOK_EMPTY_LOCATION_FIELDS = ['stateProvince', 'postalCode'] as const;

const webhookWhy =
  'UPS sends absent values as "" ("Note that not every field will have a value in each message"; postalCode and ' +
  'actualDelivery* are "blank until the delivery event occurs"), which the schema\'s own minLength/pattern reject. ' +
  'Only the empty string is let through; any non-empty value must still match the format.';
const webhookSource =
  "TrackAlert-v1-2025-09.yaml webhooks.TrackingEvent examples 1-6 (postalCode: '', actualDeliveryDate: '', " +
  "stateProvince: '' …); UPS staff sample in UPS-API/api-documentation issue 41; docs/research/ups.md §6.3";

function relaxWebhook(doc: SpecNode, schemaPath: readonly string[], locationPath: readonly string[]): void {
  const props = at(doc, [...schemaPath, 'properties']);
  for (const field of WEBHOOK_EMPTY_FIELDS) allowEmpty(doc, props, field);
  const location = at(doc, locationPath);
  for (const field of WEBHOOK_EMPTY_LOCATION_FIELDS) allowEmpty(doc, location, field);
}

export const UPS_CONTRACT_OVERLAY: readonly OverlayEntry[] = [
  {
    id: 'trackalert-v2-info-version',
    file: 'TrackAlert',
    what: 'adds info.version "v2"',
    why: 'OpenAPI requires info.version; swagger-parser validate() rejects the file without it. Validation of bodies is unaffected.',
    source: 'SOURCE.md "Known defects" (TrackAlert.yaml `info.version` missing)',
    apply(doc) {
      const info = at(doc, ['info']);
      if (info.version !== undefined) throw new Error('overlay: TrackAlert info.version is present now');
      info.version = 'v2';
    },
  },
  {
    id: 'trackalert-v1-info-version',
    file: 'TrackAlert-v1-2025-09',
    what: 'adds info.version "v1"',
    why:
      'The v1 file lacks info.version too; SOURCE.md names only its dangling $ref, which stops swagger-parser ' +
      'before it reports this. Validation of bodies is unaffected.',
    source: 'swagger-parser 13 validate() on TrackAlert-v1-2025-09.yaml once the dangling $ref is fixed',
    apply(doc) {
      const info = at(doc, ['info']);
      if (info.version !== undefined) throw new Error('overlay: TrackAlert-v1 info.version is present now');
      info.version = 'v1';
    },
  },
  {
    id: 'trackalert-v1-response-schema',
    file: 'TrackAlert-v1-2025-09',
    what: "defines the missing components.schemas.Response as the file's own ErrorResponse ({errors: [{code, message}]})",
    why:
      'The 404 and 405 responses `$ref: #/components/schemas/Response`, which does not exist; their examples ' +
      '({errors: [{code: "404", message: …}]}) have exactly the shape of the file\'s ErrorResponse.',
    source: 'SOURCE.md "Known defects" (dangling $ref); TrackAlert-v1-2025-09.yaml 404/405 examples',
    apply(doc) {
      const schemas = at(doc, ['components', 'schemas']);
      if (schemas.Response !== undefined) throw new Error('overlay: TrackAlert-v1 defines Response now');
      at(schemas, ['ErrorResponse']);
      schemas.Response = { $ref: '#/components/schemas/ErrorResponse' };
    },
  },
  {
    id: 'quantumview-stray-key',
    file: 'QuantumView',
    what: 'removes the stray key that a mis-indented description line adds to Exception_BillToAccount.Option',
    why: 'YAML reads the line "Indicates how shipping charges … Valid Values: 01 Shipper, …" as an extra schema key, which schema validators reject.',
    source: 'SOURCE.md "Known defects" (QuantumView.yaml `Exception_BillToAccount.Option`)',
    apply(doc) {
      const option = at(doc, ['components', 'schemas', 'Exception_BillToAccount', 'properties', 'Option']);
      const stray = Object.keys(option).filter((k) => k.startsWith('Indicates how shipping charges'));
      if (stray.length !== 1) throw new Error('overlay: QuantumView stray key not found');
      for (const key of stray) delete option[key];
    },
  },
  {
    id: 'quantumview-request-action-length',
    file: 'QuantumView',
    what: 'QuantumViewRequest Request.RequestAction: minLength/maxLength 11 → 8',
    why:
      'The only valid value is "QVEvents" (8 characters, per the field\'s own description and UPS\'s example), ' +
      'so the declared length 11 rejects every correct request.',
    source: 'QuantumView.yaml QUANTUMVIEWRequest_Request.RequestAction; docs/research/ups.md §7',
    apply(doc) {
      const action = at(doc, [
        'components',
        'schemas',
        'QuantumViewRequest_Request',
        'properties',
        'RequestAction',
      ]);
      expectValue(action, 'minLength', 11, 'RequestAction');
      expectValue(action, 'maxLength', 11, 'RequestAction');
      action.minLength = 8;
      action.maxLength = 8;
    },
  },
  {
    id: 'rating-request-option',
    file: 'Rating',
    what: 'RateRequest_Request: defines RequestOption as a non-empty string and drops it from `required`',
    why:
      "RequestOption is listed as required but never defined; UPS's own examples omit it (the option travels in the " +
      'path /rating/{version}/{requestoption}) and one sends "shopTimeInTransit". Defining it keeps a wrong type rejected.',
    source: 'Rating.yaml RateRequest_Request and request examples; docs/research/ups.md §2',
    apply(doc) {
      const request = at(doc, ['components', 'schemas', 'RateRequest_Request']);
      const required = request.required as unknown;
      if (
        !Array.isArray(required) ||
        !required.includes('RequestOption') ||
        at(request, ['properties']).RequestOption
      ) {
        throw new Error('overlay: RateRequest_Request.RequestOption is no longer required-but-undefined');
      }
      request.required = required.filter((name) => name !== 'RequestOption');
      if ((request.required as unknown[]).length === 0) delete request.required;
      at(request, ['properties']).RequestOption = {
        type: 'string',
        minLength: 1,
        description: 'Rate, Shop, Ratetimeintransit or Shoptimeintransit (overlay: undefined in the spec)',
      };
    },
  },
  {
    id: 'rating-service-code-length',
    file: 'Rating',
    what: 'Shipment_Service.Code (RateRequest): minLength 3 → 2 (maxLength 3 kept)',
    why:
      "Every service code the field's own description lists is two characters (01 Next Day Air … 03 Ground … 65 Saver), " +
      'and UPS\'s Rating examples 1, 2, 4, 5, 7, 8 and 9 send "03" or "01"; Shipping declares the same code as 1-2 characters.',
    source: 'Rating.yaml Shipment_Service.Code description and request examples',
    apply(doc) {
      const code = at(doc, ['components', 'schemas', 'Shipment_Service', 'properties', 'Code']);
      expectValue(code, 'minLength', 3, 'Shipment_Service.Code');
      code.minLength = 2;
    },
  },
  {
    id: 'label-recovery-identifier',
    file: 'Shipping',
    what:
      'LabelRecoveryRequest: required [Request, TrackingNumbers, ReferenceValues] → [Request] plus anyOf one of ' +
      'TrackingNumber, MailInnovationsTrackingNumber, TrackingNumbers, ReferenceValues',
    why:
      'The property descriptions make these alternatives ("TrackingNumber … Required if Mail Innovations Tracking Number or ' +
      'ReferenceNumber/Value and ShipperNumber is not provided"; TrackingNumbers is for Roadie 1R numbers only), and ' +
      "UPS's standard example sends TrackingNumber alone.",
    source: 'Shipping.yaml LabelRecoveryRequest properties and request example 1',
    apply(doc) {
      const request = at(doc, ['components', 'schemas', 'LabelRecoveryRequest']);
      if (
        JSON.stringify(request.required) !== JSON.stringify(['Request', 'TrackingNumbers', 'ReferenceValues'])
      ) {
        throw new Error('overlay: LabelRecoveryRequest.required changed');
      }
      request.required = ['Request'];
      request.anyOf = [
        'TrackingNumber',
        'MailInnovationsTrackingNumber',
        'TrackingNumbers',
        'ReferenceValues',
      ].map((name) => ({
        required: [name],
      }));
    },
  },
  {
    id: 'label-recovery-image-format-length',
    file: 'Shipping',
    what:
      'LabelRecovery_LabelSpecification_LabelImageFormat.Code (request) and LabelImage_LabelImageFormat.Code (response): ' +
      'minLength 4 → 3 (maxLength 4 kept)',
    why:
      'All valid values the fields list (GIF, PDF, ZPL, EPL, SPL; the response says "GIF or PDF") have three characters; ' +
      'UPS\'s request examples send "ZPL" and "GIF", and UPS\'s own label recovery sample response returns "zpl".',
    source:
      'Shipping.yaml both LabelImageFormat.Code schemas and label recovery examples 1-2; UPS-API/java-api-examples ' +
      'shipping LabelRecoveryResponse.json (docs/research/ups.md §3.3)',
    apply(doc) {
      for (const name of [
        'LabelRecovery_LabelSpecification_LabelImageFormat',
        'LabelImage_LabelImageFormat',
      ]) {
        const code = at(doc, ['components', 'schemas', name, 'properties', 'Code']);
        expectValue(code, 'minLength', 4, `${name}.Code`);
        code.minLength = 3;
      }
    },
  },
  {
    id: 'shipping-billing-weight-length',
    file: 'Shipping',
    what: 'ShipmentResults_BillingWeight.Weight: minLength 8 → 1 (maxLength 8 kept)',
    why:
      'Real ship responses carry BillingWeight.Weight like "1.0" or "10.0", shorter than the declared exact length 8; ' +
      'Rating declares the same value with minLength 1.',
    source:
      'issue 3 ("real ship responses carry a BillingWeight.Weight shorter than the spec\'s minimum length"); UPS ' +
      'java-api-examples shipping Response/*.json; Rating.yaml RatedShipment_BillingWeight.Weight',
    apply(doc) {
      const weight = at(doc, [
        'components',
        'schemas',
        'ShipmentResults_BillingWeight',
        'properties',
        'Weight',
      ]);
      expectValue(weight, 'minLength', 8, 'BillingWeight.Weight');
      weight.minLength = 1;
    },
  },
  {
    id: 'tracking-401',
    file: 'Tracking',
    what: "adds a 401 response (the file's own `Response` error envelope) to the three Tracking operations",
    why:
      'Every Tracking operation requires an OAuth2 Bearer token (`security: OAuth2`), yet only 400/403/404/500/503 are ' +
      'declared; a missing, invalid or expired token gets 401 with the common envelope {response: {errors: [{code: "250002" …}]}} ' +
      'like every other business API behind the same gateway.',
    source:
      'Tracking.yaml operation `security` and responses; TrackAlert.yaml 401 example (250002); docs/research/ups.md §0.2, §1; issue 3',
    apply(doc) {
      const paths = at(doc, ['paths']);
      for (const template of Object.keys(paths)) {
        const responses = at(paths, [template, 'get', 'responses']);
        if (responses['401'] !== undefined) throw new Error(`overlay: Tracking ${template} declares 401 now`);
        responses['401'] = {
          description: 'Unauthorized Request (overlay)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Response' } } },
        };
      }
    },
  },
  {
    id: 'trackalert-v1-webhook-empty-strings',
    file: 'TrackAlert-v1-2025-09',
    what: `TrackingEventRequest: ${WEBHOOK_EMPTY_FIELDS.join(', ')} and ActivityLocation.stateProvince/postalCode may be ""`,
    why: webhookWhy,
    source: webhookSource,
    apply(doc) {
      relaxWebhook(
        doc,
        ['components', 'schemas', 'TrackingEventRequest'],
        ['components', 'schemas', 'ActivityLocation', 'properties'],
      );
    },
  },
  {
    id: 'trackalert-v2-webhook-empty-strings',
    file: 'TrackAlert',
    what: `TrackingEventRequest: ${WEBHOOK_EMPTY_FIELDS.join(', ')} and activityLocation.stateProvince/postalCode may be ""`,
    why: webhookWhy + ' The v2 payload is the v1 payload without destination credentials.',
    source: webhookSource + '; TrackAlert.yaml TrackingEventRequest',
    apply(doc) {
      relaxWebhook(
        doc,
        ['components', 'schemas', 'TrackingEventRequest'],
        ['components', 'schemas', 'TrackingEventRequest', 'properties', 'activityLocation', 'properties'],
      );
    },
  },
];
