/**
 * UPS error codes the sandbox answers with, and the error type handlers throw. Codes and messages come from
 * docs/research/ups.md unless marked "sandbox assumption" (UPS publishes no catalogue, ISS 268).
 */

export class UpsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level fields next to `response` (Track Alert's `invalidTrackingNumbers`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function errorBody(
  code: string,
  message: string,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  return { ...extra, response: { errors: [{ code, message }] } };
}

export const E = {
  // OAuth (ups.md §1)
  missingAuthHeader: () => new UpsError(401, '10400', 'Invalid/Missing Authorization Header'),
  badClient: () => new UpsError(401, '10401', 'ClientId is Invalid'),
  badGrant: () => new UpsError(400, '10400', 'Invalid grant_type; use client_credentials'), // sandbox assumption
  tokenMissing: () => new UpsError(401, 'UJ0001', 'Invalid token or token is not present'),
  tokenInvalid: () => new UpsError(401, '250002', 'Invalid Authentication Information'),
  tokenExpired: () => new UpsError(401, '251004', 'Bearer Token expired (oauth)'),
  // 403 "Blocked Merchant" is declared by every API but Track Alert v2 (ups.md §0.2); the code is a sandbox assumption.
  blockedMerchant: () => new UpsError(403, '10403', 'Blocked Merchant'),
  rateLimited: () => new UpsError(429, '10429', 'Too Many Requests'),
  quotaExceeded: () => new UpsError(429, '10429', 'Quota Limit Exceeded'),
  transient: (status = 500) =>
    new UpsError(
      status,
      '10004',
      'Something went wrong while processing your request, please try again later',
    ),
  // Body and request shape
  malformedBody: (detail: string) => new UpsError(400, '10001', `Invalid request: ${detail}`), // sandbox assumption
  // Address Validation (ups.md §4, anchors.md §0.5)
  xavRequestOption: () => new UpsError(400, '9264028', 'Invalid or missing request option.'),
  xavCountry: () => new UpsError(400, '9264002', 'Missing or invalid country code'), // sandbox assumption
  xavCieState: () =>
    new UpsError(400, '9264030', 'The state is not supported in the Customer Integration Environment.'),
  // Rating / Shipping (ups.md §2, §3; GB 173/227/357/113; 111035 from UPS's legacy error list)
  weightMissing: (n: number) =>
    new UpsError(400, '110601', `Missing or Illegal Package/PackageWeight/Weight for package ${n}`),
  weightOver150: () =>
    new UpsError(
      400,
      '111035',
      'The maximum per package weight for the selected service from the selected country is 150.00 pounds.',
    ),
  shipToPostal: () => new UpsError(400, '120207', 'Missing or invalid ShipTo PostalCode'),
  shipToAddressLine: () => new UpsError(400, '120202', 'Missing or invalid ship to address line 1'), // sandbox assumption (code)
  shipperAddress: () => new UpsError(400, '120801', 'Address Validation Error on Shipper address'),
  shipperNumber: () => new UpsError(400, '120100', 'Missing or invalid shipper number'), // sandbox assumption (code)
  billShipperMismatch: () =>
    new UpsError(400, '111600', 'BillShipper payment method is not valid for this shipment.'),
  serviceInvalidOrigin: () =>
    new UpsError(400, '121100', 'The requested service is invalid from the selected origin.'),
  serviceUnavailableResidential: () =>
    new UpsError(400, '111215', 'The requested service is unavailable to residential destinations.'),
  serviceUnavailableLocations: () =>
    new UpsError(400, '111210', 'The requested service is unavailable between the selected locations.'), // sandbox assumption (code)
  tntWithoutDeliveryTime: () =>
    new UpsError(
      400,
      '111500',
      'Missing or invalid DeliveryTimeInformation/PackageBillType; it is required for time in transit.',
    ), // sandbox assumption (code)
  noPackages: () => new UpsError(400, '110002', 'No packages in shipment.'),
  voidWindow: () => new UpsError(400, '190102', 'No shipment found within the allowed void period'),
  labelNotFound: () => new UpsError(400, '120541', 'No label found for the given tracking number.'), // sandbox assumption
  // Tracking (ups.md §5)
  invalidInquiry: () => new UpsError(400, 'TV1002', 'Invalid inquiry number'),
  trackTransId: () => new UpsError(400, 'TV1001', 'Missing or invalid transId'), // sandbox assumption (code)
  trackTransactionSrc: () => new UpsError(400, 'TV1003', 'Missing or invalid transactionSrc'), // sandbox assumption (code)
  invalidReference: () => new UpsError(400, 'TV1005', 'Invalid reference number'), // sandbox assumption (code)
  // Quantum View (ups.md §7; GB 242)
  qvNoFiles: () => new UpsError(400, '330028', 'Failure: There are no files for the given Request'), // code: sandbox assumption
  qvBadAction: () => new UpsError(400, '330001', 'Missing or invalid RequestAction'), // sandbox assumption
  qvRange: () =>
    new UpsError(
      400,
      '330027',
      'The DateTimeRange is not valid; it may not begin more than 7 days in the past.',
    ), // sandbox assumption
} as const;

/** Track Alert's VSS table (TrackAlert.yaml "Error Codes"). */
export const VSS = {
  VSS000: 'Invalid request and The Subscription request has been rejected.',
  VSS002: 'Missing transId',
  VSS003: 'Please enter a valid Transaction ID, The Subscription request has been rejected.',
  VSS004: 'Missing transactionSrc',
  VSS006: 'Please enter a valid Transaction SRC, The Subscription request has been rejected.',
  VSS110: 'Subscription request is empty or not present. The Subscription request has been rejected.',
  VSS200: 'Tracking Number List is required. The Subscription request has been rejected.',
  VSS210:
    'The Subscription request should have at least one valid tracking number. The Subscription request has been rejected.',
  VSS220:
    'You have submitted over 100 tracking numbers which is not allowed. The entire submission of tracking numbers has been rejected.  Please resubmit your request again using groups of no more than 100 tracking numbers.',
  VSS300: 'Locale is required. The Subscription request has been rejected.',
  VSS310: 'Please enter a valid locale. The Subscription request has been rejected',
  VSS400: 'Please enter a valid country code. The Subscription request has been rejected.',
  VSS500: 'Destination is required. The Subscription request has been rejected',
  VSS600: 'URL is empty or not present. The Subscription request has been rejected.',
  VSS610: 'URL is too long. The Subscription request has been rejected.',
  VSS700: 'Credential is empty or not present. The Subscription request has been rejected.',
  VSS800: 'CredentialType is empty or not present. The Subscription request has been rejected.',
  VSS930: 'Type is missing or invalid, The Subscription request has been rejected.',
} as const;

export function vss(code: keyof typeof VSS, invalidTrackingNumbers?: string[]): UpsError {
  return new UpsError(400, code, VSS[code], invalidTrackingNumbers ? { invalidTrackingNumbers } : undefined);
}
