/**
 * Quirk modes: real-world deviations of UPS responses from UPS's own OpenAPI specs, switchable per sandbox.
 * Each quirk is a small pure function of a default-mode response, so a test can apply it to a conforming
 * body and show that the quirk is the only difference. QUIRKS.md has the table with sources.
 */

export type QuirkName =
  'single-objects' | 'package-level-result' | 'trailing-spaces' | 'empty-body-errors' | 'cie-states';

export const QUIRK_NAMES: readonly QuirkName[] = [
  'single-objects',
  'package-level-result',
  'trailing-spaces',
  'empty-body-errors',
  'cie-states',
];

type Json = unknown;

/** Containers that UPS documents as arrays but returns as a single object when there is one element. */
export const SINGLE_OBJECT_KEYS: ReadonlySet<string> = new Set([
  'RatedShipment',
  'PackageResults',
  'Candidate',
  'Alert',
  'Package',
]);

function mapTree(value: Json, fn: (key: string, v: Json) => [string, Json]): Json {
  if (Array.isArray(value)) return value.map((v) => mapTree(v, fn));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    const [nk, nv] = fn(k, mapTree(v, fn));
    out[nk] = nv;
  }
  return out;
}

/** single-objects: a one-element array under RatedShipment/PackageResults/Candidate/Alert/Package becomes the element. */
export function singleObjects(body: Json): Json {
  return mapTree(body, (k, v) => [
    k,
    SINGLE_OBJECT_KEYS.has(k) && Array.isArray(v) && v.length === 1 ? v[0] : v,
  ]);
}

/** package-level-result: the void response names PackageLevelResults in the singular. */
export function packageLevelResultNaming(body: Json): Json {
  return mapTree(body, (k, v) => [k === 'PackageLevelResults' ? 'PackageLevelResult' : k, v]);
}

/** trailing-spaces: description texts padded with a trailing space, as mainframe fields come back ("DELIVERED "). */
export function trailingSpaces(body: Json): Json {
  return mapTree(body, (k, v) => [
    k,
    (k === 'description' || k === 'Description') && typeof v === 'string' ? `${v} ` : v,
  ]);
}

const BODY_QUIRKS: ReadonlyArray<[QuirkName, (b: Json) => Json]> = [
  ['single-objects', singleObjects],
  ['package-level-result', packageLevelResultNaming],
  ['trailing-spaces', trailingSpaces],
];

/** Applies the enabled body quirks, in a fixed order, to a success body. */
export function applyBodyQuirks(quirks: ReadonlySet<QuirkName>, body: Json): Json {
  let out = body;
  for (const [name, fn] of BODY_QUIRKS) if (quirks.has(name)) out = fn(out);
  return out;
}

/**
 * empty-body-errors: UPS CIE sometimes answers an error with HTTP 200, an empty body and the error only in the
 * headers Apierrorcode / Apierrormsg / Errorcode (anchors.md §0.5, friendly_shipping cassettes).
 */
export function emptyBodyErrorHeaders(code: string, message: string): Record<string, string> {
  return { Apierrorcode: code, Apierrormsg: message, Errorcode: code };
}

/** cie-states: like CIE, Address Validation only knows New York and California (AddressValidation.yaml). */
export function cieStateAllowed(stateProvinceCode: string | undefined): boolean {
  return stateProvinceCode === 'NY' || stateProvinceCode === 'CA';
}
