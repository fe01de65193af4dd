/**
 * The Fusion side of a tracking status change, over the Fusion client's status write-back (flexfield change
 * order, text attachment, or the ASN's expected receipt date). Statuses the mechanism cannot carry come back
 * as `written: false` with a note, which the caller records as done: there is nothing to retry.
 */
import type { FusionClient } from '../fusion/fusion-client.js';
import type {
  PoStatusUpdate,
  StatusMechanism,
  StatusSegments,
  StatusWriteResult,
} from '../fusion/write-back/status.js';

export type TrackingStatusUpdate = Extract<
  PoStatusUpdate,
  { status: 'in_transit' | 'exception' | 'delivered' | 'expected_delivery' }
>;

export interface TrackingStatusWriter {
  readonly mechanism: StatusMechanism;
  write(poHeaderId: string, update: TrackingStatusUpdate): Promise<StatusWriteResult>;
}

export function fusionStatusWriter(
  client: FusionClient,
  mechanism: StatusMechanism,
  segments?: StatusSegments,
  options: { asnExpectedDate?: boolean } = {},
): TrackingStatusWriter {
  return {
    mechanism,
    async write(poHeaderId, update) {
      const poAttachmentsHref =
        mechanism === 'attachment'
          ? (await client.getPurchaseOrder(poHeaderId)).links.attachments
          : undefined;
      const result = await client.writePoStatus({
        mechanism,
        poHeaderId,
        update,
        ...(segments ? { segments } : {}),
        ...(poAttachmentsHref ? { poAttachmentsHref } : {}),
      });
      // ASN tenants also keep the ASN's expected receipt date current (receiving plans by it).
      if (
        options.asnExpectedDate &&
        mechanism !== 'asn' &&
        'expectedDelivery' in update &&
        update.expectedDelivery
      ) {
        const asn = await client.writePoStatus({ mechanism: 'asn', poHeaderId, update });
        if (asn.written && !result.written) return asn;
      }
      return result;
    },
  };
}
