/**
 * Small in-memory stand-ins for the Fusion and UPS ports, for unit tests of the steps and the runner.
 * (Integration tests use the real clients against the sandboxes instead.) The UPS fake keeps a ledger of
 * every label it made, so tests can count live labels per PO, and can accept a shipment yet fail the
 * response — the case ship-exactly-once exists for.
 */
import type { PostalAddress } from '../../domain/types.js';
import type {
  AddressValidation,
  AsnRequest,
  FusionPort,
  PageRequest,
  PoPage,
  PoRef,
  PoStatusWrite,
  PurchaseOrder,
  RateQuery,
  RateQuote,
  RecoveredLabel,
  RecoveredShipment,
  ReferencedPackage,
  ShipOrder,
  ShipResult,
  UpsAccount,
  UpsPort,
} from '../ports.js';

export class PortError extends Error {
  constructor(
    readonly kind: 'transient' | 'hard' | 'auth' | 'in-doubt',
    message: string,
    readonly code?: string,
    readonly system: 'ups' | 'fusion' = 'ups',
  ) {
    super(message);
  }
}

export class FakeFusion implements FusionPort {
  readonly pos = new Map<string, PurchaseOrder>();
  readonly locations = new Map<string, PostalAddress>();
  readonly sites = new Map<string, PostalAddress>();
  readonly asns: AsnRequest[] = [];
  readonly flexfieldWrites: { poHeaderId: string; trackingNumbers: string[] }[] = [];
  readonly attachments: { poHeaderId: string; title: string; url: string }[] = [];
  readonly statuses: { poHeaderId: string; status: PoStatusWrite }[] = [];
  listRequests = 0;
  /** Error code the next flexfield write fails with ('pending_change_order', 'frozen', 'closed'). */
  flexfieldFault: string | null = null;
  /** Makes the next createAsn succeed at Fusion and then throw, as a lost response would. */
  loseNextAsnResponse = false;

  put(po: PurchaseOrder) {
    this.pos.set(po.poHeaderId, structuredClone(po));
  }

  async listChangedSince(since: Date, { after, offset, limit }: PageRequest): Promise<PoPage> {
    this.listRequests += 1;
    const afterCursor = (p: PurchaseOrder) =>
      !after ||
      p.lastUpdateDate > after.lastUpdateDate ||
      (p.lastUpdateDate.getTime() === after.lastUpdateDate.getTime() &&
        Number(p.poHeaderId) > Number(after.poHeaderId));
    const matching = [...this.pos.values()]
      .filter((p) => p.statusCode === 'OPEN' && p.lastUpdateDate > since && afterCursor(p))
      .sort(
        (a, b) =>
          a.lastUpdateDate.getTime() - b.lastUpdateDate.getTime() ||
          Number(a.poHeaderId) - Number(b.poHeaderId),
      );
    const page = matching.slice(offset, offset + limit);
    return {
      items: page.map((p) => ({
        poHeaderId: p.poHeaderId,
        orderNumber: p.orderNumber,
        revision: p.revision,
        lastUpdateDate: p.lastUpdateDate,
        statusCode: p.statusCode,
      })),
      hasMore: offset + limit < matching.length,
    };
  }
  async getPurchaseOrder(poHeaderId: string) {
    const po = this.pos.get(poHeaderId);
    if (!po) throw new PortError('hard', `PO ${poHeaderId} not found`, '404', 'fusion');
    return structuredClone(po);
  }
  async getShipToAddress(locationId: string) {
    return this.locations.get(locationId) ?? null;
  }
  async getSupplierSiteAddress(supplierId: string, siteId: string) {
    return this.sites.get(`${supplierId}/${siteId}`) ?? null;
  }
  async findAsn(po: PurchaseOrder, shipmentNumber: string) {
    return this.asns.some((a) => a.po.poHeaderId === po.poHeaderId && a.shipmentNumber === shipmentNumber);
  }
  async createAsn(request: AsnRequest) {
    this.asns.push(request);
    if (this.loseNextAsnResponse) {
      this.loseNextAsnResponse = false;
      throw new PortError('transient', 'socket hang up', undefined, 'fusion');
    }
  }
  async writeTrackingFlexfield(po: PurchaseOrder, trackingNumbers: string[]) {
    if (this.flexfieldFault) {
      const code = this.flexfieldFault;
      this.flexfieldFault = null;
      throw new PortError(
        code === 'pending_change_order' ? 'transient' : 'hard',
        `change order refused: ${code}`,
        code,
        'fusion',
      );
    }
    this.flexfieldWrites.push({ poHeaderId: po.poHeaderId, trackingNumbers });
  }
  async addTrackingAttachment(po: PurchaseOrder, title: string, url: string) {
    this.attachments.push({ poHeaderId: po.poHeaderId, title, url });
  }
  /** Status writes go through a change order in Fusion: each one makes a new revision. */
  statusBumpsRevision = false;
  /** Source of LastUpdateDate for revisions made by writes (the tests' clock). */
  now: () => Date = () => new Date();

  async writePoStatus(po: PoRef, status: PoStatusWrite) {
    this.statuses.push({ poHeaderId: po.poHeaderId, status });
    const stored = this.pos.get(po.poHeaderId);
    if (this.statusBumpsRevision && stored) {
      this.pos.set(po.poHeaderId, { ...stored, revision: stored.revision + 1, lastUpdateDate: this.now() });
    }
  }
}

export interface LedgerEntry {
  shipmentIdentificationNumber: string;
  trackingNumbers: string[];
  references: string[];
  customerContext: string;
  voided: boolean;
}

export class FakeUps implements UpsPort {
  readonly ledger: LedgerEntry[] = [];
  shipCalls = 0;
  /** 'accept-then-fail': the label is made, the caller gets an in-doubt error. */
  nextShipFault: 'accept-then-fail' | 'hard' | 'transient' | null = null;
  validation: (address: PostalAddress) => AddressValidation = (address) => ({ result: 'valid', address });
  quotes: (query: RateQuery) => RateQuote[] = (q) => [
    { serviceCode: q.serviceCode, total: { amount: '12.34', currency: 'USD' } },
  ];
  private seq = 100000;

  async validateAddress(_account: UpsAccount, address: PostalAddress) {
    return this.validation(address);
  }
  async rate(query: RateQuery) {
    return this.quotes(query);
  }
  async ship(order: ShipOrder): Promise<ShipResult> {
    this.shipCalls += 1;
    const fault = this.nextShipFault;
    this.nextShipFault = null;
    if (fault === 'hard') throw new PortError('hard', '120207: Missing/Invalid ShipTo PostalCode');
    if (fault === 'transient') throw new PortError('in-doubt', 'ETIMEDOUT');
    const trackingNumbers = order.packages.map(() => `1Z999AA1${String((this.seq += 1)).padStart(10, '0')}`);
    const entry: LedgerEntry = {
      shipmentIdentificationNumber: trackingNumbers[0] ?? '',
      trackingNumbers,
      references: [...new Set(order.packages.flatMap((p) => p.references ?? []))],
      customerContext: order.customerContext,
      voided: false,
    };
    this.ledger.push(entry);
    if (fault === 'accept-then-fail')
      throw new PortError('in-doubt', 'response lost after UPS accepted the shipment');
    return {
      shipmentIdentificationNumber: entry.shipmentIdentificationNumber,
      trackingNumbers,
      labels: trackingNumbers.map((tn) => ({ trackingNumber: tn, format: 'GIF', graphicImage: 'R0lGOD' })),
    };
  }
  /** UPS's indexes lagging the label: tracking / label recovery by reference find nothing while set. */
  trackingByReferenceLags = false;
  labelByReferenceLags = false;
  /** The next n voids fail transiently (UPS 5xx). */
  failVoids = 0;
  async void(_account: UpsAccount, sid: string) {
    if (this.failVoids > 0) {
      this.failVoids -= 1;
      throw new PortError('transient', 'HTTP 503 from void');
    }
    const entry = this.ledger.find((e) => e.shipmentIdentificationNumber === sid);
    if (!entry) throw new PortError('hard', '190102: No shipment found within the allowed void period');
    entry.voided = true;
  }
  async findByReference(_account: UpsAccount, reference: string): Promise<ReferencedPackage[]> {
    if (this.trackingByReferenceLags) return [];
    return this.ledger
      .filter((e) => e.references.includes(reference))
      .flatMap((e) => e.trackingNumbers.map((trackingNumber) => ({ trackingNumber, voided: e.voided })));
  }
  async recoverLabel(_account: UpsAccount, trackingNumber: string): Promise<RecoveredLabel | null> {
    const entry = this.ledger.find((e) => e.trackingNumbers.includes(trackingNumber));
    if (!entry) return null;
    return {
      shipmentIdentificationNumber: entry.shipmentIdentificationNumber,
      label: { trackingNumber, format: 'GIF', graphicImage: 'R0lGOD' },
    };
  }
  async recoverByReference(_account: UpsAccount, reference: string): Promise<RecoveredShipment | null> {
    if (this.labelByReferenceLags) return null;
    const entry = [...this.ledger].reverse().find((e) => !e.voided && e.references.includes(reference));
    if (!entry) return null;
    return {
      shipmentIdentificationNumber: entry.shipmentIdentificationNumber,
      trackingNumbers: [...entry.trackingNumbers],
      labels: entry.trackingNumbers.map((trackingNumber) => ({
        trackingNumber,
        format: 'GIF',
        graphicImage: 'R0lGOD',
      })),
    };
  }
  liveLabelsFor(orderNumber: string) {
    return this.ledger.filter((e) => !e.voided && e.references.includes(orderNumber));
  }
}
