/**
 * Domain words shared by the Fusion client, the UPS client and the pipeline. Neither client imports the
 * other; both map between these types and their own wire formats with pure functions.
 */

/** A postal address as UPS wants it: structured lines, never one formatted string. */
export interface PostalAddress {
  /** Company or site name (UPS `Name`, ≤35 characters). */
  name?: string;
  /** Person to contact (UPS `AttentionName`); never put into the address lines. */
  attentionName?: string;
  phone?: string;
  email?: string;
  /** Street lines, 1–3. */
  lines: string[];
  city: string;
  /** Two-letter state or province code where the country has them. */
  stateProvince?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  residential?: boolean;
}

export type WeightUnit = 'LBS' | 'KGS';
export type LengthUnit = 'IN' | 'CM';

export interface PackageSpec {
  weight: { value: number; unit: WeightUnit };
  dimensions?: { length: number; width: number; height: number; unit: LengthUnit };
  /** UPS packaging code, e.g. "02" customer-supplied package. */
  packagingCode: string;
  /** Printed references (PO number first); UPS prints the first two on the label. */
  references?: string[];
}

export interface Money {
  /** Decimal string as UPS sends it ("12.34"); never a float. */
  amount: string;
  currency: string;
}

/** Where a package is in its life, in our words (UPS activity type in brackets). */
export type TrackingStatus =
  | 'label_created' // M, MV
  | 'in_transit' // I
  | 'exception' // X
  | 'delivery_update' // U
  | 'delivered' // D
  | 'returned'
  | 'voided'
  | 'unknown';

export interface TrackingLocation {
  city?: string;
  stateProvince?: string;
  postalCode?: string;
  countryCode?: string;
}

/** One tracking event, from whichever channel brought it (Track Alert, Quantum View, Tracking API). */
export interface TrackingEvent {
  trackingNumber: string;
  status: TrackingStatus;
  /** UPS activity status type and code as received (e.g. "I", "DP"). */
  upsStatusType: string;
  upsStatusCode: string;
  description: string;
  /** Instant of the activity in UTC (from gmtActivityDate/Time when given). */
  occurredAt: Date;
  /** Local date and time as printed by UPS, kept for display ("YYYYMMDD", "HHMMSS"). */
  localDate?: string;
  localTime?: string;
  location?: TrackingLocation;
  scheduledDeliveryDate?: string;
  actualDeliveryAt?: Date;
  source: 'track-alert' | 'quantum-view' | 'tracking-api';
}
