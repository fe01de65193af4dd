/** The UPS client's public surface: the facade, its errors, and the pure mappers callers may use directly. */
export { createUpsClient, normaliseBaseUrl } from './ups-client.js';
export type { UpsClient, UpsClientOptions } from './ups-client.js';
export { UpsError, UpsInDoubtError, classify, isUpsError } from './errors.js';
export type { UpsErrorKind, UpsErrorDetail } from './errors.js';
export type { RetryOptions, UpsRetryInfo } from './http.js';
export { TokenManagerRegistry, UpsTokenManager } from './token-manager.js';
export type { AddressValidationResult, AddressClassification } from './address-validation.js';
export type { RateInput, RateMode, RateQuote, RateResult } from './rating.js';
export type {
  LabelFormat,
  ShipInput,
  ShipResult,
  ShippingLabel,
  VoidResult,
  VoidStatus,
} from './shipping.js';
export type { LabelRecoveryInput, LabelRecoveryResult } from './label-recovery.js';
export type { TrackedPackage, TrackResult, TrackByReferenceOptions } from './tracking.js';
export { TRACK_ALERT_BATCH } from './track-alert.js';
export type { SubscribeResult, TrackAlertSubscription } from './track-alert.js';
export { parseTrackAlertEvent } from './track-alert-event.js';
export type { TrackAlertParse } from './track-alert-event.js';
export { fromQuantumViewPage } from './quantum-view.js';
export type { QuantumViewEvents, QuantumViewPage, QuantumViewQuery } from './quantum-view.js';
export type { DiagnosticCheck, DiagnoseOptions } from './diagnose.js';
export type { UpsAlert } from './normalise.js';
