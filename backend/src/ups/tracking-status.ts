/**
 * UPS activity status type → our TrackingStatus (ups.md §5: D, I, M, MV, X, U, DO/DD, W, NA; `P` from older
 * material). Unknown non-empty types count as in transit rather than failing, as ups.md advises.
 */
import type { TrackingStatus } from '../domain/types.js';

const BY_TYPE: Record<string, TrackingStatus> = {
  M: 'label_created',
  MV: 'voided',
  I: 'in_transit',
  P: 'in_transit',
  W: 'in_transit',
  DO: 'in_transit', // delivered to the origin CFS (freight): not yet at the consignee
  X: 'exception',
  U: 'delivery_update',
  D: 'delivered',
  DD: 'delivered',
  RS: 'returned',
  NA: 'unknown',
};

/** Status codes that mean "returned to shipper" whatever the type says. */
const RETURN_CODES = new Set(['RS']);

export function trackingStatusOf(type: string | undefined, code?: string): TrackingStatus {
  const t = (type ?? '').trim().toUpperCase();
  const c = (code ?? '').trim().toUpperCase();
  if (c && RETURN_CODES.has(c)) return 'returned';
  if (!t) return 'unknown';
  return BY_TYPE[t] ?? 'in_transit';
}
