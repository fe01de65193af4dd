/**
 * UPS Address Validation – Street Level (XAV v2), ups.md §4. Indicators are presence flags whose value is
 * `""`; candidates and their lines may come as single objects.
 */
import type { PostalAddress } from '../domain/types.js';
import { toAddressKeyFormat } from './address-format.js';
import type { UpsHttp } from './http.js';
import { alerts, asArray, hasFlag, pick, text } from './normalise.js';
import type { UpsAlert } from './normalise.js';

export type AddressClassification = 'commercial' | 'residential' | 'unclassified';

export interface AddressValidationResult {
  result: 'valid' | 'ambiguous' | 'no_candidates';
  /** The standardised address when the result is valid (the first candidate, our name/contact kept). */
  standardised?: PostalAddress;
  candidates: PostalAddress[];
  classification?: AddressClassification;
  alerts: UpsAlert[];
}

/** 1 = validation, 2 = classification, 3 = both. */
export type XavRequestOption = 1 | 2 | 3;

export const XAV_VERSION = 'v2';

export function xavPath(option: XavRequestOption = 3): string {
  return `/api/addressvalidation/${XAV_VERSION}/${option}`;
}

export function toXavRequest(address: PostalAddress): Record<string, unknown> {
  return { XAVRequest: { AddressKeyFormat: toAddressKeyFormat(address) } };
}

function classificationOf(value: unknown): AddressClassification | undefined {
  switch (text(pick(value, 'Code'))) {
    case '1':
      return 'commercial';
    case '2':
      return 'residential';
    case '0':
      return 'unclassified';
    default:
      return undefined;
  }
}

function candidateAddress(candidate: unknown, input: PostalAddress): PostalAddress {
  const akf = pick(candidate, 'AddressKeyFormat');
  const primary = text(pick(akf, 'PostcodePrimaryLow'));
  const extended = text(pick(akf, 'PostcodeExtendedLow'));
  const classification = classificationOf(pick(candidate, 'AddressClassification'));
  const out: PostalAddress = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.attentionName !== undefined ? { attentionName: input.attentionName } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    lines: asArray(pick(akf, 'AddressLine'))
      .map(text)
      .filter((l): l is string => l !== undefined),
    city: text(pick(akf, 'PoliticalDivision2')) ?? '',
    countryCode: text(pick(akf, 'CountryCode')) ?? input.countryCode,
  };
  const state = text(pick(akf, 'PoliticalDivision1'));
  if (state) out.stateProvince = state;
  if (primary) out.postalCode = extended ? `${primary}-${extended}` : primary;
  if (classification === 'residential') out.residential = true;
  else if (classification === 'commercial') out.residential = false;
  return out;
}

export function fromXavResponse(body: unknown, input: PostalAddress): AddressValidationResult {
  const xav = pick(body, 'XAVResponse');
  const candidates = asArray(pick(xav, 'Candidate')).map((c) => candidateAddress(c, input));
  let result: AddressValidationResult['result'];
  if (hasFlag(xav, 'ValidAddressIndicator')) result = 'valid';
  else if (hasFlag(xav, 'AmbiguousAddressIndicator')) result = 'ambiguous';
  else if (hasFlag(xav, 'NoCandidatesIndicator')) result = 'no_candidates';
  else result = candidates.length > 0 ? 'ambiguous' : 'no_candidates';
  const classification =
    classificationOf(pick(xav, 'AddressClassification')) ??
    classificationOf(pick(asArray(pick(xav, 'Candidate'))[0], 'AddressClassification'));
  const out: AddressValidationResult = {
    result,
    candidates,
    alerts: alerts(pick(xav, 'Response', 'Alert')),
  };
  if (classification) out.classification = classification;
  const first = candidates[0];
  if (result === 'valid' && first) {
    out.standardised =
      first.residential === undefined && classification && classification !== 'unclassified'
        ? { ...first, residential: classification === 'residential' }
        : first;
  }
  return out;
}

export interface ValidateAddressOptions {
  requestOption?: XavRequestOption;
  maximumCandidates?: number;
}

export async function validateAddress(
  http: UpsHttp,
  address: PostalAddress,
  options: ValidateAddressOptions = {},
): Promise<AddressValidationResult> {
  const res = await http.send({
    operation: 'address-validation',
    method: 'POST',
    path: xavPath(options.requestOption ?? 3),
    query: {
      maximumcandidatelistsize:
        options.maximumCandidates === undefined ? undefined : String(options.maximumCandidates),
    },
    body: toXavRequest(address),
  });
  return fromXavResponse(res.body, address);
}
