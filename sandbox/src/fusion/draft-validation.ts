/** Validation of PATCH bodies on draftPurchaseOrders: attribute names, updatability, types, references. */
import { FusionError } from './errors.js';
import { DRAFT_PO_SCHEMA, type AttrType, type Row, type Scalar } from './schemas.js';
import type { FusionState } from './state.js';

function checkType(attr: string, type: AttrType, value: unknown): Scalar {
  if (value === null) return null;
  const bad = () =>
    new FusionError(
      400,
      `The value ${JSON.stringify(value)} of attribute ${attr} is not a valid ${type}.`,
      'INVALID_VALUE',
      attr,
    );
  switch (type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad();
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return value;
    default:
      if (typeof value !== 'string') throw bad();
      return value;
  }
}

/** Header PATCH: returns the header changes and any inline `DFF: [{…}]` changes. */
export function validateHeaderPatch(
  state: FusionState,
  body: Record<string, unknown>,
  updatable: Set<string>,
): { header: Row; dff: Row } {
  const header: Row = {};
  let dff: Row = {};
  for (const [attr, value] of Object.entries(body)) {
    if (attr === 'ChangeOrderDescription') {
      checkType(attr, 'string', value);
      continue;
    }
    if (attr === 'DFF') {
      const rows = Array.isArray(value) ? value : [value];
      if (rows.length !== 1 || rows[0] === null || typeof rows[0] !== 'object') {
        throw new FusionError(400, 'DFF must hold exactly one flexfield row.', 'INVALID_VALUE', 'DFF');
      }
      dff = validateDffPatch(state, rows[0] as Record<string, unknown>);
      continue;
    }
    const type = DRAFT_PO_SCHEMA[attr];
    if (!type)
      throw new FusionError(
        400,
        `The attribute ${attr} is not valid for draftPurchaseOrders.`,
        'INVALID_ATTRIBUTE',
        attr,
      );
    if (!updatable.has(attr))
      throw new FusionError(
        400,
        `The attribute ${attr} can't be updated on this purchase order.`,
        'READ_ONLY_ATTRIBUTE',
        attr,
      );
    header[attr] = checkType(attr, type, value);
  }
  if ('ShipToLocationId' in header || 'ShipToLocationCode' in header) {
    const ref = header.ShipToLocationId ?? header.ShipToLocationCode;
    const loc = ref === null || ref === undefined ? undefined : state.findLocation(ref as number | string);
    if (!loc || loc.row.ShipToSiteFlag !== true) {
      throw new FusionError(
        400,
        `The ship-to location ${String(ref)} isn't a valid ship-to location.`,
        'INVALID_VALUE',
        'ShipToLocationId',
      );
    }
  }
  if ('BillToLocationId' in header) {
    const loc = state.findLocation(Number(header.BillToLocationId));
    if (!loc || loc.row.BillToSiteFlag !== true) {
      throw new FusionError(
        400,
        `The bill-to location ${String(header.BillToLocationId)} isn't valid.`,
        'INVALID_VALUE',
        'BillToLocationId',
      );
    }
  }
  return { header, dff };
}

/** Header DFF PATCH/POST: only the configured context and segments; "ship via UPS" takes Y or N. */
export function validateDffPatch(state: FusionState, body: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [attr, value] of Object.entries(body)) {
    if (attr === 'PoHeaderId' || attr === '__FLEX_Context_DisplayValue' || attr === 'links') continue;
    if (attr === '__FLEX_Context') {
      if (value !== null && value !== state.dff.context) {
        throw new FusionError(
          400,
          `The context value ${JSON.stringify(value)} is not valid; use ${state.dff.context}.`,
          'INVALID_VALUE',
          attr,
        );
      }
      out.__FLEX_Context = value;
      out.__FLEX_Context_DisplayValue = value === null ? null : state.dff.contextDisplay;
      continue;
    }
    if (!state.dff.segments.includes(attr)) {
      throw new FusionError(
        400,
        `The attribute ${attr} is not a segment of the purchase order header flexfield.`,
        'INVALID_ATTRIBUTE',
        attr,
      );
    }
    const v = checkType(attr, 'string', value);
    if (typeof v === 'string' && v.length > 150)
      throw new FusionError(
        400,
        `The value of ${attr} is longer than 150 characters.`,
        'INVALID_VALUE',
        attr,
      );
    if (attr === state.dff.shipViaUpsSegment && v !== null && v !== 'Y' && v !== 'N') {
      throw new FusionError(
        400,
        `The value ${v} of ${attr} is not valid; use Y or N.`,
        'INVALID_VALUE',
        attr,
      );
    }
    out[attr] = v;
  }
  if (
    Object.keys(out).some((k) => k !== '__FLEX_Context' && k !== '__FLEX_Context_DisplayValue') &&
    !('__FLEX_Context' in out)
  ) {
    out.__FLEX_Context = state.dff.context;
    out.__FLEX_Context_DisplayValue = state.dff.contextDisplay;
  }
  return out;
}
