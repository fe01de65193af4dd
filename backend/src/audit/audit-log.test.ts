import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withCorrelation } from '../logging/correlation.js';
import { REDACTED } from '../logging/redact.js';
import { AuditLog } from './audit-log.js';
import { truncateBody } from './body-truncation.js';
import { InMemoryAuditStore } from './memory-audit-store.js';

function setup() {
  const store = new InMemoryAuditStore();
  const errors: Array<{ message: string; meta: unknown }> = [];
  const audit = new AuditLog(store, {
    logger: { error: ((message: string, meta: unknown) => errors.push({ message, meta })) as never },
    now: () => new Date('2026-11-28T12:00:00Z'),
  });
  return { store, audit, errors };
}

const label = randomBytes(48 * 1024).toString('base64');

describe('AuditLog.recordCall', () => {
  it('stores a redacted, trimmed call with path only, the correlation id and derived outcome', async () => {
    const { store, audit } = setup();
    await withCorrelation('corr-1', () =>
      audit.recordCall({
        tenantId: 't1',
        poHeaderId: '300000123',
        step: 'ship',
        system: 'ups',
        method: 'post',
        url: 'https://user:pw@wwwcie.ups.com/api/shipments/v2409/ship?additionaladdressvalidation=city',
        status: 200,
        durationMs: 812.4,
        externalIds: { transId: 'abc', TransactionIdentifier: 'tx-9' },
        requestBody: {
          headers: { Authorization: 'Bearer tok-123456' },
          ShipmentRequest: { Shipment: { Shipper: { ShipperNumber: 'A1B2C3' } } },
        },
        responseBody: {
          ShipmentResponse: {
            ShipmentResults: {
              PackageResults: [{ TrackingNumber: '1Z', ShippingLabel: { GraphicImage: label } }],
            },
          },
        },
      }),
    );
    const [entry] = store.entries;
    expect(entry).toMatchObject({
      tenantId: 't1',
      poHeaderId: '300000123',
      step: 'ship',
      outcome: 'ok',
      correlationId: 'corr-1',
      at: new Date('2026-11-28T12:00:00Z'),
      call: {
        system: 'ups',
        method: 'POST',
        path: '/api/shipments/v2409/ship?additionaladdressvalidation=city',
        status: 200,
        durationMs: 812,
        externalIds: { transId: 'abc', TransactionIdentifier: 'tx-9' },
        error: null,
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const call = entry!.call as { requestBody: any; responseBody: any };
    expect(call.requestBody.headers.Authorization).toBe(REDACTED);
    expect(call.requestBody.ShipmentRequest.Shipment.Shipper.ShipperNumber).toBe('A1B2C3');
    expect(
      call.responseBody.ShipmentResponse.ShipmentResults.PackageResults[0].ShippingLabel.GraphicImage,
    ).toBe('[base64 omitted: 48.0 KB]');
    expect(JSON.stringify(entry)).not.toContain('tok-123456');
    expect(JSON.stringify(entry)).not.toContain(':pw@');
  });

  it('marks failures as errors and masks secrets in the error text and query', async () => {
    const { store, audit } = setup();
    await audit.recordCall({
      tenantId: 't1',
      step: 'token',
      system: 'fusion',
      method: 'POST',
      url: '/oauth2/v1/token?client_secret=shh',
      status: 401,
      durationMs: 5,
      requestBody: 'grant_type=client_credentials&client_secret=shh',
      responseBody: '{"error":"invalid_client","access_token":"leak"}',
      error: new Error('401 from https://idcs.example.com with client_secret=shh'),
    });
    const [entry] = store.entries;
    expect(entry!.outcome).toBe('error');
    expect(entry!.call!.path).toBe(`/oauth2/v1/token?client_secret=${REDACTED}`);
    expect(entry!.call!.requestBody).toBe(`grant_type=client_credentials&client_secret=${REDACTED}`);
    expect(entry!.call!.responseBody).toEqual({ error: 'invalid_client', access_token: REDACTED });
    expect(entry!.call!.error).toBe(
      `Error: 401 from https://idcs.example.com with client_secret=${REDACTED}`,
    );
    expect(JSON.stringify(entry)).not.toContain('shh');
  });

  it('does not mutate the caller body', async () => {
    const { audit } = setup();
    const body = { password: 'p', nested: { image: label } };
    await audit.recordCall({
      tenantId: 't',
      step: 's',
      system: 'ups',
      method: 'GET',
      url: '/x',
      durationMs: 1,
      requestBody: body,
    });
    expect(body).toEqual({ password: 'p', nested: { image: label } });
  });
});

describe('AuditLog.record', () => {
  it('keeps an explicit correlation id and time, and redacts the message', async () => {
    const { store, audit } = setup();
    await withCorrelation('ambient', () =>
      audit.record({
        tenantId: 't',
        step: 'poll',
        outcome: 'info',
        correlationId: 'explicit',
        at: new Date(0),
        message: 'Bearer abcdefghijk used',
      }),
    );
    expect(store.entries[0]).toMatchObject({
      correlationId: 'explicit',
      at: new Date(0),
      message: `Bearer ${REDACTED} used`,
    });
  });

  it('never throws when the store fails: logs without bodies and counts the failure', async () => {
    const { store, audit, errors } = setup();
    store.failNext(new Error('connection refused'));
    await expect(
      audit.recordCall({
        tenantId: 't',
        poHeaderId: 'po1',
        step: 'ship',
        system: 'ups',
        method: 'POST',
        url: '/ship',
        status: 200,
        durationMs: 1,
        requestBody: { secretThing: 'x' },
      }),
    ).resolves.toBeUndefined();
    expect(audit.failedWrites).toBe(1);
    expect(errors[0]!.message).toMatch(/could not be stored/);
    expect(JSON.stringify(errors[0]!.meta)).not.toContain('secretThing');
    await audit.record({ tenantId: 't', step: 'ship', outcome: 'ok' });
    expect(store.entries).toHaveLength(1);
  });
});

describe('truncateBody', () => {
  it('cuts long strings, keeps short ones, and bounds the whole body', () => {
    expect(truncateBody({ a: 'short', n: 5 })).toEqual({ a: 'short', n: 5 });
    const long = 'word '.repeat(5000);
    expect(truncateBody({ t: long })).toEqual({
      t: `${long.slice(0, 8192)}…[truncated, ${long.length} chars]`,
    });
    const many = Array.from({ length: 100 }, () => 'x y '.repeat(1000));
    const out = truncateBody(many, {
      maxBase64Chars: 1024,
      maxStringChars: 8192,
      maxBodyChars: 10_000,
    }) as Record<string, unknown>;
    expect(out.truncated).toBe(true);
    expect(out.originalChars).toBeGreaterThan(10_000);
    expect(String(out.preview).length).toBeLessThanOrEqual(4096);
  });
});
