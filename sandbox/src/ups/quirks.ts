/**
 * Quirk modes: real-world deviations of UPS responses from UPS's own OpenAPI specs, switchable per sandbox.
 * Each quirk is a small pure function of a default-mode response, so a test can apply it to a conforming
 * body and show that the quirk is the only difference. QUIRKS.md has the table with sources.
 */

export type QuirkName =
  | 'single-objects'
  | 'package-level-result'
  | 'trailing-spaces'
  | 'empty-body-errors'
  | 'cie-states'
  | 'void-cr-entities'
  | 'lowercase-label-format'
  | 'qv-padded-values';

export const QUIRK_NAMES: readonly QuirkName[] = [
  'single-objects',
  'package-level-result',
  'trailing-spaces',
  'empty-body-errors',
  'cie-states',
  'void-cr-entities',
  'lowercase-label-format',
  'qv-padded-values',
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

/** Applies `fn` only to a body whose root key is `root` (one API's answers). */
function onlyUnder(root: string, body: Json, fn: (b: Json) => Json): Json {
  return body !== null && typeof body === 'object' && root in body ? fn(body) : body;
}

/** void-cr-entities: void status codes carry `&#xD;` entities, as CIE answered ("&#xD;&#xD;&#xD;1", ups.md §3.2). */
export function voidCrEntities(body: Json): Json {
  return onlyUnder('VoidShipmentResponse', body, (b) =>
    mapTree(b, (k, v) => {
      if (k !== 'Status' || v === null || typeof v !== 'object') return [k, v];
      const status = v as Record<string, Json>;
      return typeof status.Code === 'string'
        ? [k, { ...status, Code: `&#xD;&#xD;&#xD;${status.Code}` }]
        : [k, v];
    }),
  );
}

/** lowercase-label-format: label recovery names the format in lower case ("zpl"), as UPS's sample (ups.md §3.3). */
export function lowercaseLabelFormat(body: Json): Json {
  return onlyUnder('LabelRecoveryResponse', body, (b) =>
    mapTree(b, (k, v) => {
      if (k !== 'LabelImageFormat' || v === null || typeof v !== 'object') return [k, v];
      const format = v as Record<string, Json>;
      return typeof format.Code === 'string' ? [k, { ...format, Code: format.Code.toLowerCase() }] : [k, v];
    }),
  );
}

/**
 * qv-padded-values: Quantum View weights signed and zero-padded ("+0007.0", ISS 117) and an empty-string COD on
 * delivery records (ISS 106), ups.md §7.
 */
export function qvPaddedValues(body: Json): Json {
  return onlyUnder('QuantumViewResponse', body, (b) =>
    mapTree(b, (k, v) => {
      if (k === 'PackageWeight' && v !== null && typeof v === 'object') {
        const w = v as Record<string, Json>;
        return typeof w.Weight === 'string' ? [k, { ...w, Weight: `+${w.Weight}` }] : [k, v];
      }
      if (k === 'Delivery' && Array.isArray(v))
        return [k, v.map((d) => (d !== null && typeof d === 'object' ? { ...d, COD: '' } : d))];
      return [k, v];
    }),
  );
}

const BODY_QUIRKS: ReadonlyArray<[QuirkName, (b: Json) => Json]> = [
  ['void-cr-entities', voidCrEntities],
  ['lowercase-label-format', lowercaseLabelFormat],
  ['qv-padded-values', qvPaddedValues],
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
