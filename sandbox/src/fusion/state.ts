import { createHash } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import type { Row } from './schemas.js';

/** Fusion's `date-time` shape: ISO-8601 with millis and an explicit offset (fusion.md §5.7). */
export function fusionDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
export function fusionDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface PoDistribution {
  row: Row;
  dff: Row;
  uniqId: string;
}
export interface PoSchedule {
  row: Row;
  dff: Row;
  uniqId: string;
  distributions: PoDistribution[];
}
export interface PoLine {
  row: Row;
  dff: Row;
  schedules: PoSchedule[];
}
export interface Attachment {
  row: Row;
  uniqId: string;
  /** base64 body of a FILE attachment; not returned on GET (an enclosure in real Fusion). */
  fileContents: string | null;
}

export type ChangeOrderStatus = 'INCOMPLETE' | 'PENDING APPROVAL' | 'APPROVED' | 'CANCELED' | 'DELETED';

export interface ChangeOrder {
  changeOrderId: number;
  poHeaderId: number;
  status: ChangeOrderStatus;
  createdBy: string;
  createdAt: string;
  description: string | null;
  headerChanges: Row;
  dffChanges: Row;
  attachments: Attachment[];
  submittedAt: string | null;
  approvedAt: string | null;
  /** Sandbox-clock ms at which a submitted change order is approved. */
  approveAtMs: number | null;
  bypassApprovals: boolean;
}

export interface PurchaseOrder {
  header: Row;
  dff: Row;
  lines: PoLine[];
  attachments: Attachment[];
  /** Bumped on every change; the ETag / changeIndicator is derived from it. */
  version: number;
  /** Sandbox-clock ms at which an Incomplete / Pending Approval PO becomes Open; null = no pending approval. */
  approveAtMs: number | null;
  changeOrder: ChangeOrder | null;
}

export interface Location {
  row: Row;
}
export interface Supplier {
  row: Row;
  sites: Row[];
  addresses: Row[];
}
export interface Item {
  row: Row;
  uniqId: string;
}

export interface ReceiptRequest {
  header: Row;
  lines: Row[];
  errors: Row[];
  createdBy: string;
}
export interface LifecycleShipment {
  row: Row;
  headerInterfaceId: number;
  interfaceTransactionId: number;
}

export interface User {
  username: string;
  password: string;
  /** 'all', or the business-unit ids whose POs the user may see (empty = no data access). */
  dataAccess: 'all' | number[];
  displayName?: string;
}
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The Fusion user the client is mapped to (roles and data security come from that user). */
  username: string;
  allowedScopes: string[];
  /** PEM public keys trusted for the JWT user-assertion grant. */
  trustedPublicKeys: string[];
}
export interface IssuedToken {
  token: string;
  username: string;
  clientId: string;
  scope: string;
  expiresAtMs: number;
  revoked: boolean;
}

export interface WriteBack {
  at: string;
  kind: 'asn' | 'asn-update' | 'asn-delete' | 'change-order' | 'dff' | 'attachment' | 'action';
  poHeaderId: number | null;
  user: string;
  detail: Record<string, unknown>;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  durationMs: number;
  user: string | null;
  frameworkVersion: string | null;
  fault: string | null;
  /** The X-ORACLE-DMS-ECID the response carried. */
  ecid: string;
}

export interface DffConfig {
  context: string;
  contextDisplay: string;
  /** API names of the header DFF segments; the first one is the "ship via UPS" flag. */
  segments: string[];
  shipViaUpsSegment: string;
  trackingSegment: string;
  statusSegment: string;
}

export const DEFAULT_DFF: DffConfig = {
  context: 'UPS_SHIPPING',
  contextDisplay: 'UPS Shipping',
  segments: ['shipViaUps', 'upsServiceCode', 'upsTrackingNumber', 'upsShipmentStatus', 'upsStatusDate'],
  shipViaUpsSegment: 'shipViaUps',
  trackingSegment: 'upsTrackingNumber',
  statusSegment: 'upsShipmentStatus',
};

export interface BusinessUnit {
  id: number;
  name: string;
}

const FIRST_ID = 300000400000000;

/** Everything the Fusion sandbox knows, in memory. Modules read and write it directly. */
export class FusionState {
  purchaseOrders = new Map<number, PurchaseOrder>();
  locations = new Map<number, Location>();
  suppliers = new Map<number, Supplier>();
  items = new Map<number, Item>();
  businessUnits: BusinessUnit[] = [];
  receiptRequests = new Map<number, ReceiptRequest>();
  lifecycleShipments: LifecycleShipment[] = [];
  changeOrders: ChangeOrder[] = [];
  writeBacks: WriteBack[] = [];
  requestLog: RequestLogEntry[] = [];
  tokens = new Map<string, IssuedToken>();
  users = new Map<string, User>();
  /** Seconds a submitted change order waits for approval; null = only the scenario API approves it. */
  changeOrderApprovalSeconds: number | null = 0;
  clients = new Map<string, OAuthClient>();
  /** uniqId → owning object, so opaque keys resolve without being decodable. */
  private uniq = new Map<string, unknown>();
  private nextIdValue = FIRST_ID;
  private keySalt: string;

  constructor(
    readonly clock: SandboxClock,
    readonly dff: DffConfig,
    seed: number,
  ) {
    this.keySalt = `fusion-sandbox:${seed}`;
  }

  nowIso(): string {
    return fusionDateTime(this.clock.nowMs());
  }

  /** Fusion-style 15-digit surrogate ids. */
  nextId(): number {
    this.nextIdValue += 1;
    return this.nextIdValue;
  }

  /** An ADF-serialized-key look-alike: hex that a client cannot derive from the row's ids. */
  opaqueKey(kind: string, id: number, owner: unknown): string {
    const digest = createHash('sha256').update(`${this.keySalt}:${kind}:${id}`).digest('hex').toUpperCase();
    const key = `00020000000EACED0005770800${digest.slice(0, 38)}`;
    this.uniq.set(key, owner);
    return key;
  }

  resolveKey<T>(key: string): T | undefined {
    return this.uniq.get(key) as T | undefined;
  }

  /** Drops all business data (users, clients and tokens stay) and restarts ids, so a seed reproduces. */
  clearData(seed: number): void {
    this.nextIdValue = FIRST_ID;
    this.keySalt = `fusion-sandbox:${seed}`;
    this.purchaseOrders.clear();
    this.locations.clear();
    this.suppliers.clear();
    this.items.clear();
    this.receiptRequests.clear();
    this.lifecycleShipments = [];
    this.changeOrders = [];
    this.writeBacks = [];
    this.uniq.clear();
  }

  recordWriteBack(entry: Omit<WriteBack, 'at'>): void {
    this.writeBacks.push({ at: this.nowIso(), ...entry });
  }

  findLocation(idOrCode: number | string): Location | undefined {
    if (typeof idOrCode === 'number') return this.locations.get(idOrCode);
    for (const loc of this.locations.values()) if (loc.row.LocationCode === idOrCode) return loc;
    return undefined;
  }

  findSupplierSite(siteId: number): { supplier: Supplier; site: Row } | undefined {
    for (const supplier of this.suppliers.values()) {
      const site = supplier.sites.find((s) => s.SupplierSiteId === siteId);
      if (site) return { supplier, site };
    }
    return undefined;
  }

  findPoByNumber(orderNumber: string): PurchaseOrder | undefined {
    for (const po of this.purchaseOrders.values()) if (po.header.OrderNumber === orderNumber) return po;
    return undefined;
  }
}

/** The formatted one-line address Fusion puts on a PO (fusion.md §2.3). */
export function formatLocationAddress(loc: Row): string {
  const parts = [loc.AddressLine1, loc.AddressLine2, loc.TownOrCity];
  const stateZip = [loc.Region2, loc.PostalCode].filter((p) => p !== null && p !== '').join(' ');
  const country = loc.Country === 'US' ? 'United States' : loc.Country;
  return [...parts, stateZip, loc.Region1, country]
    .filter((p) => p !== null && p !== undefined && p !== '')
    .join(', ');
}

/** ADF change indicator look-alike: a serialized java.lang.Integer holding the row version. */
export function changeIndicator(version: number): string {
  const prefix =
    'ACED0005737200116A6176612E6C616E672E496E746567657212E2A0A4F781873802000149000576616C7565787200106A6176612E6C616E672E4E756D62657286AC951D0B94E08B020000787000';
  return prefix + version.toString(16).toUpperCase().padStart(6, '0');
}
