/**
 * A shipping or tracking status on the PO, through the mechanism the tenant chose:
 * - flexfield: configured header DFF segments (status, reason, tracking number, expected delivery);
 * - attachment: a text attachment whose title names the status (idempotent by title);
 * - asn: the only status an ASN carries is its expected receipt date, so only expected-delivery
 *   information is written, on our pending ASN request; other statuses are reported as not written.
 */
import type { FusionRestClient } from '../rest-client.js';
import { addAttachment } from './attachment.js';
import { updateAsnExpectedReceipt } from './asn.js';
import type { ChangeOrderOptions } from './change-order.js';
import { writeHeaderFlexfield } from './flexfield-change-order.js';

export type PoStatusUpdate =
  | { status: 'shipped'; trackingNumbers: string[]; at?: Date }
  | { status: 'address_needs_correction'; reason: string; at?: Date }
  | { status: 'failed'; reason: string; at?: Date }
  | {
      status: 'in_transit' | 'exception' | 'delivered';
      trackingNumber: string;
      at?: Date;
      detail?: string;
      /** yyyy-MM-dd from UPS's scheduled/rescheduled delivery date. */
      expectedDelivery?: string;
    }
  | { status: 'expected_delivery'; trackingNumber: string; expectedDelivery: string; at?: Date };

/** Fusion status words written to the PO (short, upper case, stable for reports and DFF value sets). */
export const STATUS_CODES: Record<PoStatusUpdate['status'], string> = {
  shipped: 'SHIPPED',
  address_needs_correction: 'ADDRESS_NEEDS_CORRECTION',
  failed: 'FAILED',
  in_transit: 'IN_TRANSIT',
  exception: 'EXCEPTION',
  delivered: 'DELIVERED',
  expected_delivery: 'EXPECTED_DELIVERY',
};

/** Segment API names the customer configured on the "Purchasing Document Header" DFF. */
export interface StatusSegments {
  context?: string;
  status: string;
  reason?: string;
  trackingNumber?: string;
  expectedDelivery?: string;
}

export type StatusMechanism = 'flexfield' | 'attachment' | 'asn';

export interface StatusWriteResult {
  written: boolean;
  /** Why nothing was written (e.g. the mechanism cannot carry this status). */
  note?: string;
}

const trackingOf = (u: PoStatusUpdate): string | undefined =>
  u.status === 'shipped' ? u.trackingNumbers.join(' ') : 'trackingNumber' in u ? u.trackingNumber : undefined;
const reasonOf = (u: PoStatusUpdate): string | undefined =>
  'reason' in u ? u.reason : 'detail' in u ? u.detail : undefined;
/** UPS sends YYYYMMDD; Fusion and people read yyyy-MM-dd. */
export function isoDay(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : v;
}
const expectedOf = (u: PoStatusUpdate): string | undefined =>
  'expectedDelivery' in u ? isoDay(u.expectedDelivery) : undefined;

/** Pure: the DFF segment values for a status (segments not configured are left out). */
export function statusSegmentValues(
  update: PoStatusUpdate,
  names: StatusSegments,
): Record<string, string | null> {
  const values: Record<string, string | null> = { [names.status]: STATUS_CODES[update.status] };
  // DFF character segments are commonly 150 characters.
  if (names.reason) values[names.reason] = reasonOf(update)?.slice(0, 150) ?? null;
  const tracking = trackingOf(update);
  if (names.trackingNumber && tracking) values[names.trackingNumber] = tracking.slice(0, 150);
  const expected = expectedOf(update);
  if (names.expectedDelivery && expected) values[names.expectedDelivery] = expected;
  return values;
}

/** Pure: the attachment title and text for a status. */
export function statusAttachment(update: PoStatusUpdate): { title: string; text: string } {
  const code = STATUS_CODES[update.status];
  const tracking = trackingOf(update);
  const expected = expectedOf(update);
  // The time is part of the title so that a second exception is a second attachment, and a retry is not.
  const at = update.at ? update.at.toISOString().slice(0, 16).replace('T', ' ') : undefined;
  const title = ['UPS', code, tracking, update.status === 'expected_delivery' ? expected : undefined, at]
    .filter(Boolean)
    .join(' ');
  const text = [
    `Status: ${code}`,
    tracking ? `Tracking: ${tracking}` : undefined,
    reasonOf(update) ? `Reason: ${reasonOf(update)}` : undefined,
    expected ? `Expected delivery: ${expected}` : undefined,
    update.at ? `At: ${update.at.toISOString()}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return { title, text };
}

export interface WriteStatusInput {
  mechanism: StatusMechanism;
  poHeaderId: string;
  update: PoStatusUpdate;
  /** Needed for 'flexfield'. */
  segments?: StatusSegments;
  /** The PO's `attachments` child link (for the idempotency check of 'attachment'). */
  poAttachmentsHref?: string;
  changeOrder?: ChangeOrderOptions;
}

export async function writePoStatus(
  rest: FusionRestClient,
  input: WriteStatusInput,
): Promise<StatusWriteResult> {
  const { update } = input;
  switch (input.mechanism) {
    case 'flexfield': {
      if (!input.segments) throw new Error('flexfield status write-back needs the DFF segment names');
      await writeHeaderFlexfield(
        rest,
        input.poHeaderId,
        { context: input.segments.context, segments: statusSegmentValues(update, input.segments) },
        { description: `UPS status ${STATUS_CODES[update.status]}`, ...input.changeOrder },
      );
      return { written: true };
    }
    case 'attachment': {
      const { title, text } = statusAttachment(update);
      const result = await addAttachment(
        rest,
        input.poHeaderId,
        input.poAttachmentsHref,
        { kind: 'text', title, text },
        input.changeOrder,
      );
      return result.added
        ? { written: true }
        : { written: false, note: `attachment "${title}" already present` };
    }
    case 'asn': {
      const expected = expectedOf(update);
      const tracking = 'trackingNumber' in update ? update.trackingNumber : undefined;
      if (!expected || !tracking) {
        return {
          written: false,
          note: `an ASN carries no ${STATUS_CODES[update.status]} status; only expected delivery`,
        };
      }
      const at = new Date(`${expected}T12:00:00Z`);
      if (Number.isNaN(at.getTime()))
        return { written: false, note: `unreadable expected delivery date "${expected}"` };
      const written = await updateAsnExpectedReceipt(rest, tracking, at);
      return written ? { written } : { written, note: 'no pending ASN request for this tracking number' };
    }
  }
}
