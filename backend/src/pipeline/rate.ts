/**
 * Step 6 — rate: asks UPS what the shipment costs (Rate for the mapped service, or Shop across services
 * when the tenant configures it) and stores the quote. In Shop mode the mapped service is kept when UPS
 * offers it, else the cheapest offer wins and becomes the service that is shipped.
 */
import type { PackageSpec } from '../domain/types.js';
import { hardFailure } from './failures.js';
import type { ResolvedMapping } from './map-account.js';
import type { RateQuote, RateStore, UpsPort } from './ports.js';
import type { ResolvedAddresses } from './resolve-addresses.js';

export interface RateDeps {
  tenantId: string;
  mode: 'rate' | 'shop';
  ups: Pick<UpsPort, 'rate'>;
  /** Absent in a dry run: nothing is stored. */
  rates?: RateStore;
}

const amount = (q: RateQuote) => Number((q.negotiated ?? q.total).amount);

export function chooseQuote(quotes: readonly RateQuote[], serviceCode: string): RateQuote | undefined {
  const exact = quotes.find((q) => q.serviceCode === serviceCode);
  if (exact) return exact;
  return [...quotes].sort((a, b) => amount(a) - amount(b))[0];
}

export async function rateShipment(
  po: { poHeaderId: string; revision: number },
  packageSetHash: string,
  mapping: ResolvedMapping,
  addresses: ResolvedAddresses,
  packages: PackageSpec[],
  deps: RateDeps,
): Promise<RateQuote> {
  const quotes = await deps.ups.rate({
    account: mapping.account,
    mode: deps.mode,
    serviceCode: mapping.serviceCode,
    shipper: addresses.shipper,
    shipFrom: addresses.shipFrom,
    shipTo: addresses.shipTo,
    packages,
    customerContext: `rate:${po.poHeaderId}`,
  });
  const quote = chooseQuote(quotes, mapping.serviceCode);
  if (!quote) throw hardFailure('service', `UPS offered no rate for service ${mapping.serviceCode}`);
  if (deps.mode === 'rate' && quote.serviceCode !== mapping.serviceCode) {
    throw hardFailure(
      'service',
      `UPS rated service ${quote.serviceCode}, not the mapped ${mapping.serviceCode}`,
    );
  }
  await deps.rates?.saveQuote(deps.tenantId, {
    poHeaderId: po.poHeaderId,
    revision: po.revision,
    packageSetHash,
    quote,
  });
  return quote;
}
