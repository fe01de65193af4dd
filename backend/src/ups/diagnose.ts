/**
 * `doctor` checks for one UPS connection: the token, then one harmless read per API. Nothing here creates a
 * shipment or a subscription, and Quantum View is asked for a past window only (an unread-data request
 * would consume data).
 */
import type { PostalAddress } from '../domain/types.js';
import { UpsError } from './errors.js';
import type { UpsClient } from './ups-client.js';

export interface DiagnosticCheck {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Reachable, but the right itself is not proven: a warning, not a pass. */
  unverified?: boolean;
}

export interface DiagnoseOptions {
  /** Enables the Rating check (a 1 lb Ground rate from the known address to itself). */
  shipperNumber?: string;
  /** Tracking number to look up; defaults to a made-up one (answered "not found", which is fine). */
  trackingNumber?: string;
  /** Quantum View subscription to read a past window of; without it Quantum View is not checked. */
  quantumViewSubscription?: string;
}

/** A reference no shipment carries (ours are 32-character intent ids): answered "not found". */
const DOCTOR_REFERENCE = 'CONNECTOR-DOCTOR-0000';

/** UPS's own XAV sample address; CIE only answers for NY and CA. */
export const KNOWN_ADDRESS: PostalAddress = {
  name: 'Connector check',
  lines: ['26601 ALISO CREEK ROAD', 'STE D'],
  city: 'ALISO VIEJO',
  stateProvince: 'CA',
  postalCode: '92656',
  countryCode: 'US',
};

function fixFor(e: unknown): string | undefined {
  if (!(e instanceof UpsError)) return undefined;
  if (e.code === '10401')
    return 'UPS does not know this client id: check the client id, or create an app with the needed products';
  if (e.code === '250002' || e.code === '250003') {
    return 'add this API (product) to the app in the UPS developer portal, then check the client id and secret';
  }
  if (e.httpStatus === 403) return 'UPS blocks this merchant: contact UPS about the account';
  if (e.kind === 'auth') return 'check the UPS client id, secret and merchant id';
  if (e.kind === 'transient')
    return 'UPS or the network is unavailable: check connectivity to the UPS host and try again';
  return undefined;
}

async function run(
  check: string,
  fn: () => Promise<string>,
  fixOf: (e: unknown) => string | undefined = fixFor,
): Promise<DiagnosticCheck> {
  try {
    return { check, ok: true, detail: await fn() };
  } catch (e) {
    const fix = fixOf(e);
    return { check, ok: false, detail: (e as Error).message, ...(fix ? { fix } : {}) };
  }
}

/** A business refusal proves the API is reachable and this app may call it. */
async function reachable(fn: () => Promise<string>): Promise<string> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UpsError && e.kind === 'hard')
      return `reachable; UPS answered: ${e.upsMessage ?? e.message}`;
    throw e;
  }
}

export async function diagnoseUps(
  client: UpsClient,
  options: DiagnoseOptions = {},
): Promise<DiagnosticCheck[]> {
  const checks: DiagnosticCheck[] = [];
  const token = await run('UPS OAuth token', async () => {
    await client.tokens.getToken();
    const exp = client.tokens.expiresAt;
    return exp ? `token issued, valid until ${new Date(exp).toISOString()}` : 'token issued';
  });
  checks.push(token);
  if (!token.ok) return checks;

  checks.push(
    await run('UPS Address Validation', () =>
      reachable(async () => {
        const r = await client.validateAddress(KNOWN_ADDRESS);
        return `known address: ${r.result}${r.classification ? ` (${r.classification})` : ''}`;
      }),
    ),
  );

  if (options.shipperNumber) {
    const shipperNumber = options.shipperNumber;
    checks.push(
      await run('UPS Rating', () =>
        reachable(async () => {
          const r = await client.rate({
            shipperNumber,
            shipper: KNOWN_ADDRESS,
            shipTo: KNOWN_ADDRESS,
            serviceCode: '03',
            packages: [{ weight: { value: 1, unit: 'LBS' }, packagingCode: '02' }],
          });
          const q = r.quotes[0];
          return q ? `Ground 1 lb: ${q.total.amount} ${q.total.currency}` : 'answered without a quote';
        }),
      ),
    );
  } else {
    checks.push({
      check: 'UPS Rating',
      ok: false,
      detail: 'not checked: no shipper number configured',
      fix: 'configure the UPS account (shipper number)',
    });
  }

  checks.push(
    await run('UPS Shipping (label recovery)', () =>
      reachable(async () => {
        const r = await client.recoverLabel({
          trackingNumber: options.trackingNumber ?? '1Z0000000000000000',
          labelFormat: 'GIF',
        });
        return `answered with ${r.labels.length} label(s)`;
      }),
    ),
  );

  checks.push(
    await run('UPS Tracking', () =>
      reachable(async () => {
        const r = await client.track(options.trackingNumber ?? '1Z0000000000000000');
        return r.found
          ? `found ${r.packages.length} package(s)`
          : 'reachable; test number not found (expected)';
      }),
    ),
  );

  // In-doubt recovery finds a shipment whose answer was lost by its reference; without this API it cannot.
  checks.push(
    await run(
      'UPS Tracking by reference (in-doubt recovery)',
      () =>
        reachable(async () => {
          const r = await client.trackByReference(DOCTOR_REFERENCE, {
            ...(options.shipperNumber ? { shipperNumber: options.shipperNumber } : {}),
          });
          return r.found
            ? `answered with ${r.packages.length} package(s)`
            : 'reachable; test reference not found (expected)';
        }),
      (e) =>
        [
          fixFor(e),
          'without tracking by reference a shipment whose UPS answer was lost cannot be recovered automatically',
        ]
          .filter(Boolean)
          .join('; '),
    ),
  );

  if (options.quantumViewSubscription) {
    const name = options.quantumViewSubscription;
    checks.push(
      await run('UPS Quantum View', () =>
        reachable(async () => {
          const end = new Date(Date.now() - 60_000);
          const begin = new Date(end.getTime() - 60_000);
          let pages = 0;
          for await (const _page of client.quantumViewPages({
            subscriptionName: name,
            dateTimeRange: { begin, end },
          })) {
            pages += 1;
            break;
          }
          return pages === 0 ? 'reachable; no files in the last minutes' : 'reachable; data available';
        }),
      ),
    );
  }
  return checks;
}
