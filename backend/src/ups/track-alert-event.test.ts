import { describe, expect, it } from 'vitest';
import { loadUpsContracts } from '../../../test/support/ups-contract.js';
import { parseTrackAlertEvent } from './track-alert-event.js';

/** TrackAlert-v1-2025-09.yaml webhook example 1: "" everywhere and a leading space in the tracking number. */
const manifestV1 = {
  activityLocation: { city: '', country: 'US', postalCode: '', stateProvince: '' },
  activityStatus: { code: 'MP', description: 'Shipment Ready for UPS', descriptionCode: '003', type: 'M' },
  actualDeliveryDate: '',
  actualDeliveryTime: '',
  deliveryEndTime: '',
  deliveryPhoto: '',
  deliveryStartTime: '',
  deliveryTimeDescription: '',
  gmtActivityDate: '20240422',
  gmtActivityTime: '041230',
  localActivityDate: '20240422',
  localActivityTime: '091230',
  scheduledDeliveryDate: '',
  trackingNumber: ' 1ZABCXYZ0112346789',
};

/** TrackAlert.yaml (v2) example 2, with descriptionCode loaded as the number 11 as a YAML loader does. */
const deliveredV2 = {
  trackingNumber: '1Z204W4R0308071865',
  localActivityDate: '20240423',
  localActivityTime: '095004',
  activityLocation: { city: 'CHARLOTTE', stateProvince: 'NC', postalCode: '28209', country: 'US' },
  activityStatus: { type: 'D', code: 'FS', description: 'Delivered ', descriptionCode: 11 },
  scheduledDeliveryDate: '20191014',
  gmtActivityDate: '20240423',
  gmtActivityTime: '135004',
  actualDeliveryDate: '20240423',
  actualDeliveryTime: '095004',
  receivedBy: 'John',
};

describe('Track Alert webhook parser', () => {
  it('the samples are what UPS documents (v1 example passes the harness with its empty-string overlay)', async () => {
    const contracts = await loadUpsContracts();
    expect(
      contracts.validateWebhookEvent('v1', {
        ...manifestV1,
        trackingNumber: manifestV1.trackingNumber.trim(),
      }).errors,
    ).toEqual([]);
  });

  it('v1 manifest: trims the tracking number, ignores "" fields', () => {
    const r = parseTrackAlertEvent(manifestV1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toEqual({
      trackingNumber: '1ZABCXYZ0112346789',
      status: 'label_created',
      upsStatusType: 'M',
      upsStatusCode: 'MP',
      description: 'Shipment Ready for UPS',
      occurredAt: new Date('2024-04-22T04:12:30Z'),
      localDate: '20240422',
      localTime: '091230',
      location: { countryCode: 'US' },
      source: 'track-alert',
    });
    expect(r.descriptionCode).toBe('003');
  });

  it('v2 delivered from a JSON string: actual delivery at the GMT instant, descriptionCode back to "011"', () => {
    const r = parseTrackAlertEvent(JSON.stringify(deliveredV2));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({
      status: 'delivered',
      description: 'Delivered',
      scheduledDeliveryDate: '20191014',
      actualDeliveryAt: new Date('2024-04-23T13:50:04Z'),
      location: { city: 'CHARLOTTE', stateProvince: 'NC', postalCode: '28209', countryCode: 'US' },
    });
    expect(r.descriptionCode).toBe('011');
  });

  it('falls back to local date/time with the "-04.00" offset when GMT fields are empty', () => {
    const r = parseTrackAlertEvent({
      ...deliveredV2,
      gmtActivityDate: '',
      gmtActivityTime: '',
      gmtOffset: '-04.00',
    });
    expect(r.ok && r.event.occurredAt.toISOString()).toBe('2024-04-23T13:50:04.000Z');
  });

  it.each([
    ['not JSON', '{"trackingNumber":', /not JSON/],
    ['an array', [manifestV1], /not a JSON object/],
    ['no tracking number', { ...manifestV1, trackingNumber: '' }, /trackingNumber is missing/],
    [
      'a foreign number',
      { ...manifestV1, trackingNumber: '9400111899223197428490' },
      /not a UPS tracking number/,
    ],
    ['no status', { ...manifestV1, activityStatus: '' }, /activityStatus is missing/],
    ['an empty status', { ...manifestV1, activityStatus: { type: '', code: '' } }, /neither type nor code/],
    ['no date', { ...manifestV1, gmtActivityDate: '', localActivityDate: '' }, /YYYYMMDD/],
    ['something else entirely', { event: 'order.created', id: 1 }, /trackingNumber is missing/],
  ])('refuses %s with a clear error', (_name, body, message) => {
    const r = parseTrackAlertEvent(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('never maps a status type or code to "" (Oracle would store NULL in a NOT NULL column)', () => {
    const noCode = parseTrackAlertEvent({ ...manifestV1, activityStatus: { type: 'D', code: '' } });
    const noType = parseTrackAlertEvent({ ...manifestV1, activityStatus: { type: '', code: 'KB' } });
    expect(noCode.ok && noCode.event).toMatchObject({
      status: 'delivered',
      upsStatusType: 'D',
      upsStatusCode: '-D',
    });
    expect(noType.ok && noType.event).toMatchObject({ upsStatusType: '-', upsStatusCode: 'KB' });
    // The same push maps to the same placeholder, so its redelivery is still recognised.
    const again = parseTrackAlertEvent({ ...manifestV1, activityStatus: { type: 'D', code: '  ' } });
    expect(again.ok && again.event.upsStatusCode).toBe('-D');
  });

  it('exception and update types map to our statuses', () => {
    const x = parseTrackAlertEvent({
      ...manifestV1,
      activityStatus: { type: 'X', code: 'UD', description: 'Weather' },
    });
    const u = parseTrackAlertEvent({
      ...manifestV1,
      activityStatus: { type: 'U', code: 'SD', description: 'New date' },
    });
    expect(x.ok && x.event.status).toBe('exception');
    expect(u.ok && u.event.status).toBe('delivery_update');
  });
});
