/**
 * The pipeline's storage ports over the real repositories (backend/src/storage).
 *
 * Gaps worked around here (named in the pipeline report):
 *  - purchase_orders has no generic "save state/step/context"; `advance` increments attempts and merges
 *    context, `recordTransientFailure` decides flagging itself. The pipeline owns those rules, so `save`
 *    writes the row of the PO's revision with one UPDATE (its context under the key `pipeline`, replaced
 *    whole) after `recordSeen` has created it, and marks older active revisions superseded.
 *  - there is no named lease; `LeaseStore` uses rows of kind "lease" in the jobs table, taken with a
 *    conditional UPDATE (free, expired, or already ours) and deleted on release.
 */
import type { ShipmentState } from '../../domain/shipment-state.js';
import { insertIfAbsent } from '../../storage/dialect.js';
import type { Storage } from '../../storage/index.js';
import type { PurchaseOrderRecord } from '../../storage/repositories/purchase-orders.js';
import type { Shipment } from '../../storage/repositories/shipments.js';
import type { WriteBackKind as StoredKind, WriteBackMethod } from '../../storage/repositories/write-backs.js';
import type { PoContext, PoState } from '../po-context.js';
import type {
  Clock,
  LeaseStore,
  PoRecord,
  PoStore,
  RateStore,
  ShipmentRecord,
  ShipmentStore,
  ShipResult,
  WatermarkStore,
  WriteBackKey,
  WriteBackStore,
} from '../ports.js';

export const PO_WATERMARK_SOURCE = 'purchaseOrders';

const toStoredState = (s: PoState) => (s === 'retrying' ? 'retry_wait' : s);

/** purchase_orders.reason is varchar(255); the full text stays in last_error and the audit trail. */
const REASON_MAX = 255;
export const clipReason = (r: string | null) =>
  r && r.length > REASON_MAX ? `${r.slice(0, REASON_MAX - 1)}…` : r;

function toPoRecord(r: PurchaseOrderRecord): PoRecord {
  const state: PoState =
    r.state === 'retry_wait' ? 'retrying' : r.state === 'superseded' ? 'ignored' : r.state;
  return {
    tenantId: r.tenantId,
    poHeaderId: r.poHeaderId,
    orderNumber: r.poNumber ?? '',
    revision: r.revision,
    lastUpdateDate: r.lastUpdateDate ?? new Date(0),
    state,
    step: r.step as PoRecord['step'],
    reason: r.reason,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
    context: (r.context as { pipeline?: PoContext }).pipeline ?? {},
  };
}

export function poStore(storage: Storage): PoStore {
  return {
    async get(tenantId, poHeaderId) {
      const r = await storage.repos.purchaseOrders.latest(tenantId, poHeaderId);
      return r ? toPoRecord(r) : null;
    },
    async save(record) {
      await storage.transaction(async ({ db, repos }) => {
        await repos.purchaseOrders.recordSeen(record.tenantId, {
          poHeaderId: record.poHeaderId,
          revision: record.revision,
          poNumber: record.orderNumber,
          lastUpdateDate: record.lastUpdateDate,
          payload: null,
          payloadHash: record.lastUpdateDate.toISOString(),
          firstStep: record.step,
        });
        const now = new Date();
        await db
          .updateTable('purchase_orders')
          .set({ state: 'superseded', next_attempt_at: null, updated_at: now })
          .where('tenant_id', '=', record.tenantId)
          .where('po_header_id', '=', record.poHeaderId)
          .where('revision', '<', record.revision)
          .where('state', 'in', ['pending', 'retry_wait'])
          .execute();
        await db
          .updateTable('purchase_orders')
          .set({
            po_number: record.orderNumber,
            state: toStoredState(record.state),
            step: record.step,
            reason: clipReason(record.reason),
            attempts: record.attempts,
            transient_failures: record.state === 'retrying' ? record.attempts : 0,
            next_attempt_at: record.nextAttemptAt,
            last_error:
              record.state === 'retrying' || record.state === 'flagged' || record.state === 'ignored'
                ? record.reason
                : null,
            last_update_date: record.lastUpdateDate,
            context: storage.dialect.json({ pipeline: record.context }),
            updated_at: now,
          })
          .where('tenant_id', '=', record.tenantId)
          .where('po_header_id', '=', record.poHeaderId)
          .where('revision', '=', record.revision)
          .execute();
      });
    },
    async listDue(tenantId, _now, limit) {
      return (await storage.repos.purchaseOrders.listDue(tenantId, limit)).map(toPoRecord);
    },
  };
}

export function watermarkStore(storage: Storage): WatermarkStore {
  return {
    async get(tenantId) {
      return (await storage.repos.watermarks.get(tenantId, PO_WATERMARK_SOURCE))?.lastUpdateDate ?? null;
    },
    async set(tenantId, at) {
      await storage.repos.watermarks.advance(tenantId, PO_WATERMARK_SOURCE, {
        lastUpdateDate: at,
        idsAtWatermark: [],
      });
    },
  };
}

export function shipmentStore(storage: Storage): ShipmentStore {
  const { shipments, packages } = storage.repos;
  const toRecord = async (s: Shipment): Promise<ShipmentRecord> => {
    const pkgs = await packages.listByShipment(s.tenantId, s.id);
    const trackingNumbers = pkgs.map((p) => p.trackingNumber).filter((t): t is string => !!t);
    return {
      id: s.id,
      tenantId: s.tenantId,
      poHeaderId: s.poHeaderId,
      revision: s.revision,
      packageSetHash: s.packageSetHash,
      state: s.state,
      stateChangedAt: s.updatedAt,
      shipmentIdentificationNumber: s.upsShipmentId,
      trackingNumbers: trackingNumbers.length ? trackingNumbers : s.trackingNumber ? [s.trackingNumber] : [],
      duplicateOf: s.duplicateOf,
    };
  };
  const shipped = (
    sid: string,
    trackingNumbers: string[],
    labels: ShipResult['labels'] = [],
    charges?: ShipResult['charges'],
  ) => ({
    trackingNumber: trackingNumbers[0] ?? sid,
    upsShipmentId: sid,
    charges: charges ?? null,
    packages: trackingNumbers.map((tn, i) => {
      const label = labels.find((l) => l.trackingNumber === tn);
      return {
        seq: i + 1,
        trackingNumber: tn,
        label: label ? { format: label.format, imageBase64: label.graphicImage } : null,
      };
    }),
  });
  return {
    async listForPo(tenantId, poHeaderId) {
      const rows = await shipments.listByPo(tenantId, poHeaderId);
      rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.dupSeq - b.dupSeq);
      return Promise.all(rows.map(toRecord));
    },
    async get(tenantId, id) {
      const s = await shipments.get(tenantId, id);
      return s ? toRecord(s) : null;
    },
    async createIntent(i) {
      const { shipment } = await shipments.recordIntent(i.tenantId, i);
      return toRecord(shipment);
    },
    async transition(tenantId, id, from, to, detail) {
      await shipments.transition(tenantId, id, from, to, detail?.reason);
    },
    async recordShipped(tenantId, id, from: ShipmentState, result) {
      if (from !== 'submitting' && from !== 'in_doubt')
        throw new Error(`cannot record a shipment as shipped from ${from}`);
      await shipments.markShipped(
        tenantId,
        id,
        from,
        shipped(result.shipmentIdentificationNumber, result.trackingNumbers, result.labels, result.charges),
      );
    },
    async recordDuplicate(tenantId, ofId, sid, trackingNumbers) {
      return toRecord(await shipments.recordDuplicate(tenantId, ofId, shipped(sid, trackingNumbers)));
    },
    async listInState(tenantId, states) {
      return Promise.all((await shipments.listInStates(tenantId, states)).map(toRecord));
    },
  };
}

export function rateStore(storage: Storage): RateStore {
  return {
    async saveQuote(tenantId, { poHeaderId, revision, packageSetHash, quote }) {
      await storage.repos.quotes.add(tenantId, {
        poHeaderId,
        revision,
        packageSetHash,
        serviceCode: quote.serviceCode,
        total: quote.negotiated ?? quote.total,
        details: quote,
      });
    },
  };
}

function storedKey(key: WriteBackKey): { kind: StoredKind; method: WriteBackMethod; changeKey: string } {
  if (key.kind === 'status') {
    return { kind: key.shipmentId ? 'status' : 'flag', method: 'flexfield', changeKey: key.changeKey };
  }
  return { kind: 'tracking_number', method: key.kind, changeKey: `${key.changeKey}:${key.kind}` };
}

export function writeBackStore(storage: Storage): WriteBackStore {
  const record = (tenantId: string, key: WriteBackKey) =>
    storage.repos.writeBacks.record(tenantId, {
      poHeaderId: key.poHeaderId,
      shipmentId: key.shipmentId,
      ...storedKey(key),
    });
  return {
    async begin(tenantId, key) {
      const { writeBack, created } = await record(tenantId, key);
      if (created) return 'new';
      return writeBack.state === 'done' ? 'done' : 'pending';
    },
    async finish(tenantId, key) {
      const { writeBack } = await record(tenantId, key);
      await storage.repos.writeBacks.markDone(tenantId, writeBack.id);
    },
  };
}

export function leaseStore(storage: Storage, clock: Clock): LeaseStore {
  const { db, dialect } = storage;
  return {
    async tryAcquire(tenantId, name, owner, ttlMs) {
      const now = clock.now();
      const until = new Date(now.getTime() + ttlMs);
      const created = await insertIfAbsent(
        dialect,
        db,
        'jobs',
        {
          tenant_id: tenantId,
          id: crypto.randomUUID(),
          kind: 'lease',
          dedupe_key: name,
          payload: dialect.json(null),
          state: 'running',
          attempts: 0,
          run_at: now,
          lease_owner: owner,
          lease_expires_at: until,
          last_error: null,
          created_at: now,
          updated_at: now,
        },
        ['tenant_id', 'kind', 'dedupe_key'],
      );
      if (created) return true;
      const r = await db
        .updateTable('jobs')
        .set({ state: 'running', lease_owner: owner, lease_expires_at: until, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'lease')
        .where('dedupe_key', '=', name)
        .where((eb) =>
          eb.or([
            eb('lease_owner', '=', owner),
            eb('lease_owner', 'is', null),
            eb('lease_expires_at', '<', now),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async release(tenantId, name, owner) {
      // Deleted rather than kept: one lease row per PO ever seen would only grow the jobs table.
      await db
        .deleteFrom('jobs')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'lease')
        .where('dedupe_key', '=', name)
        .where('lease_owner', '=', owner)
        .execute();
    },
  };
}
