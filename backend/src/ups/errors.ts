/**
 * UPS failures in four kinds the caller acts on:
 * - transient: try again later (network, 5xx, 429, UPS "transient" codes);
 * - hard: UPS refused the request for its content; resubmitting unchanged will fail again;
 * - auth: credentials, entitlement or a blocked merchant; a person must fix configuration;
 * - in-doubt: a non-idempotent call (Create Shipment) may have reached UPS and we do not know the outcome;
 *   the caller must look the shipment up before it may ever ship again.
 */
export type UpsErrorKind = 'transient' | 'hard' | 'auth' | 'in-doubt';

export interface UpsErrorDetail {
  code: string;
  message: string;
}

export interface UpsErrorInit {
  kind: UpsErrorKind;
  operation: string;
  /** UPS error code of the first error, e.g. "120801". */
  code?: string;
  /** UPS's own text, passed on to the user unchanged (trimmed). */
  upsMessage?: string;
  httpStatus?: number;
  errors?: UpsErrorDetail[];
  transId?: string;
  /** How long UPS asked us to wait (Retry-After or Quantum View MinimumRetrySeconds). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class UpsError extends Error {
  readonly kind: UpsErrorKind;
  readonly operation: string;
  readonly code?: string;
  readonly upsMessage?: string;
  readonly httpStatus?: number;
  readonly errors: UpsErrorDetail[];
  readonly transId?: string;
  readonly retryAfterMs?: number;

  constructor(init: UpsErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'UpsError';
    this.kind = init.kind;
    this.operation = init.operation;
    this.code = init.code;
    this.upsMessage = init.upsMessage;
    this.httpStatus = init.httpStatus;
    this.errors = init.errors ?? (init.code ? [{ code: init.code, message: init.upsMessage ?? '' }] : []);
    this.transId = init.transId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** A Create Shipment whose outcome is unknown: recover by lookup (tracking by reference, label recovery). */
export class UpsInDoubtError extends UpsError {
  constructor(init: Omit<UpsErrorInit, 'kind'>) {
    super({ ...init, kind: 'in-doubt' });
    this.name = 'UpsInDoubtError';
  }
}

function describe(init: UpsErrorInit): string {
  const parts = [`UPS ${init.operation} failed (${init.kind})`];
  if (init.httpStatus !== undefined) parts.push(`HTTP ${init.httpStatus}`);
  if (init.code) parts.push(`code ${init.code}`);
  const head = parts.join(', ');
  return init.upsMessage ? `${head}: ${init.upsMessage}` : head;
}

/** 401 codes that mean "this token is no longer good": refresh once and retry once. */
export const TOKEN_REJECTED_CODES: ReadonlySet<string> = new Set(['250002', '251004', 'UJ0001']);

/** Void outside the void window, or no such shipment to void (ups.md §3.2). */
export const VOID_WINDOW_CLOSED_CODE = '190102';

/** Tracking: HTTP 200 with this warning means "not found" (ups.md §5). */
export const TRACKING_NOT_FOUND_CODE = 'TW0001';

/**
 * Codes whose kind differs from what the HTTP status alone says, or that we want to be explicit about.
 * Sources: ups.md §0.2, §0.4, §1, §2, §3, §5, §6.3.
 */
const CODE_KIND: Record<string, UpsErrorKind> = {
  // rate limiting and UPS-declared transient failures
  '10429': 'transient',
  '20001': 'transient', // General process failure
  '10004': 'transient', // Track Alert: internal error, retry
  VSS100: 'transient',
  // authentication / entitlement
  '250002': 'auth',
  '251004': 'auth',
  UJ0001: 'auth',
  '250003': 'auth',
  '10400': 'auth',
  '10401': 'auth',
  // business rules: do not resubmit unchanged
  '111600': 'hard', // BillShipper payment method not valid
  '111215': 'hard', // service unavailable to residential destinations
  '110601': 'hard', // missing/illegal package weight
  '120801': 'hard', // shipper address validation error
  '120207': 'hard', // missing/invalid ShipTo postal code
  '121100': 'hard', // service invalid for origin
  '121211': 'hard', // accessory option unavailable
  '190102': 'hard', // no shipment within void window
  TV1002: 'hard', // invalid inquiry number
  '9264028': 'hard',
  '9264030': 'hard', // XAV: state not supported in CIE
  VSS220: 'hard',
};

/** Kind of a failure from the UPS code when known, else from the HTTP status. */
export function classify(httpStatus: number | undefined, code: string | undefined): UpsErrorKind {
  const byCode = code ? CODE_KIND[code] : undefined;
  if (byCode) return byCode;
  if (httpStatus === undefined) return 'transient';
  if (httpStatus === 429 || httpStatus === 408 || httpStatus >= 500) return 'transient';
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  return 'hard';
}

export function isUpsError(e: unknown): e is UpsError {
  return e instanceof UpsError;
}
