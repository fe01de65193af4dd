/**
 * In-memory state of one UPS sandbox: clients and tokens, the shipment ledger, packages and their tracking
 * events, Track Alert subscriptions and webhook deliveries, Quantum View files, quirk modes and faults.
 */
import type { SandboxClock } from '../clock.js';
import type { QuirkName } from './quirks.js';
import type { FaultSpec } from './faults.js';

export interface UpsClient {
  clientId: string;
  clientSecret: string;
  shipperNumbers: string[];
}

export interface UpsToken {
  accessToken: string;
  clientId: string;
  issuedAtMs: number;
  expiresInSeconds: number;
  merchantId?: string;
  revoked: boolean;
}

export interface PostalAddress {
  addressLines: string[];
  city: string;
  stateProvinceCode: string;
  postalCode: string;
  countryCode: string;
  residential: boolean;
}

export interface LabelImage {
  format: 'GIF' | 'ZPL';
  /** base64 */
  graphicImage: string;
}

export interface LedgerPackage {
  trackingNumber: string;
  weightLbs: number;
  references: string[];
  labelFormat: 'GIF' | 'ZPL';
  voidedAtMs?: number;
}

export interface LedgerShipment {
  shipmentIdentificationNumber: string;
  clientId: string;
  shipperNumber: string;
  shipperName: string;
  shipTo: PostalAddress & { name: string; attentionName?: string };
  shipFrom: PostalAddress;
  serviceCode: string;
  /**
   * Shipment-level ReferenceNumber values; kept only when the origin/destination pair is not US/US or PR/PR,
   * where UPS documents them as not valid (ups.md §3.1).
   */
  shipmentReferences: string[];
  /** TransactionReference.CustomerContext: echoed in the answer, never searchable at UPS. */
  customerContext?: string;
  packages: LedgerPackage[];
  totalCharges: string;
  createdAtMs: number;
  voidedAtMs?: number;
}

/** One scan / status event on a package, as both Tracking and Track Alert report it. */
export interface PackageEvent {
  type: 'M' | 'MV' | 'I' | 'X' | 'U' | 'D';
  code: string;
  description: string;
  /** 3-digit status code ("003", "005", "011"…). */
  statusCode: string;
  city: string;
  stateProvince: string;
  postalCode: string;
  country: string;
  atMs: number;
  /** YYYYMMDD when this event changes the scheduled delivery date. */
  rescheduledDeliveryDate?: string;
  receivedBy?: string;
}

export interface PlannedStep {
  kind: 'origin-scan' | 'departure' | 'arrival' | 'out-for-delivery' | 'delivered';
  dueAtMs: number;
}

export interface TrackedPackage {
  trackingNumber: string;
  shipmentIdentificationNumber: string;
  events: PackageEvent[];
  plan: PlannedStep[];
  scheduledDeliveryDate: string;
}

export interface TrackAlertSubscription {
  trackingNumber: string;
  version: 'v1' | 'v2';
  type: 'standard' | 'enhanced';
  clientId: string;
  destination?: { url: string; credentialType: string; credential: string };
  eventPreferences: string[];
  subscribedAtMs: number;
  expiresAtMs: number;
}

export interface WebhookConfig {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface WebhookDelivery {
  id: number;
  trackingNumber: string;
  version: 'v1' | 'v2';
  url: string;
  /** v1: the subscription's credential, sent in the `credential` header. */
  credential?: string;
  payload: Record<string, unknown>;
  duplicate: boolean;
  queuedAtMs: number;
  status: 'pending' | 'delivered' | 'failed';
  httpStatus?: number;
  error?: string;
  attemptedAtMs?: number;
}

export interface QvRecord {
  kind: 'Manifest' | 'Origin' | 'Delivery' | 'Exception' | 'Generic';
  record: Record<string, unknown>;
}

export interface QvFile {
  fileName: string;
  subscriptionName: string;
  postedAtMs: number;
  status: 'U' | 'R';
  records: QvRecord[];
}

export interface WebhookBehaviour {
  /** immediate: each event is pushed as it happens; manual: kept until POST /_sandbox/ups/webhooks/push. */
  delivery: 'immediate' | 'manual';
  /** Probability (0–1) that an event is sent twice. */
  duplicateProbability: number;
  /** When pushing a batch, send it newest first. */
  outOfOrder: boolean;
  /**
   * How long a push waits for the receiver's answer. UPS "requires an acknowledgement within milliseconds"
   * (ups.md §6.1): a slower answer counts as failed, and a failed event is not redelivered.
   */
  ackTimeoutMs: number;
}

export const DEFAULT_WEBHOOK_BEHAVIOUR: WebhookBehaviour = {
  delivery: 'immediate',
  duplicateProbability: 0,
  outOfOrder: false,
  ackTimeoutMs: 1000,
};

export class UpsState {
  clients = new Map<string, UpsClient>();
  tokens = new Map<string, UpsToken>();
  shipments = new Map<string, LedgerShipment>();
  /** tracking number → shipment identification number */
  packageIndex = new Map<string, string>();
  packages = new Map<string, TrackedPackage>();
  subscriptions = new Map<string, TrackAlertSubscription>();
  webhookConfig: WebhookConfig | undefined;
  webhookBehaviour: WebhookBehaviour = { ...DEFAULT_WEBHOOK_BEHAVIOUR };
  deliveries: WebhookDelivery[] = [];
  qvFiles: QvFile[] = [];
  qvPending: QvRecord[] = [];
  qvPageLimitBytes = 150 * 1024;
  quirks = new Set<QuirkName>();
  /** Called for every new package event (Track Alert pushes, Quantum View records). */
  eventListeners: Array<(pkg: TrackedPackage, event: PackageEvent) => void> = [];
  faults: FaultSpec[] = [];
  sequence = 0;
  fileSequence = 0;
  deliverySequence = 0;
  /** Seconds after creation during which a shipment can be voided. */
  voidWindowSeconds = 24 * 3600;

  constructor(
    readonly clock: SandboxClock,
    public tokenTtlSeconds: number,
    readonly initialClients: UpsClient[],
  ) {
    for (const c of initialClients)
      this.clients.set(c.clientId, { ...c, shipperNumbers: [...c.shipperNumbers] });
  }

  now(): number {
    return this.clock.nowMs();
  }

  /** Forgets everything but the configured clients and token lifetime. */
  reset(): void {
    this.clients = new Map(
      this.initialClients.map((c) => [c.clientId, { ...c, shipperNumbers: [...c.shipperNumbers] }]),
    );
    this.tokens.clear();
    this.shipments.clear();
    this.packageIndex.clear();
    this.packages.clear();
    this.subscriptions.clear();
    this.webhookConfig = undefined;
    this.webhookBehaviour = { ...DEFAULT_WEBHOOK_BEHAVIOUR };
    this.deliveries = [];
    this.qvFiles = [];
    this.qvPending = [];
    this.qvPageLimitBytes = 150 * 1024;
    this.quirks.clear();
    this.faults = [];
    this.sequence = 0;
    this.fileSequence = 0;
    this.deliverySequence = 0;
    this.voidWindowSeconds = 24 * 3600;
  }

  shipmentOf(trackingNumber: string): LedgerShipment | undefined {
    const id = this.packageIndex.get(trackingNumber);
    return id === undefined ? undefined : this.shipments.get(id);
  }
}
