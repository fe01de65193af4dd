/**
 * The sandbox's street database: real-looking US addresses and the rules that make Address Validation
 * deterministic. Pure functions only; address-validation.ts turns the verdict into an XAV response.
 *
 * Rules (in order): non-US/PR country or unknown street → NoCandidates; street known but house number
 * missing or outside the known numbers, or the street exists in several places and city/ZIP do not single one
 * out, or the ZIP contradicts the city → Ambiguous with the candidates; otherwise Valid with the standardised
 * form (upper case, USPS abbreviations, ZIP+4).
 */

export interface BookAddress {
  number: string;
  /** Standardised street without the number: "GLENLAKE PKWY NE". */
  street: string;
  secondary?: string;
  city: string;
  state: string;
  zip5: string;
  zip4: string;
  /** "1" commercial, "2" residential (XAV AddressClassification codes). */
  classification: '1' | '2';
}

export const ADDRESS_BOOK: readonly BookAddress[] = [
  {
    number: '55',
    street: 'GLENLAKE PKWY NE',
    city: 'ATLANTA',
    state: 'GA',
    zip5: '30328',
    zip4: '3474',
    classification: '1',
  },
  {
    number: '350',
    street: '5TH AVE',
    city: 'NEW YORK',
    state: 'NY',
    zip5: '10118',
    zip4: '0110',
    classification: '1',
  },
  {
    number: '1600',
    street: 'AMPHITHEATRE PKWY',
    city: 'MOUNTAIN VIEW',
    state: 'CA',
    zip5: '94043',
    zip4: '1351',
    classification: '1',
  },
  {
    number: '500',
    street: 'ORACLE PKWY',
    city: 'REDWOOD CITY',
    state: 'CA',
    zip5: '94065',
    zip4: '1677',
    classification: '1',
  },
  {
    number: '2300',
    street: 'OAKMONT WAY',
    city: 'EUGENE',
    state: 'OR',
    zip5: '97401',
    zip4: '5512',
    classification: '1',
  },
  {
    number: '12',
    street: 'ELM ST',
    city: 'SARATOGA SPRINGS',
    state: 'NY',
    zip5: '12866',
    zip4: '4410',
    classification: '2',
  },
  {
    number: '48',
    street: 'WILLOW AVE',
    city: 'HOBOKEN',
    state: 'NJ',
    zip5: '07030',
    zip4: '3711',
    classification: '2',
  },
  {
    number: '7421',
    street: 'SUNSET BLVD',
    city: 'LOS ANGELES',
    state: 'CA',
    zip5: '90046',
    zip4: '3405',
    classification: '1',
  },
  {
    number: '915',
    street: 'LINCOLN RD',
    city: 'MIAMI BEACH',
    state: 'FL',
    zip5: '33139',
    zip4: '2611',
    classification: '1',
  },
  {
    number: '3010',
    street: 'BRIARWOOD DR',
    city: 'PLANO',
    state: 'TX',
    zip5: '75074',
    zip4: '8723',
    classification: '2',
  },
  {
    number: '101',
    street: 'MAIN ST',
    city: 'HUDSON',
    state: 'NY',
    zip5: '12534',
    zip4: '1803',
    classification: '2',
  },
  {
    number: '101',
    street: 'MAIN ST',
    city: 'CAMBRIDGE',
    state: 'NY',
    zip5: '12816',
    zip4: '1120',
    classification: '2',
  },
  {
    number: '101',
    street: 'MAIN ST',
    city: 'PASO ROBLES',
    state: 'CA',
    zip5: '93446',
    zip4: '2538',
    classification: '1',
  },
  {
    number: '1',
    street: 'E MAIN ST',
    city: 'MOUNT KISCO',
    state: 'NY',
    zip5: '10549',
    zip4: '2901',
    classification: '1',
  },
  {
    number: '3',
    street: 'E MAIN ST',
    city: 'MOUNT KISCO',
    state: 'NY',
    zip5: '10549',
    zip4: '2903',
    classification: '1',
  },
  {
    number: '2211',
    street: 'N 1ST ST',
    city: 'SAN JOSE',
    state: 'CA',
    zip5: '95131',
    zip4: '2021',
    classification: '1',
  },
  {
    number: '88',
    street: 'COLIN P KELLY JR ST',
    city: 'SAN FRANCISCO',
    state: 'CA',
    zip5: '94107',
    zip4: '2008',
    classification: '1',
  },
  {
    number: '640',
    street: 'W CALIFORNIA AVE',
    city: 'SUNNYVALE',
    state: 'CA',
    zip5: '94086',
    zip4: '4828',
    classification: '2',
  },
  {
    number: '1',
    street: 'ROCKEFELLER PLZ',
    city: 'NEW YORK',
    state: 'NY',
    zip5: '10020',
    zip4: '2073',
    classification: '1',
  },
  {
    number: '40',
    street: 'WALL ST',
    city: 'NEW YORK',
    state: 'NY',
    zip5: '10005',
    zip4: '1304',
    classification: '1',
  },
  {
    number: '27',
    street: 'ORCHARD LN',
    city: 'ITHACA',
    state: 'NY',
    zip5: '14850',
    zip4: '6207',
    classification: '2',
  },
  {
    number: '1350',
    street: 'COMMERCE DR',
    city: 'LOUISVILLE',
    state: 'KY',
    zip5: '40223',
    zip4: '1203',
    classification: '1',
  },
];

const SUFFIXES: Record<string, string> = {
  STREET: 'ST',
  AVENUE: 'AVE',
  AV: 'AVE',
  ROAD: 'RD',
  DRIVE: 'DR',
  BOULEVARD: 'BLVD',
  PARKWAY: 'PKWY',
  LANE: 'LN',
  PLAZA: 'PLZ',
  WAY: 'WAY',
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  JUNIOR: 'JR',
  FIRST: '1ST',
  FIFTH: '5TH',
};

/** Upper case, no punctuation, USPS abbreviations: "55 Glenlake Parkway N.E." → "55 GLENLAKE PKWY NE". */
export function standardiseLine(line: string): string {
  return line
    .toUpperCase()
    .replace(/[.,#]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => SUFFIXES[w] ?? w)
    .join(' ')
    .replace(/\bN E\b/, 'NE');
}

export interface AddressQuery {
  lines: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  countryCode: string;
}

export type Verdict =
  | { kind: 'valid'; candidate: BookAddress }
  | { kind: 'ambiguous'; candidates: BookAddress[] }
  | { kind: 'none' };

function splitNumber(line: string): { number?: string; street: string } {
  const m = /^(\d+[A-Z]?)\s+(.*)$/.exec(line);
  return m ? { number: m[1]!, street: m[2]! } : { street: line };
}

export function lookupAddress(q: AddressQuery): Verdict {
  if (q.countryCode !== 'US' && q.countryCode !== 'PR') return { kind: 'none' };
  const first = q.lines.map(standardiseLine).find((l) => l.length > 0);
  if (!first) return { kind: 'none' };
  const { number, street } = splitNumber(first);
  const onStreet = ADDRESS_BOOK.filter((a) => a.street === street);
  if (onStreet.length === 0) return { kind: 'none' };

  const zip5 = q.postalCode?.replace(/\D/g, '').slice(0, 5) || undefined;
  const city = q.city ? standardiseLine(q.city) : undefined;
  const state = q.state?.toUpperCase();
  const place = (a: BookAddress) =>
    (zip5 === undefined || a.zip5 === zip5) &&
    (city === undefined || a.city === city) &&
    (state === undefined || a.state === state);
  const inPlace = onStreet.filter(place);
  const exact = inPlace.filter((a) => a.number === number);

  if (
    number !== undefined &&
    exact.length === 1 &&
    (zip5 !== undefined || (city !== undefined && state !== undefined))
  ) {
    return { kind: 'valid', candidate: exact[0]! };
  }
  // Not an exact, single match: offer what the street has in the place given (or everywhere if nothing fits).
  const candidates = exact.length > 1 ? exact : inPlace.length > 0 ? inPlace : onStreet;
  return { kind: 'ambiguous', candidates };
}
