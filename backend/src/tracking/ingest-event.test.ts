import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../domain/types.js';
import type { StoredTrackingEvent } from '../storage/repositories/tracking-events.js';
import { alignToKnownOffset, sameActivity, ymdOf } from './ingest-event.js';
import { statusChangeKey } from './write-tracking-status.js';

const event = (over: Partial<TrackingEvent>): TrackingEvent => ({
  trackingNumber: '1ZA1B2C30300000012',
  status: 'in_transit',
  upsStatusType: 'I',
  upsStatusCode: 'OR',
  description: 'Origin Scan',
  occurredAt: new Date('2026-03-02T20:00:00Z'),
  localDate: '20260302',
  localTime: '150000',
  source: 'track-alert',
  ...over,
});
const stored = (over: Partial<TrackingEvent>): StoredTrackingEvent => ({
  ...event(over),
  id: 'e1',
  tenantId: 't',
  shipmentId: 's',
  gmtDate: '20260302',
  gmtTime: '200000',
  receivedAt: new Date(),
});

describe('alignToKnownOffset', () => {
  it('moves a Quantum View local time by the offset another channel showed', () => {
    const qv = event({
      source: 'quantum-view',
      occurredAt: new Date('2026-03-03T09:30:00Z'),
      localDate: '20260303',
      localTime: '093000',
      status: 'delivered',
      upsStatusType: 'D',
      actualDeliveryAt: new Date('2026-03-03T09:30:00Z'),
    });
    const aligned = alignToKnownOffset(qv, [stored({})]);
    expect(aligned.occurredAt.toISOString()).toBe('2026-03-03T14:30:00.000Z');
    expect(aligned.actualDeliveryAt?.toISOString()).toBe('2026-03-03T14:30:00.000Z');
  });
  it('leaves other channels, and Quantum View without a reference, alone', () => {
    const ta = event({ occurredAt: new Date('2026-03-03T09:30:00Z') });
    expect(alignToKnownOffset(ta, [stored({})])).toBe(ta);
    const qv = event({ source: 'quantum-view' });
    expect(alignToKnownOffset(qv, [stored({ source: 'quantum-view' })])).toBe(qv);
  });
});

describe('sameActivity', () => {
  it('matches a Quantum View record to the webhook event of the same moment and type, whatever the code', () => {
    expect(
      sameActivity(
        event({ source: 'quantum-view', upsStatusType: 'D', upsStatusCode: '01' }),
        stored({ upsStatusType: 'D', upsStatusCode: 'FS' }),
      ),
    ).toBe(true);
    expect(sameActivity(event({ source: 'quantum-view', localTime: '150001' }), stored({}))).toBe(false);
    expect(sameActivity(event({ source: 'quantum-view', upsStatusType: 'X' }), stored({}))).toBe(false);
  });
  it('leaves Track Alert against the Tracking API to the storage key (distinct scans in one second stay)', () => {
    expect(sameActivity(event({ source: 'tracking-api', upsStatusCode: 'OT' }), stored({}))).toBe(false);
  });
  it('compares codes between two Quantum View records, and treats the manifest as one per package', () => {
    expect(
      sameActivity(
        event({ source: 'quantum-view' }),
        stored({ source: 'quantum-view', upsStatusCode: 'DS' }),
      ),
    ).toBe(false);
    expect(sameActivity(event({ source: 'quantum-view' }), stored({ source: 'quantum-view' }))).toBe(true);
    expect(
      sameActivity(
        event({ source: 'quantum-view', upsStatusType: 'M', localTime: '000000' }),
        stored({ upsStatusType: 'M' }),
      ),
    ).toBe(true);
  });
});

describe('ymdOf and change keys', () => {
  it('reads a date column however the engine returns it', () => {
    expect(ymdOf(new Date('2026-03-05T00:00:00Z'))).toBe('20260305');
    expect(ymdOf('2026-03-05')).toBe('20260305');
    expect(ymdOf('20260305')).toBe('20260305');
    expect(ymdOf(null)).toBeNull();
  });
  it('keys a change by shipment, status and date', () => {
    const at = new Date('2026-03-05T23:59:00Z');
    expect(statusChangeKey('s1', { status: 'delivered', trackingNumber: 'x', at })).toBe(
      'tracking:s1:delivered:20260305',
    );
    expect(
      statusChangeKey('s1', {
        status: 'expected_delivery',
        trackingNumber: 'x',
        expectedDelivery: '20260309',
        at,
      }),
    ).toBe('tracking:s1:expected_delivery:20260309');
  });
});
