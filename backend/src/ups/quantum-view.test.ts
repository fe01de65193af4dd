import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromQuantumViewPage, isNoFilesMessage, qvDateTime } from './quantum-view.js';
import { TokenManagerRegistry } from './token-manager.js';
import { createUpsClient } from './ups-client.js';
import { startScriptedUps } from './testing/scripted-ups-server.js';
import type { ScriptedUps } from './testing/scripted-ups-server.js';

/** Real-shaped v3 page: single objects where arrays are declared (ISS 117), COD "" (ISS 106), padded values. */
const page = {
  QuantumViewResponse: {
    Response: {
      TransactionReference: { CustomerContext: '', XpciVersion: '1.0007' },
      ResponseStatusCode: '1',
      ResponseStatusDescription: 'Success',
    },
    QuantumViewEvents: {
      SubscriberID: 'SANDBOXQVUSER',
      SubscriptionEvents: {
        Name: 'OutboundXML',
        Number: '1',
        SubscriptionStatus: { Code: 'A', Description: 'Active' },
        SubscriptionFile: [
          {
            FileName: '261127_140019001',
            StatusType: { Code: 'U', Description: 'Unread' },
            Manifest: {
              Shipper: { Name: 'Acme' },
              ShipTo: { CompanyName: 'Dock' },
              PickupDate: '20261124',
              ScheduledDeliveryDate: '20261127',
              Package: {
                TrackingNumber: '1Z2220060290602143',
                PackageWeight: { Weight: '+0007.0' },
                Dimensions: { Length: '00000000' },
              },
            },
            Origin: {
              ShipperNumber: 'A1B2C3',
              TrackingNumber: '1Z2220060290602143 ',
              Date: '20261124',
              Time: '183000',
              ActivityLocation: {
                AddressArtifactFormat: {
                  PoliticalDivision2: 'REDWOOD CITY',
                  PoliticalDivision1: 'CA',
                  CountryCode: 'US',
                },
              },
              ScheduledDeliveryDate: '20261127',
            },
          },
          {
            FileName: '261127_150019001',
            StatusType: { Code: 'U' },
            Exception: {
              ShipperNumber: 'A1B2C3',
              TrackingNumber: '1Z2220060290602143',
              Date: '20261126',
              Time: '090000',
              StatusCode: 'AE',
              StatusDescription: 'Severe weather ',
              ReasonDescription: 'DELAY',
              RescheduledDeliveryDate: '20261128',
            },
            Delivery: {
              ShipperNumber: 'A1B2C3',
              TrackingNumber: '1Z2220060290602143',
              Date: '20261128',
              Time: '101500',
              DeliveryLocation: { Code: 'M1', Description: 'FRONT DESK', SignedForByName: 'LEE' },
              COD: '',
            },
            Generic: [
              {
                ActivityType: 'UD',
                TrackingNumber: '1Z2220060290602143',
                Activity: { Date: '20261126', Time: '100000' },
                RescheduledDeliveryDate: '20261128',
              },
              {
                ActivityType: 'FN',
                TrackingNumber: '1Z2220060290602143',
                Activity: { Date: '20261126', Time: '100100' },
              },
              {
                ActivityType: 'VM',
                TrackingNumber: '1Z2220060292634221',
                Activity: { Date: '20261125', Time: '080000' },
              },
            ],
          },
        ],
      },
    },
  },
};

describe('Quantum View mapper', () => {
  it('turns Manifest, Origin, Exception, Delivery and Generic records into events, newest first', () => {
    const r = fromQuantumViewPage(page);
    expect(r.files).toEqual([
      { subscriptionName: 'OutboundXML', fileName: '261127_140019001', status: 'U' },
      { subscriptionName: 'OutboundXML', fileName: '261127_150019001', status: 'U' },
    ]);
    expect(
      r.events.map((e) => [e.trackingNumber, e.status, e.upsStatusCode, e.occurredAt.toISOString()]),
    ).toEqual([
      ['1Z2220060290602143', 'delivered', 'M1', '2026-11-28T10:15:00.000Z'],
      ['1Z2220060290602143', 'delivery_update', 'UD', '2026-11-26T10:00:00.000Z'],
      ['1Z2220060290602143', 'exception', 'AE', '2026-11-26T09:00:00.000Z'],
      ['1Z2220060292634221', 'voided', 'VM', '2026-11-25T08:00:00.000Z'],
      ['1Z2220060290602143', 'in_transit', 'OR', '2026-11-24T18:30:00.000Z'],
      ['1Z2220060290602143', 'label_created', 'MP', '2026-11-24T00:00:00.000Z'],
    ]);
    expect(r.events.every((e) => e.source === 'quantum-view')).toBe(true);
    expect(r).toMatchSnapshot();
  });

  it('recognises the "no files" failure text', () => {
    expect(isNoFilesMessage('Failure: There are no files for the given Request')).toBe(true);
    expect(isNoFilesMessage('Invalid subscription name')).toBe(false);
  });

  it('formats DateTimeRange as YYYYMMDDHHmmss UTC', () => {
    expect(qvDateTime(new Date('2026-11-20T07:05:09Z'))).toBe('20261120070509');
  });
});

describe('Quantum View pages', () => {
  let ups: ScriptedUps;
  beforeEach(async () => {
    ups = await startScriptedUps();
  });
  afterEach(() => ups.close());
  const client = () =>
    createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'c',
      clientSecret: 's',
      tokenRegistry: new TokenManagerRegistry(),
      retry: { maxAttempts: 1 },
    });

  it('follows bookmarks lazily: the next page is requested only after the caller took this one', async () => {
    ups.on('POST', '/api/quantumview/', (req, n) => {
      const bm = (req.json as { QuantumViewRequest: { Bookmark?: string } }).QuantumViewRequest.Bookmark;
      expect(bm).toBe(n === 1 ? undefined : `BM${n - 1}`);
      const body = structuredClone(page) as typeof page & { QuantumViewResponse: { Bookmark?: string } };
      if (n < 3) body.QuantumViewResponse.Bookmark = `BM${n}`;
      return { body };
    });
    const seen: string[] = [];
    for await (const p of client().quantumViewPages({ subscriptionName: 'OutboundXML' })) {
      seen.push(`page ${p.page}, requests so far ${ups.requests.length}`);
    }
    expect(seen).toEqual([
      'page 1, requests so far 1',
      'page 2, requests so far 2',
      'page 3, requests so far 3',
    ]);
  });

  it('the "no files" failure yields no page and no error (HTTP 400 and 200 + ResponseStatusCode 0)', async () => {
    ups.on('POST', '/api/quantumview/', (_r, n) =>
      n === 1
        ? {
            status: 400,
            body: {
              response: {
                errors: [{ code: '330028', message: 'Failure: There are no files for the given Request' }],
              },
            },
          }
        : {
            body: {
              QuantumViewResponse: {
                Response: {
                  ResponseStatusCode: '0',
                  Error: {
                    ErrorSeverity: 'Hard',
                    ErrorCode: '330028',
                    ErrorDescription: 'Failure: There are no files for the given Request',
                  },
                },
              },
            },
          },
    );
    for (let i = 0; i < 2; i += 1) {
      const pages: unknown[] = [];
      for await (const p of client().quantumViewPages({})) pages.push(p);
      expect(pages).toEqual([]);
    }
  });

  it('other failures are errors; a transient ResponseStatusCode 0 carries MinimumRetrySeconds', async () => {
    ups.on('POST', '/api/quantumview/', () => ({
      body: {
        QuantumViewResponse: {
          Response: {
            ResponseStatusCode: '0',
            Error: {
              ErrorSeverity: 'Transient',
              ErrorCode: '330005',
              ErrorDescription: 'System unavailable',
              MinimumRetrySeconds: '120',
            },
          },
        },
      },
    }));
    const it = client().quantumViewPages({});
    await expect(it.next()).rejects.toMatchObject({
      kind: 'transient',
      code: '330005',
      retryAfterMs: 120_000,
    });
  });
});
