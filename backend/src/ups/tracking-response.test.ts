/** Tracking and Track Alert response mappers on real-shaped UPS bodies (ups.md §5, §6). */
import { describe, expect, it } from 'vitest';
import { fromSubscribeResponse } from './track-alert.js';
import { fromTrackResponse } from './tracking.js';

describe('Tracking response', () => {
  const delivered = {
    trackResponse: {
      shipment: [
        {
          inquiryNumber: '1Z023E2X0214323462',
          package: [
            {
              trackingNumber: '1Z023E2X0214323462',
              deliveryDate: [
                { type: 'SDD', date: '20261126' },
                { type: 'DEL', date: '20261127' },
              ],
              deliveryTime: { type: 'DEL', endTime: '104500' },
              currentStatus: { description: 'Delivered ', code: 'FS', type: 'D', statusCode: '011' },
              referenceNumber: [{ type: 'SHIPMENT', number: 'PO-100234' }],
              service: { code: '003', levelCode: 'GND', description: 'UPS Ground ' },
              activity: [
                {
                  location: {
                    address: { city: 'New York', stateProvince: 'NY', postalCode: '', country: 'US' },
                    slic: '1001',
                  },
                  status: { type: 'D', description: 'DELIVERED ', code: 'FS', statusCode: '011' },
                  date: '20261127',
                  time: '104500',
                  gmtDate: '20261127',
                  gmtTime: '154500',
                  gmtOffset: '-05:00',
                },
                {
                  location: { address: { city: 'Secaucus', stateProvince: 'NJ', country: 'US' } },
                  status: {
                    type: 'I',
                    description: 'Departed from Facility ',
                    code: 'DP',
                    statusCode: '005',
                  },
                  date: '20261127',
                  time: '024700',
                  gmtDate: '20261127',
                  gmtTime: '74700', // UPS's own example lacks the leading zero
                  gmtOffset: '-05:00',
                },
                {
                  location: { address: { country: 'US' } },
                  status: {
                    type: 'M',
                    description: 'Shipper created a label, UPS has not received the package yet. ',
                    code: 'MP',
                  },
                  date: '20261124',
                  time: '153000',
                },
              ],
            },
          ],
        },
      ],
    },
  };

  it('maps activities newest first with status, location, GMT instants and delivery', () => {
    const r = fromTrackResponse(delivered);
    expect(r.found).toBe(true);
    const pkg = r.packages[0]!;
    expect(pkg.status).toBe('delivered');
    expect(pkg.events.map((e) => [e.status, e.upsStatusCode, e.occurredAt.toISOString()])).toEqual([
      ['delivered', 'FS', '2026-11-27T15:45:00.000Z'],
      ['in_transit', 'DP', '2026-11-27T07:47:00.000Z'],
      ['label_created', 'MP', '2026-11-24T15:30:00.000Z'],
    ]);
    expect(pkg.events[0]!.description).toBe('DELIVERED');
    expect(pkg.events[0]!.location).toEqual({ city: 'New York', stateProvince: 'NY', countryCode: 'US' });
    expect(pkg.deliveredAt?.toISOString()).toBe('2026-11-27T15:45:00.000Z');
    expect(pkg.expectedDeliveryDate).toBe('20261126');
    expect(pkg.referenceNumbers).toEqual([{ type: 'SHIPMENT', number: 'PO-100234' }]);
    expect(r).toMatchSnapshot();
  });

  it('HTTP 200 with warning TW0001 is "not found", not an error (ISS 102/166/198)', () => {
    const r = fromTrackResponse({
      trackResponse: {
        shipment: [
          {
            inquiryNumber: '1Z0000000000000000',
            warnings: [{ code: 'TW0001', message: 'Tracking Information Not Found' }],
          },
        ],
      },
    });
    expect(r).toEqual({
      found: false,
      packages: [],
      warnings: [{ code: 'TW0001', description: 'Tracking Information Not Found' }],
    });
  });

  it('rescheduled delivery date wins over the scheduled one; exception status', () => {
    const r = fromTrackResponse({
      trackResponse: {
        shipment: {
          package: {
            trackingNumber: '1z023e2x0214323462',
            deliveryDate: [
              { type: 'SDD', date: '20261126' },
              { type: 'RDD', date: '20261130' },
            ],
            activity: {
              status: { type: 'X', code: 'AE', description: 'Weather delay' },
              gmtDate: '20261125',
              gmtTime: '120000',
            },
          },
        },
      },
    });
    const pkg = r.packages[0]!;
    expect(pkg.trackingNumber).toBe('1Z023E2X0214323462');
    expect(pkg.status).toBe('exception');
    expect(pkg.expectedDeliveryDate).toBe('20261130');
    expect(pkg.events[0]!.scheduledDeliveryDate).toBe('20261130');
  });
});

describe('Track Alert subscribe response', () => {
  it('partial success; numbers UPS does not mention count as invalid', () => {
    const r = fromSubscribeResponse(
      { validTrackingNumbers: '1Z12345E0205271688', invalidTrackingNumbers: ['1Z12345E6605272234'] },
      ['1Z12345E0205271688', '1Z12345E6605272234', '1Z12345E0305271640'],
    );
    expect(r).toEqual({
      valid: ['1Z12345E0205271688'],
      invalid: ['1Z12345E6605272234', '1Z12345E0305271640'],
    });
  });
});
