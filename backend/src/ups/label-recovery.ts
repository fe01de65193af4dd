/**
 * UPS Label Recovery (ups.md §3.3): fetch the label of an existing shipment again instead of shipping again,
 * by tracking number, or by reference number + shipper number (in-doubt recovery; UPS then answers with
 * the matching tracking numbers as `TrackingCandidate`s).
 */
import { inputError } from './address-format.js';
import type { UpsHttp } from './http.js';
import { alerts, asArray, pick, text } from './normalise.js';
import type { UpsAlert } from './normalise.js';
import type { LabelFormat, ShippingLabel } from './shipping.js';

export const LABEL_RECOVERY_VERSION = 'v1';

export type LabelRecoveryInput =
  | { trackingNumber: string; labelFormat: LabelFormat; customerContext?: string }
  | { reference: string; shipperNumber: string; labelFormat: LabelFormat; customerContext?: string };

export interface LabelRecoveryResult {
  shipmentId?: string;
  labels: ShippingLabel[];
  /** Tracking numbers UPS found for a reference when it did not return labels directly. */
  candidates: { trackingNumber: string; destinationPostalCode?: string; destinationCountryCode?: string }[];
  alerts: UpsAlert[];
}

export function labelRecoveryPath(): string {
  return `/api/labels/${LABEL_RECOVERY_VERSION}/recovery`;
}

export function toLabelRecoveryRequest(input: LabelRecoveryInput): Record<string, unknown> {
  const request: Record<string, unknown> = { SubVersion: '1903' };
  // CustomerContext has a 5-character minimum in this one API.
  if (input.customerContext && input.customerContext.length >= 5) {
    request.TransactionReference = { CustomerContext: input.customerContext.slice(0, 512) };
  }
  const body: Record<string, unknown> = {
    Request: request,
    LabelSpecification: {
      LabelImageFormat: { Code: input.labelFormat },
      ...(input.labelFormat === 'GIF' ? { HTTPUserAgent: 'Mozilla/4.5' } : {}),
      LabelStockSize: { Height: '6', Width: '4' },
    },
  };
  if ('trackingNumber' in input) {
    const tn = input.trackingNumber.trim().toUpperCase();
    if (!/^[0-9A-Z]{18}$/.test(tn))
      throw inputError('label-recovery', `tracking number "${tn}" must be 18 characters`);
    body.TrackingNumber = tn;
  } else {
    const ref = input.reference.trim();
    if (!ref || ref.length > 35)
      throw inputError('label-recovery', `reference "${ref}" must be 1-35 characters`);
    if (!/^[0-9A-Z]{6}$/.test(input.shipperNumber)) {
      throw inputError('label-recovery', `shipper number "${input.shipperNumber}" must be 6 characters`);
    }
    body.ReferenceValues = { ReferenceNumber: { Value: ref }, ShipperNumber: input.shipperNumber };
  }
  return { LabelRecoveryRequest: body };
}

export function fromLabelRecoveryResponse(body: unknown): LabelRecoveryResult {
  const lr = pick(body, 'LabelRecoveryResponse');
  const labels: ShippingLabel[] = [];
  for (const r of asArray(pick(lr, 'LabelResults'))) {
    const trackingNumber = text(pick(r, 'TrackingNumber'));
    const image = text(pick(r, 'LabelImage', 'GraphicImage'));
    if (trackingNumber && image) {
      labels.push({
        trackingNumber,
        // UPS's sample answers "zpl" in lower case.
        format: (text(pick(r, 'LabelImage', 'LabelImageFormat', 'Code')) ?? '').toUpperCase(),
        imageBase64: image,
      });
    }
  }
  const candidates = asArray(pick(lr, 'TrackingCandidate'))
    .map((c) => {
      const out: LabelRecoveryResult['candidates'][number] = {
        trackingNumber: text(pick(c, 'TrackingNumber')) ?? '',
      };
      const pc = text(pick(c, 'DestinationPostalCode'));
      if (pc) out.destinationPostalCode = pc;
      const cc = text(pick(c, 'DestinationCountryCode'));
      if (cc) out.destinationCountryCode = cc;
      return out;
    })
    .filter((c) => c.trackingNumber !== '');
  const out: LabelRecoveryResult = { labels, candidates, alerts: alerts(pick(lr, 'Response', 'Alert')) };
  const shipmentId = text(pick(lr, 'ShipmentIdentificationNumber'));
  if (shipmentId) out.shipmentId = shipmentId;
  return out;
}

export async function recoverLabel(http: UpsHttp, input: LabelRecoveryInput): Promise<LabelRecoveryResult> {
  const res = await http.send({
    operation: 'label-recovery',
    method: 'POST',
    path: labelRecoveryPath(),
    body: toLabelRecoveryRequest(input),
    customerContext: input.customerContext,
  });
  return fromLabelRecoveryResponse(res.body);
}
