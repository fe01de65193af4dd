/** Readers of UPS's own examples from the unmodified yaml, and a ship response in the shape UPS returns. */
import { readUpsSpec, type UpsApiFile } from '../support/ups-contract.js';
import type { SpecNode as Spec } from '../support/ups-contract-overlay.js';

/** An example value from the unmodified yaml, so the test reads UPS's text, not a copy of it. */
export function example(
  file: UpsApiFile,
  pathTemplate: string,
  method: string,
  where: string,
  name: string,
): unknown {
  const op = readUpsSpec(file).paths[pathTemplate][method] as Spec;
  const content = where === 'request' ? op.requestBody.content : op.responses[where].content;
  const media = (content['application/json'] ?? Object.values(content)[0]) as Spec;
  return name === 'example' ? media.example : media.examples[name].value;
}

export function webhookExample(file: UpsApiFile, name: string): unknown {
  return readUpsSpec(file).webhooks.TrackingEvent.post.requestBody.content['application/json'].examples[name]
    .value;
}

export const money = (v: string) => ({ CurrencyCode: 'USD', MonetaryValue: v });

export function shipResponse(billingWeight = '10.0') {
  return {
    ShipmentResponse: {
      Response: {
        ResponseStatus: { Code: '1', Description: 'Success' },
        TransactionReference: { CustomerContext: 'intent-0001', TransactionIdentifier: 'ciewstst1234abcd' },
      },
      ShipmentResults: {
        ShipmentCharges: {
          TransportationCharges: money('12.34'),
          ServiceOptionsCharges: money('0.00'),
          TotalCharges: money('12.34'),
        },
        BillingWeight: { UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' }, Weight: billingWeight },
        ShipmentIdentificationNumber: '1Z12345E0205271688',
        PackageResults: [
          {
            TrackingNumber: '1Z12345E0205271688',
            ShippingLabel: { ImageFormat: { Code: 'GIF', Description: 'GIF' }, GraphicImage: 'R0lGODlh' },
          },
        ],
      },
    },
  };
}
