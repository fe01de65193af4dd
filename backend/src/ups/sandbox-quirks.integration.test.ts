/**
 * The tolerant parsers against the UPS sandbox's quirk modes for documented deviations (ups.md §3.2, §3.3, §7),
 * over real loopback HTTP: each quirk-mode answer parses to what the default-mode answer parses to.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpsSandbox } from '../../../sandbox/src/ups/index.js';
import type { PostalAddress } from '../domain/types.js';
import type { ShipInput } from './shipping.js';
import { TokenManagerRegistry } from './token-manager.js';
import { createUpsClient, type UpsClient } from './ups-client.js';

const newYork: PostalAddress = {
  name: 'Acme Receiving',
  phone: '2125550100',
  lines: ['350 5th Ave'],
  city: 'New York',
  stateProvince: 'NY',
  postalCode: '10118',
  countryCode: 'US',
};

describe('UPS parsers tolerate the sandbox quirk modes', () => {
  let ups: Awaited<ReturnType<typeof startUpsSandbox>>;
  let client: UpsClient;
  const scenario = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${ups.baseUrl}/_sandbox/ups${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json() as Promise<Record<string, unknown>>;
  const quirks = (...names: string[]) => scenario('PUT', '/quirks', { quirks: names });
  const ship = (po: string, labelFormat: 'GIF' | 'ZPL' = 'GIF') => {
    const input: ShipInput = {
      shipperNumber: ups.sandbox.credentials.shipperNumber,
      shipper: newYork,
      shipTo: newYork,
      serviceCode: '03',
      packages: [{ weight: { value: 7, unit: 'LBS' }, packagingCode: '02', references: [po] }],
      labelFormat,
      customerContext: `intent:${po}`,
    };
    return client.ship(input);
  };

  beforeAll(async () => {
    ups = await startUpsSandbox({ port: 0, tickMs: 0, seed: 9 });
  });
  afterAll(() => ups.close());
  beforeEach(async () => {
    await scenario('POST', '/reset', {});
    client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: ups.sandbox.credentials.clientId,
      clientSecret: ups.sandbox.credentials.clientSecret,
      retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 },
      timeoutMs: 3_000,
      tokenRegistry: new TokenManagerRegistry(),
    });
  });

  it('void-cr-entities: "&#xD;&#xD;&#xD;1" status codes read as voided', async () => {
    const plain = await client.voidShipment((await ship('PO-Q1')).shipmentId);
    await quirks('void-cr-entities');
    const shipped = await ship('PO-Q2');
    const odd = await client.voidShipment(shipped.shipmentId);
    expect(odd.status).toBe('voided');
    expect(odd.packages).toEqual([{ ...plain.packages[0], trackingNumber: shipped.trackingNumbers[0] }]);
    expect({ ...odd, packages: [] }).toEqual({ ...plain, packages: [] });
  });

  it('lowercase-label-format: a recovered "zpl" label is ZPL', async () => {
    const shipped = await ship('PO-Q3', 'ZPL');
    const input = { trackingNumber: shipped.trackingNumbers[0]!, labelFormat: 'ZPL' as const };
    const plain = await client.recoverLabel(input);
    await quirks('lowercase-label-format');
    const odd = await client.recoverLabel(input);
    expect(odd.labels[0]!.format).toBe('ZPL');
    expect(odd).toEqual(plain);
  });

  it('qv-padded-values: "+0007.0" weights and COD "" give the same events', async () => {
    const shipped = await ship('PO-Q4');
    await scenario('POST', `/packages/${shipped.trackingNumbers[0]}/move`, { action: 'deliver' });
    const { files } = (await scenario('GET', '/quantum-view/files')) as { files: { fileName: string }[] };
    const read = async () => {
      const events = [];
      for await (const page of client.quantumViewPages({ fileNames: [files.at(-1)!.fileName] }))
        events.push(...client.quantumViewEvents(page.body).events);
      return events;
    };
    const plain = await read();
    expect(plain.some((e) => e.status === 'delivered')).toBe(true);
    await quirks('qv-padded-values');
    expect(await read()).toEqual(plain);
  });
});
