/**
 * The UPS client end to end against the UPS sandbox over real loopback HTTP: token, XAV, rate, ship, void,
 * label recovery, in-doubt recovery, tracking, Track Alert, Quantum View, faults. Every request we send is
 * checked against UPS's OpenAPI request schema.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpsSandbox } from '../../../sandbox/src/ups/index.js';
import { loadUpsContracts } from '../../../test/support/ups-contract.js';
import type { UpsContracts } from '../../../test/support/ups-contract.js';
import type { ExternalCall } from '../audit/audit-entry.js';
import type { PostalAddress } from '../domain/types.js';
import { UpsInDoubtError } from './errors.js';
import type { UpsRetryInfo } from './http.js';
import { TokenManagerRegistry } from './token-manager.js';
import { createUpsClient } from './ups-client.js';
import type { UpsClient } from './ups-client.js';
import type { ShipInput } from './shipping.js';

type Sandbox = Awaited<ReturnType<typeof startUpsSandbox>>;

const empireState: PostalAddress = {
  name: 'Acme Receiving',
  attentionName: 'Dock 4',
  phone: '2125550100',
  lines: ['350 5th Ave'],
  city: 'New York',
  stateProvince: 'NY',
  postalCode: '10118',
  countryCode: 'US',
};
const supplier: PostalAddress = {
  name: 'Oracle Parts Supplier',
  attentionName: 'Shipping',
  phone: '6505550100',
  lines: ['500 Oracle Pkwy'],
  city: 'Redwood City',
  stateProvince: 'CA',
  postalCode: '94065',
  countryCode: 'US',
};

describe('UPS client against the UPS sandbox', () => {
  let ups: Sandbox;
  let contracts: UpsContracts;
  let client: UpsClient;
  let calls: ExternalCall[];
  let retries: UpsRetryInfo[];

  const scenario = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${ups.baseUrl}/_sandbox/ups${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };

  const shipInput = (po: string): ShipInput => ({
    shipperNumber: ups.sandbox.credentials.shipperNumber,
    shipper: empireState,
    shipFrom: supplier,
    shipTo: empireState,
    serviceCode: '03',
    packages: [
      {
        weight: { value: 4.2, unit: 'LBS' },
        dimensions: { length: 10, width: 8, height: 6, unit: 'IN' },
        packagingCode: '02',
        references: [po],
      },
    ],
    labelFormat: 'GIF',
    customerContext: `intent:${po}`,
  });

  beforeAll(async () => {
    ups = await startUpsSandbox({ port: 0, tickMs: 0, seed: 7 });
    contracts = await loadUpsContracts();
  });
  afterAll(() => ups.close());

  beforeEach(async () => {
    await scenario('POST', '/reset', {});
    calls = [];
    retries = [];
    client = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: ups.sandbox.credentials.clientId,
      clientSecret: ups.sandbox.credentials.clientSecret,
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
      timeoutMs: 3_000,
      tokenRegistry: new TokenManagerRegistry(),
      onCall: (c) => calls.push(c),
      onRetry: (r) => retries.push(r),
    });
  });

  function expectEveryRequestValid(): void {
    const sent = calls.filter((c) => c.path.startsWith('/api/') && c.requestBody !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    for (const c of sent) {
      const r = contracts.validateRequest(c.method, c.path, c.requestBody, 'application/json');
      expect({ path: c.path, errors: r.errors }).toEqual({ path: c.path, errors: [] });
    }
  }

  it('validates, rates, ships, recovers, tracks and voids — one token for all of it', async () => {
    const xav = await client.validateAddress(empireState);
    expect(xav.result).toBe('valid');
    expect(xav.standardised?.postalCode).toMatch(/^10118-\d{4}$/);
    const nowhere = await client.validateAddress({ ...empireState, lines: ['1 Nowhere Lane'] });
    expect(nowhere.result).toBe('no_candidates');

    const rate = await client.rate({ ...shipInput('PO-1000'), serviceCode: '03' }, 'Rate');
    expect(rate.quotes).toHaveLength(1);
    expect(Number(rate.quotes[0]!.total.amount)).toBeGreaterThan(0);
    const shop = await client.rate(
      { ...shipInput('PO-1000'), timeInTransit: { pickupDate: '20261130' } },
      'Shop',
    );
    expect(shop.quotes.length).toBeGreaterThan(1);

    const shipped = await client.ship(shipInput('PO-1001'));
    expect(shipped.trackingNumbers).toHaveLength(1);
    expect(shipped.labels[0]!.imageBase64.length).toBeGreaterThan(20);
    const tn = shipped.trackingNumbers[0]!;

    const recovered = await client.recoverLabel({ trackingNumber: tn, labelFormat: 'GIF' });
    expect(recovered.labels[0]!.trackingNumber).toBe(tn);
    const byRef = await client.trackByReference('PO-1001', {
      shipperNumber: ups.sandbox.credentials.shipperNumber,
    });
    expect(byRef.packages.map((p) => p.trackingNumber)).toContain(tn);

    const tracked = await client.track(tn);
    expect(tracked.found).toBe(true);
    expect(tracked.packages[0]!.events[0]!.status).toBe('label_created');
    const unknown = await client.track('1Z999AA10123456784');
    expect(unknown.found).toBe(false);

    const voided = await client.voidShipment(shipped.shipmentId);
    expect(voided.status).toBe('voided');
    const again = await client.voidShipment(shipped.shipmentId);
    expect(['already_voided', 'voided']).toContain(again.status);
    const ledger = await scenario('GET', '/ledger?reference=PO-1001');
    expect(JSON.stringify(ledger)).toContain(tn);

    expect(client.tokens.fetchCount).toBe(1);
    expectEveryRequestValid();
  });

  it('a ship accepted by UPS but answered with a dropped connection is in doubt, never re-sent, and found by reference', async () => {
    await scenario('POST', '/faults', { endpoint: 'ship', kind: 'accept-then-fail' });
    const e = await client.ship(shipInput('PO-2002')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpsInDoubtError);
    expect(calls.filter((c) => c.path.includes('/ship'))).toHaveLength(1);
    const found = await client.trackByReference('PO-2002', {
      shipperNumber: ups.sandbox.credentials.shipperNumber,
    });
    expect(found.packages).toHaveLength(1);
    const recovered = await client.recoverLabel({
      reference: 'PO-2002',
      shipperNumber: ups.sandbox.credentials.shipperNumber,
      labelFormat: 'GIF',
    });
    expect(recovered.labels.length + recovered.candidates.length).toBeGreaterThan(0);
    expectEveryRequestValid();
  });

  it('survives 429 and 5xx bursts on reads and a revoked token, with retries reported', async () => {
    await scenario('POST', '/faults', { endpoint: 'rating', kind: 'rate-limit', times: 2 });
    await scenario('POST', '/faults', { endpoint: 'address-validation', kind: 'server-error', times: 2 });
    const rate = await client.rate({ ...shipInput('PO-3003') }, 'Rate');
    expect(rate.quotes).toHaveLength(1);
    expect((await client.validateAddress(empireState)).result).toBe('valid');
    expect(retries.map((r) => r.httpStatus)).toEqual([429, 429, 503, 503]);
    await scenario('POST', '/tokens/revoke', {});
    expect((await client.validateAddress(empireState)).result).toBe('valid');
    expect(client.tokens.fetchCount).toBe(2);
  });

  it('tolerates the quirk modes (single objects, PackageLevelResult, trailing spaces, empty-body errors)', async () => {
    await scenario('PUT', '/quirks', {
      quirks: ['single-objects', 'package-level-result', 'trailing-spaces', 'empty-body-errors'],
    });
    const shipped = await client.ship(shipInput('PO-4004'));
    expect(shipped.trackingNumbers).toHaveLength(1);
    const shop = await client.rate(shipInput('PO-4004'), 'Shop');
    expect(shop.quotes.length).toBeGreaterThan(0);
    const tracked = await client.track(shipped.trackingNumbers[0]!);
    expect(tracked.packages[0]!.events[0]!.description).not.toMatch(/\s$/);
    expect((await client.voidShipment(shipped.shipmentId)).status).toBe('voided');
    const e = await client.ship({ ...shipInput('PO-4005'), serviceCode: '99' }).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(UpsInDoubtError);
    expect(e).toMatchObject({ kind: 'hard' });
  });

  it('subscribes Track Alert v1 in batches of ≤ 100 and reports invalid numbers', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i += 1)
      numbers.push(...(await client.ship(shipInput(`PO-50${i}`))).trackingNumbers);
    const r = await client.subscribe(
      {
        version: 'v1',
        destination: {
          url: 'https://127.0.0.1:1/webhook',
          credentialType: 'Bearer',
          credential: 'opaque-webhook-secret',
        },
      },
      [...numbers, ` ${numbers[0]!.toLowerCase()} `, 'not-a-number'],
    );
    expect(r.valid.sort()).toEqual([...numbers].sort());
    expect(r.invalid).toContain('NOT-A-NUMBER');
    expect(r.calls).toBe(1);
    expect(JSON.stringify(calls)).not.toContain('opaque-webhook-secret');
    const subs = await scenario('GET', '/subscriptions');
    expect(JSON.stringify(subs)).toContain(numbers[0]);
    expectEveryRequestValid();
  });

  it('reads Quantum View pages and maps them to tracking events; no files → no pages', async () => {
    const none: unknown[] = [];
    for await (const page of client.quantumViewPages({})) none.push(page);
    expect(none).toEqual([]);

    const shipped = await client.ship(shipInput('PO-6006'));
    const tn = shipped.trackingNumbers[0]!;
    await scenario('POST', `/packages/${tn}/move`, { action: 'deliver' });
    const events = [];
    for await (const page of client.quantumViewPages({}))
      events.push(...client.quantumViewEvents(page.body).events);
    expect(events.some((e) => e.trackingNumber === tn && e.status === 'delivered')).toBe(true);
    expect(events.every((e) => e.source === 'quantum-view')).toBe(true);
    expectEveryRequestValid();
  });

  it('diagnose reports each API', async () => {
    const checks = await client.diagnose({ shipperNumber: ups.sandbox.credentials.shipperNumber });
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['UPS OAuth token', true],
      ['UPS Address Validation', true],
      ['UPS Rating', true],
      ['UPS Shipping (label recovery)', true],
      ['UPS Tracking', true],
      ['UPS Tracking by reference (in-doubt recovery)', true],
    ]);
    expect(calls.some((c) => c.path.startsWith('/api/track/v1/reference/details/'))).toBe(true);
    const bad = createUpsClient({
      baseUrl: ups.baseUrl,
      clientId: 'nobody',
      clientSecret: 'x',
      tokenRegistry: new TokenManagerRegistry(),
    });
    await scenario('POST', '/faults', { endpoint: 'track-reference', kind: 'server-error', times: 4 });
    const byReference = (await client.diagnose()).find((c) =>
      c.check.startsWith('UPS Tracking by reference'),
    );
    expect(byReference).toMatchObject({
      ok: false,
      fix: expect.stringContaining('cannot be recovered automatically'),
    });
    const failed = await bad.diagnose();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ check: 'UPS OAuth token', ok: false });
    expect(failed[0]!.fix).toBeDefined();
  });
});
