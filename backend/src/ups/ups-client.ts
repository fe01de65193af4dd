/**
 * The UPS client facade: one object per (UPS host, client id, merchant id) exposing every API the connector
 * uses, plus `diagnose()` for the `doctor` command. It knows HTTP and UPS, nothing of our pipeline.
 */
import type { ExternalCall } from '../audit/audit-entry.js';
import type { PostalAddress } from '../domain/types.js';
import { validateAddress } from './address-validation.js';
import type { AddressValidationResult, ValidateAddressOptions } from './address-validation.js';
import { diagnoseUps } from './diagnose.js';
import type { DiagnoseOptions, DiagnosticCheck } from './diagnose.js';
import { DEFAULT_RETRY, UpsHttp } from './http.js';
import type { RetryOptions, UpsRetryInfo } from './http.js';
import { recoverLabel } from './label-recovery.js';
import type { LabelRecoveryInput, LabelRecoveryResult } from './label-recovery.js';
import { fromQuantumViewPage, quantumViewPages } from './quantum-view.js';
import type { QuantumViewEvents, QuantumViewPage, QuantumViewQuery } from './quantum-view.js';
import { rateShipment } from './rating.js';
import type { RateInput, RateMode, RateResult } from './rating.js';
import { createShipment, voidShipment } from './shipping.js';
import type { ShipInput, ShipResult, VoidResult } from './shipping.js';
import { TokenManagerRegistry } from './token-manager.js';
import type { UpsTokenManager } from './token-manager.js';
import { subscribeTrackingNumbers } from './track-alert.js';
import type { SubscribeOptions, SubscribeResult, TrackAlertSubscription } from './track-alert.js';
import { trackByReference, trackPackage } from './tracking.js';
import type { TrackByReferenceOptions, TrackResult } from './tracking.js';

export interface UpsClientOptions {
  /** Host root: https://wwwcie.ups.com, https://onlinetools.ups.com or a sandbox (a trailing /api is ignored). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Six-character UPS account sent as x-merchant-id on the token call. */
  merchantId?: string;
  /** transactionSrc header: identifies us to UPS. */
  transactionSrc?: string;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onCall?: (call: ExternalCall) => void;
  onRetry?: (info: UpsRetryInfo) => void;
  fetch?: typeof fetch;
  /** Token managers shared between clients; defaults to one registry per process. */
  tokenRegistry?: TokenManagerRegistry;
}

export interface UpsClient {
  readonly tokens: UpsTokenManager;
  validateAddress(address: PostalAddress, options?: ValidateAddressOptions): Promise<AddressValidationResult>;
  rate(input: RateInput, mode?: RateMode): Promise<RateResult>;
  /** Create Shipment: throws UpsInDoubtError when the outcome is unknown; never retried after sending. */
  ship(input: ShipInput): Promise<ShipResult>;
  voidShipment(shipmentId: string, trackingNumbers?: string[]): Promise<VoidResult>;
  recoverLabel(input: LabelRecoveryInput): Promise<LabelRecoveryResult>;
  track(trackingNumber: string, locale?: string): Promise<TrackResult>;
  trackByReference(reference: string, options?: TrackByReferenceOptions): Promise<TrackResult>;
  subscribe(
    sub: TrackAlertSubscription,
    trackingNumbers: string[],
    options?: SubscribeOptions,
  ): Promise<SubscribeResult>;
  /** Raw pages; persist each before asking for the next. */
  quantumViewPages(query: QuantumViewQuery): AsyncGenerator<QuantumViewPage>;
  /** Pure: the tracking events of one raw page. */
  quantumViewEvents(pageBody: unknown): QuantumViewEvents;
  diagnose(options?: DiagnoseOptions): Promise<DiagnosticCheck[]>;
}

const sharedRegistry = new TokenManagerRegistry();

export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/api$/, '');
}

export function createUpsClient(options: UpsClientOptions): UpsClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tokens = (options.tokenRegistry ?? sharedRegistry).get({
    baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    merchantId: options.merchantId,
    timeoutMs,
    fetch: options.fetch,
    onCall: options.onCall,
  });
  const http = new UpsHttp({
    baseUrl,
    tokens,
    transactionSrc: options.transactionSrc ?? 'fusion-ups-connector',
    timeoutMs,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    onCall: options.onCall,
    onRetry: options.onRetry,
    fetch: options.fetch,
  });
  const client: UpsClient = {
    tokens,
    validateAddress: (address, o) => validateAddress(http, address, o),
    rate: (input, mode) => rateShipment(http, input, mode),
    ship: (input) => createShipment(http, input),
    voidShipment: (id, tns) => voidShipment(http, id, tns),
    recoverLabel: (input) => recoverLabel(http, input),
    track: (tn, locale) => trackPackage(http, tn, locale),
    trackByReference: (ref, o) => trackByReference(http, ref, o),
    subscribe: (sub, tns, o) => subscribeTrackingNumbers(http, sub, tns, o),
    quantumViewPages: (query) => quantumViewPages(http, query),
    quantumViewEvents: (body) => fromQuantumViewPage(body),
    diagnose: (o) => diagnoseUps(client, o),
  };
  return client;
}
