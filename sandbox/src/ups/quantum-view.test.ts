/* eslint-disable @typescript-eslint/no-explicit-any -- UPS JSON under test */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadUpsContracts, type UpsContracts } from '../../../test/support/ups-contract.js';
import { shipRequest, startKit, type Kit } from './test-kit.js';

let kit: Kit;
let contracts: UpsContracts;
beforeAll(async () => {
  kit = await startKit();
  contracts = await loadUpsContracts();
});
afterAll(() => kit.close());
beforeEach(async () => {
  await kit.scenario('POST', '/reset');
  kit.resetToken();
});

const PATH = '/api/quantumview/v3/events';
async function qv(extra: Record<string, unknown> = {}) {
  const r = await kit.ups('POST', PATH, {
    QuantumViewRequest: { Request: { RequestAction: 'QVEvents' }, ...extra },
  });
  expect(contracts.validateResponse('POST', PATH, r.status, r.body).errors).toEqual([]);
  return r;
}
const files = (r: { body: any }) =>
  r.body.QuantumViewResponse.QuantumViewEvents.SubscriptionEvents[0].SubscriptionFile as any[];
async function shipOne(reference: string) {
  const r = await kit.ups('POST', '/api/shipments/v2409/ship', shipRequest({ reference }));
  return r.body.ShipmentResponse.ShipmentResults.ShipmentIdentificationNumber as string;
}

describe('Quantum View', () => {
  it('delivers unread files once (U → R); the next unread request fails with "no files"', async () => {
    const n = await shipOne('PO-7001');
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'next' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'exception' });
    await kit.scenario('POST', `/packages/${n}/move`, { action: 'deliver' });
    const first = await qv();
    const f = files(first);
    expect(f).toHaveLength(1);
    expect(f[0].StatusType).toEqual({ Code: 'U', Description: 'Unread' });
    expect(
      Object.keys(f[0])
        .filter((k) => !['FileName', 'StatusType'].includes(k))
        .sort(),
    ).toEqual(['Delivery', 'Exception', 'Generic', 'Manifest', 'Origin']);
    expect(f[0].Manifest[0].Package[0].TrackingNumber).toBe(n);
    expect(f[0].Manifest[0].Package[0].ReferenceNumber[0]).toMatchObject({ Number: '1', Value: 'PO-7001' });
    expect(f[0].Generic[0].ActivityType).toBe('UD');
    const second = await qv();
    expect(second.status).toBe(400);
    expect(second.body.response.errors[0].message).toBe('Failure: There are no files for the given Request');
  });

  it('replays a read file by FileName and by DateTimeRange within 7 days', async () => {
    kit.clock.advance(500); // posted at 15:00:00.500
    await shipOne('PO-7002');
    const name = files(await qv())[0].FileName as string;
    const sameSecond = { BeginDateTime: '20260302150000', EndDateTime: '20260302150000' };
    expect(
      files(await qv({ SubscriptionRequest: [{ DateTimeRange: sameSecond }] })).map((f) => f.FileName),
    ).toEqual([name]);
    const byName = files(await qv({ SubscriptionRequest: [{ Name: 'OutboundXML', FileName: [name] }] }));
    expect(byName.map((f) => [f.FileName, f.StatusType.Code])).toEqual([[name, 'R']]);
    const byRange = files(
      await qv({ SubscriptionRequest: [{ DateTimeRange: { BeginDateTime: '20260301000000' } }] }),
    );
    expect(byRange.map((f) => f.FileName)).toEqual([name]);
    kit.clock.advance(8 * 86_400_000);
    kit.resetToken();
    const tooOld = await qv({
      SubscriptionRequest: [{ DateTimeRange: { BeginDateTime: '20260301000000' } }],
    });
    expect(tooOld.status).toBe(400);
    expect((await qv({ SubscriptionRequest: [{ FileName: [name] }] })).status).toBe(400); // purged after 7 days
  });

  it('pages with a Bookmark when the answer exceeds the size limit', async () => {
    for (let i = 0; i < 3; i += 1) {
      await shipOne(`PO-71${i}`);
      await qv({ SubscriptionRequest: [{ FileName: ['000000_000000000'] }] }).catch(() => undefined); // posts a file per shipment
      kit.clock.advance(1000);
    }
    await kit.scenario('PUT', '/settings', { qvPageLimitBytes: 1500 });
    const seen: string[] = [];
    let bookmark: string | undefined;
    let pages = 0;
    do {
      const r = await qv(bookmark ? { Bookmark: bookmark } : {});
      seen.push(...files(r).map((f) => f.FileName as string));
      bookmark = r.body.QuantumViewResponse.Bookmark;
      pages += 1;
    } while (bookmark && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(3);
    expect((await qv()).status).toBe(400);
  });
});
