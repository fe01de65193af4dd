/**
 * For tests (and demos): a sandbox on a loopback port with a frozen clock, a client that fetches tokens and
 * sends the headers UPS requires, and a valid ship request to vary.
 */
import { SandboxClock } from '../clock.js';
import { startUpsSandbox, type UpsSandboxOptions } from './index.js';

/** A Monday, 15:00 UTC, so transit days and windows are easy to reason about. */
export const T0 = new Date('2026-03-02T15:00:00Z');

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- UPS JSON under test
  text: string;
}

export async function startKit(options: UpsSandboxOptions = {}) {
  const clock = options.clock ?? new SandboxClock();
  clock.freeze(T0);
  const running = await startUpsSandbox({ ...options, clock, tickMs: 0 });
  const { clientId, clientSecret } = running.sandbox.credentials;
  let token: string | undefined;

  async function request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await fetch(running.baseUrl + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  async function fetchToken(id = clientId, secret = clientSecret): Promise<Reply> {
    const res = await fetch(`${running.baseUrl}/security/v1/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
  }

  /** A business call with a (cached) token and transId / transactionSrc. */
  async function ups(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    if (!token) token = (await fetchToken()).body.access_token as string;
    return request(method, path, body, {
      authorization: `Bearer ${token}`,
      transId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      transactionSrc: 'fusion-ups-connector',
      ...headers,
    });
  }

  const scenario = (method: string, path: string, body?: unknown) =>
    request(method, `/_sandbox/ups${path}`, body ?? (method === 'GET' ? undefined : {}));

  return { ...running, clock, request, fetchToken, ups, scenario, resetToken: () => (token = undefined) };
}

export type Kit = Awaited<ReturnType<typeof startKit>>;

export function shipRequest(
  opts: {
    reference?: string;
    weight?: string;
    packages?: number;
    service?: string;
    format?: 'GIF' | 'ZPL';
  } = {},
) {
  const pkg = (i: number) => ({
    Description: 'Office chairs',
    Packaging: { Code: '02', Description: 'Customer Supplied Package' },
    Dimensions: { UnitOfMeasurement: { Code: 'IN' }, Length: '20', Width: '16', Height: '12' },
    PackageWeight: { UnitOfMeasurement: { Code: 'LBS' }, Weight: opts.weight ?? '12' },
    ReferenceNumber: [
      { Code: 'PO', Value: opts.reference ?? 'PO-1001' },
      { Code: 'IK', Value: `PKG-${i + 1}` },
    ],
  });
  return {
    ShipmentRequest: {
      Request: {
        RequestOption: 'nonvalidate',
        SubVersion: '2409',
        TransactionReference: { CustomerContext: opts.reference ?? 'PO-1001' },
      },
      Shipment: {
        Description: 'Purchase order goods',
        Shipper: {
          Name: 'Acme Supplies',
          ShipperNumber: 'A1B2C3',
          Phone: { Number: '4045550100' },
          Address: {
            AddressLine: ['55 Glenlake Pkwy NE'],
            City: 'Atlanta',
            StateProvinceCode: 'GA',
            PostalCode: '30328',
            CountryCode: 'US',
          },
        },
        ShipTo: {
          Name: 'Redwood Receiving',
          AttentionName: 'Dock 4',
          Phone: { Number: '6505550100' },
          Address: {
            AddressLine: ['500 Oracle Pkwy'],
            City: 'Redwood City',
            StateProvinceCode: 'CA',
            PostalCode: '94065',
            CountryCode: 'US',
          },
        },
        PaymentInformation: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: 'A1B2C3' } }] },
        Service: { Code: opts.service ?? '03', Description: 'Ground' },
        Package: Array.from({ length: opts.packages ?? 1 }, (_, i) => pkg(i)),
      },
      LabelSpecification: {
        LabelImageFormat: { Code: opts.format ?? 'GIF' },
        LabelStockSize: { Height: '6', Width: '4' },
      },
    },
  };
}

export function rateRequest(
  option = 'Rate',
  opts: { weight?: string; residential?: boolean; service?: string } = {},
) {
  const ship = shipRequest({
    ...(opts.weight ? { weight: opts.weight } : {}),
    ...(opts.service ? { service: opts.service } : {}),
  }).ShipmentRequest.Shipment;
  const { Packaging, ...pkg } = ship.Package[0]!;
  return {
    RateRequest: {
      Request: {
        RequestOption: option,
        SubVersion: '2409',
        TransactionReference: { CustomerContext: 'rate-1' },
      },
      Shipment: {
        Shipper: ship.Shipper,
        ShipTo: {
          ...ship.ShipTo,
          Address: {
            ...ship.ShipTo.Address,
            ...(opts.residential ? { ResidentialAddressIndicator: '' } : {}),
          },
        },
        ShipFrom: { Name: ship.Shipper.Name, Address: ship.Shipper.Address },
        PaymentDetails: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: 'A1B2C3' } }] },
        ...(option.toLowerCase().startsWith('rate') ? { Service: ship.Service } : {}),
        NumOfPieces: '1',
        Package: [{ ...pkg, PackagingType: Packaging }],
        ShipmentRatingOptions: { NegotiatedRatesIndicator: '' },
        DeliveryTimeInformation: { PackageBillType: '03', Pickup: { Date: '20260302', Time: '1500' } },
      },
    },
  };
}
