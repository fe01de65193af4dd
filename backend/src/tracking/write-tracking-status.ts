/**
 * Tracking status changes back to the PO in Fusion, once per change. A change is first recorded as a
 * write-back keyed by (shipment, status, date) in the same transaction as the event that caused it; a
 * flush then writes the pending ones through the tenant's mechanism and marks them done. A repeated event,
 * a replayed Quantum View page or a second flush finds the record and writes nothing again.
 */
import type { Repositories } from '../storage/index.js';
import type { WriteBack, WriteBackMethod } from '../storage/repositories/write-backs.js';
import type { TrackingStatusUpdate } from './fusion-status-writer.js';
import { errorText, type TrackingDeps } from './tracking-deps.js';

/** Change keys of tracking statuses start with this, apart from the pipeline's own status write-backs. */
export const TRACKING_CHANGE_PREFIX = 'tracking:';

const ymd = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');

export function statusChangeKey(shipmentId: string, update: TrackingStatusUpdate): string {
  const date =
    update.status === 'expected_delivery' ? update.expectedDelivery : update.at ? ymd(update.at) : '';
  return `${TRACKING_CHANGE_PREFIX}${shipmentId}:${update.status}:${date}`;
}

/** The update as stored in the write-back payload (JSON: the instant as ISO text). */
type StoredUpdate = Record<string, unknown> & { at?: string };

export async function queueStatusChange(
  repos: Repositories,
  tenantId: string,
  method: WriteBackMethod,
  shipment: { id: string; poHeaderId: string },
  update: TrackingStatusUpdate,
  changeKey: string = statusChangeKey(shipment.id, update),
): Promise<boolean> {
  const { at, ...rest } = update;
  const payload: StoredUpdate = { ...rest, ...(at ? { at: at.toISOString() } : {}) };
  const { created } = await repos.writeBacks.record(tenantId, {
    poHeaderId: shipment.poHeaderId,
    shipmentId: shipment.id,
    kind: 'status',
    changeKey,
    method,
    payload,
  });
  return created;
}

const RANK: Record<string, number> = { expected_delivery: 0, in_transit: 1, exception: 2, delivered: 3 };
const atOf = (w: WriteBack) => Date.parse(String((w.payload as StoredUpdate | null)?.at ?? '')) || 0;
const rank = (w: WriteBack) => RANK[String((w.payload as StoredUpdate | null)?.status)] ?? 0;

/** A status of the same shipment from a later event exists (written or pending). */
async function supersededBy(deps: TrackingDeps, tenantId: string, w: WriteBack): Promise<boolean> {
  const all = await deps.storage.repos.writeBacks.listByPo(tenantId, w.poHeaderId);
  return all.some(
    (o) =>
      o.id !== w.id &&
      o.shipmentId === w.shipmentId &&
      o.kind === 'status' &&
      o.changeKey.startsWith(TRACKING_CHANGE_PREFIX) &&
      (atOf(o) > atOf(w) || (atOf(o) === atOf(w) && rank(o) > rank(w))),
  );
}

function updateOf(w: WriteBack): TrackingStatusUpdate {
  const { at, ...rest } = w.payload as StoredUpdate;
  return { ...rest, ...(at ? { at: new Date(at) } : {}) } as unknown as TrackingStatusUpdate;
}

export interface FlushReport {
  written: number;
  /** Done without a write (the mechanism cannot carry that status, or it was already there). */
  skipped: number;
  failed: number;
}

const inFlight = new Map<string, Promise<FlushReport>>();

/**
 * Writes every pending tracking status of the tenant to Fusion, oldest first. Failures stay for the next
 * flush. Flushes of one tenant run one after another in this process, so two never write the same record.
 */
export function flushStatusWriteBacks(
  deps: TrackingDeps,
  tenantId: string,
  limit = 200,
): Promise<FlushReport> {
  const previous = inFlight.get(tenantId) ?? Promise.resolve(undefined);
  const next = previous.catch(() => undefined).then(() => flushOnce(deps, tenantId, limit));
  inFlight.set(tenantId, next);
  void next
    .finally(() => {
      if (inFlight.get(tenantId) === next) inFlight.delete(tenantId);
    })
    .catch(() => undefined);
  return next;
}

async function flushOnce(deps: TrackingDeps, tenantId: string, limit: number): Promise<FlushReport> {
  const report: FlushReport = { written: 0, skipped: 0, failed: 0 };
  const writer = deps.statusWriter ? await deps.statusWriter(tenantId) : null;
  if (!writer) return report;
  const open = (await deps.storage.repos.writeBacks.listOpen(tenantId, limit))
    .filter((w) => w.kind === 'status' && w.changeKey.startsWith(TRACKING_CHANGE_PREFIX))
    // In the order the events happened (records made in the same instant would otherwise tie).
    .sort((a, b) => atOf(a) - atOf(b) || rank(a) - rank(b));
  for (const w of open) {
    const update = updateOf(w);
    try {
      // A DFF shows one status: an older one still pending (a failed write retried) must not overwrite a newer.
      const result =
        writer.mechanism === 'flexfield' && (await supersededBy(deps, tenantId, w))
          ? { written: false, note: 'superseded by a later status' }
          : await writer.write(w.poHeaderId, update);
      await deps.storage.repos.writeBacks.markDone(tenantId, w.id, result);
      if (result.written) report.written += 1;
      else report.skipped += 1;
      await deps.audit.record({
        tenantId,
        poHeaderId: w.poHeaderId,
        shipmentId: w.shipmentId,
        step: 'tracking-write-back',
        outcome: result.written ? 'ok' : 'info',
        message: `${update.status}${result.note ? `: ${result.note}` : ''}`,
      });
    } catch (error) {
      report.failed += 1;
      await deps.storage.repos.writeBacks.markFailed(tenantId, w.id, errorText(error));
      await deps.audit.record({
        tenantId,
        poHeaderId: w.poHeaderId,
        shipmentId: w.shipmentId,
        step: 'tracking-write-back',
        outcome: 'error',
        message: `${update.status}: ${errorText(error)}`,
      });
    }
  }
  return report;
}
