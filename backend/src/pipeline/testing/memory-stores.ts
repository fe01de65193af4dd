/**
 * In-memory implementations of the pipeline's storage ports, for unit tests. They keep the contracts
 * that matter to the pipeline: conditional shipment transitions through the shared state machine,
 * one record per (tenant, PO), leases that exclude other owners until they expire.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../audit/audit-entry.js';
import { assertTransition, type ShipmentState } from '../../domain/shipment-state.js';
import type {
  AuditPort,
  Clock,
  LabelImage,
  LeaseStore,
  PoRecord,
  PoStore,
  RateQuote,
  RateStore,
  ShipmentRecord,
  ShipmentStore,
  ShipResult,
  WatermarkStore,
  WriteBackKey,
  WriteBackStore,
} from '../ports.js';

export class ManualClock implements Clock {
  constructor(public current = new Date('2026-03-02T10:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const clone = <T>(x: T): T => structuredClone(x);

export class MemoryPoStore implements PoStore {
  readonly rows = new Map<string, PoRecord>();
  async get(tenantId: string, poHeaderId: string) {
    const row = this.rows.get(`${tenantId}:${poHeaderId}`);
    return row ? clone(row) : null;
  }
  async save(record: PoRecord) {
    this.rows.set(`${record.tenantId}:${record.poHeaderId}`, clone(record));
  }
  async listDue(tenantId: string, now: Date, limit: number) {
    return [...this.rows.values()]
      .filter((r) => r.tenantId === tenantId && (r.state === 'pending' || r.state === 'retrying'))
      .filter((r) => !r.nextAttemptAt || r.nextAttemptAt <= now)
      .slice(0, limit)
      .map(clone);
  }
}

export class MemoryWatermarks implements WatermarkStore {
  readonly values = new Map<string, Date>();
  async get(tenantId: string) {
    return this.values.get(tenantId) ?? null;
  }
  async set(tenantId: string, at: Date) {
    this.values.set(tenantId, at);
  }
}

export class MemoryShipments implements ShipmentStore {
  readonly rows: ShipmentRecord[] = [];
  readonly labels = new Map<string, LabelImage[]>();
  /** Set to make the next recordShipped throw, as a crash between UPS accepting and our commit would. */
  failNextRecordShipped = false;
  constructor(private readonly clock: Clock) {}

  private find(tenantId: string, id: string) {
    const row = this.rows.find((r) => r.tenantId === tenantId && r.id === id);
    if (!row) throw new Error(`no shipment ${id}`);
    return row;
  }
  async listForPo(tenantId: string, poHeaderId: string) {
    return this.rows.filter((r) => r.tenantId === tenantId && r.poHeaderId === poHeaderId).map(clone);
  }
  async get(tenantId: string, id: string) {
    const row = this.rows.find((r) => r.tenantId === tenantId && r.id === id);
    return row ? clone(row) : null;
  }
  /** Idempotent on (tenant, PO, revision, package-set hash), as the storage repository is. */
  async createIntent(i: { tenantId: string; poHeaderId: string; revision: number; packageSetHash: string }) {
    const existing = this.rows.find(
      (r) =>
        r.duplicateOf === null &&
        r.tenantId === i.tenantId &&
        r.poHeaderId === i.poHeaderId &&
        r.revision === i.revision &&
        r.packageSetHash === i.packageSetHash,
    );
    if (existing) return clone(existing);
    const row: ShipmentRecord = {
      ...i,
      id: randomUUID(),
      state: 'intent_recorded',
      stateChangedAt: this.clock.now(),
      shipmentIdentificationNumber: null,
      trackingNumbers: [],
      duplicateOf: null,
    };
    this.rows.push(row);
    return clone(row);
  }
  async transition(tenantId: string, id: string, from: ShipmentState, to: ShipmentState) {
    const row = this.find(tenantId, id);
    if (row.state !== from) throw new Error(`shipment ${id} is ${row.state}, not ${from}`);
    assertTransition(from, to);
    row.state = to;
    row.stateChangedAt = this.clock.now();
  }
  async recordShipped(tenantId: string, id: string, from: ShipmentState, result: ShipResult) {
    if (this.failNextRecordShipped) {
      this.failNextRecordShipped = false;
      throw new Error('simulated crash before commit');
    }
    await this.transition(tenantId, id, from, 'shipped');
    const row = this.find(tenantId, id);
    row.shipmentIdentificationNumber = result.shipmentIdentificationNumber;
    row.trackingNumbers = [...result.trackingNumbers];
    this.labels.set(id, result.labels);
  }
  async recordDuplicate(tenantId: string, ofId: string, sid: string, trackingNumbers: string[]) {
    // Idempotent by UPS shipment id, as the database's is.
    const existing = this.rows.find((r) => r.tenantId === tenantId && r.shipmentIdentificationNumber === sid);
    if (existing) return clone(existing);
    const of = this.find(tenantId, ofId);
    const row: ShipmentRecord = {
      ...clone(of),
      id: randomUUID(),
      state: 'void_requested',
      stateChangedAt: this.clock.now(),
      shipmentIdentificationNumber: sid,
      trackingNumbers,
      duplicateOf: ofId,
    };
    this.rows.push(row);
    return clone(row);
  }
  async listInState(tenantId: string, states: ShipmentState[]) {
    return this.rows.filter((r) => r.tenantId === tenantId && states.includes(r.state)).map(clone);
  }
}

export class MemoryRates implements RateStore {
  readonly quotes: {
    tenantId: string;
    poHeaderId: string;
    revision: number;
    packageSetHash: string;
    quote: RateQuote;
  }[] = [];
  async saveQuote(
    tenantId: string,
    q: { poHeaderId: string; revision: number; packageSetHash: string; quote: RateQuote },
  ) {
    this.quotes.push({ tenantId, ...q });
  }
}

export class MemoryWriteBacks implements WriteBackStore {
  readonly states = new Map<string, 'pending' | 'done'>();
  private id = (tenantId: string, k: WriteBackKey) => `${tenantId}|${k.poHeaderId}|${k.kind}|${k.changeKey}`;
  async begin(tenantId: string, key: WriteBackKey) {
    const known = this.states.get(this.id(tenantId, key));
    if (!known) this.states.set(this.id(tenantId, key), 'pending');
    return known ?? 'new';
  }
  async finish(tenantId: string, key: WriteBackKey) {
    this.states.set(this.id(tenantId, key), 'done');
  }
}

export class MemoryLeases implements LeaseStore {
  readonly held = new Map<string, { owner: string; until: number }>();
  constructor(private readonly clock: Clock) {}
  async tryAcquire(tenantId: string, name: string, owner: string, ttlMs: number) {
    const now = this.clock.now().getTime();
    const lease = this.held.get(`${tenantId}|${name}`);
    if (lease && lease.owner !== owner && lease.until > now) return false;
    this.held.set(`${tenantId}|${name}`, { owner, until: now + ttlMs });
    return true;
  }
  async release(tenantId: string, name: string, owner: string) {
    if (this.held.get(`${tenantId}|${name}`)?.owner === owner) this.held.delete(`${tenantId}|${name}`);
  }
}

export class MemoryAudit implements AuditPort {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry) {
    this.entries.push(entry);
  }
  forPo(poHeaderId: string) {
    return this.entries.filter((e) => e.poHeaderId === poHeaderId);
  }
}
