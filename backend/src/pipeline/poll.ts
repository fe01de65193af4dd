/**
 * Step 1 — poll: OPEN purchase orders whose LastUpdateDate is after (watermark − overlap), ordered by
 * LastUpdateDate then POHeaderId, page by page. Pages follow a keyset cursor (after the last row's
 * LastUpdateDate and POHeaderId), not an offset: while we list, buyers keep changing POs, and a row read on
 * page 1 that changes or closes would shift every later row left under an offset, so the row at the page
 * boundary would be skipped — and with the watermark moving past it, missed for good. Polling on LastUpdateDate (not CreationDate) catches POs
 * approved after they were created. After each page is durably recorded the watermark advances to the
 * newest LastUpdateDate seen; a crash mid-listing re-reads at most the pages not yet recorded. An idle
 * poll is one request. The overlap re-reads recent POs on purpose (clock skew, same-second updates);
 * deduplication by POHeaderId + revision + LastUpdateDate makes the re-read free.
 *
 * What a change does to a PO already known:
 *  - done (shipped and written back): nothing is shipped again, the new revision is only noted;
 *  - ignored / flagged: the PO is tried again from `select` (a flag may have been fixed in Fusion), except
 *    after an operator's void, which only an admin retry ends;
 *  - pending / retrying before `ship`: restarted from `select` so packages reflect the new content;
 *    at `ship` or later: left where it is (the ship step settles any intent first).
 */
import { carriedOver, STEPS } from './po-context.js';
import { OPERATOR_VOID } from './void-shipment.js';
import type {
  AuditPort,
  Clock,
  FusionPort,
  PollCursor,
  PoRecord,
  PoStore,
  PoSummary,
  WatermarkStore,
} from './ports.js';

export interface PollSettings {
  overlapMs: number;
  pageSize: number;
  /** How far back the first poll of a tenant looks. */
  initialLookbackMs: number;
}

export const DEFAULT_POLL_SETTINGS: PollSettings = {
  overlapMs: 5 * 60_000,
  pageSize: 100,
  initialLookbackMs: 7 * 24 * 3600_000,
};

export interface PollDeps {
  tenantId: string;
  fusion: Pick<FusionPort, 'listChangedSince'>;
  pos: PoStore;
  watermarks: WatermarkStore;
  audit: AuditPort;
  clock: Clock;
  settings: PollSettings;
  /**
   * Claims a PO while its record is updated, so the poll never overwrites a record a worker is in the
   * middle of (returns a release function, or null when the PO is busy). A busy PO is left for the next
   * poll and the watermark stays below it.
   */
  claim?: (poHeaderId: string) => Promise<(() => Promise<void>) | null>;
}

export interface PollResult {
  requests: number;
  seen: number;
  queued: string[];
  watermark: Date;
}

export type SeenOutcome = 'new' | 'changed' | 'unchanged';

function freshRecord(tenantId: string, s: PoSummary): PoRecord {
  return {
    tenantId,
    poHeaderId: s.poHeaderId,
    orderNumber: s.orderNumber,
    revision: s.revision,
    lastUpdateDate: s.lastUpdateDate,
    state: 'pending',
    step: 'select',
    reason: null,
    attempts: 0,
    nextAttemptAt: null,
    context: {},
  };
}

/** The record after seeing `summary`, or null when nothing changed. */
export function applySeen(
  tenantId: string,
  existing: PoRecord | null,
  summary: PoSummary,
): { outcome: SeenOutcome; record: PoRecord | null } {
  if (!existing) return { outcome: 'new', record: freshRecord(tenantId, summary) };
  if (
    existing.revision === summary.revision &&
    existing.lastUpdateDate.getTime() === summary.lastUpdateDate.getTime()
  ) {
    return { outcome: 'unchanged', record: null };
  }
  const seen = {
    ...existing,
    revision: summary.revision,
    lastUpdateDate: summary.lastUpdateDate,
    orderNumber: summary.orderNumber,
  };
  if (existing.state === 'done') return { outcome: 'changed', record: seen };
  // An operator voided its label: it waits for an admin retry, whatever changes in Fusion meanwhile.
  if (existing.state === 'flagged' && existing.context.flagKind === OPERATOR_VOID) {
    return { outcome: 'changed', record: seen };
  }
  if (existing.state === 'ignored' || existing.state === 'flagged') {
    return {
      outcome: 'changed',
      record: { ...freshRecord(tenantId, summary), context: carriedOver(existing.context) },
    };
  }
  const beforeShip = STEPS.indexOf(existing.step) < STEPS.indexOf('ship');
  return {
    outcome: 'changed',
    record: beforeShip ? { ...seen, step: 'select', context: carriedOver(existing.context) } : seen,
  };
}

export async function pollTenant(deps: PollDeps): Promise<PollResult> {
  const { tenantId, settings } = deps;
  const stored = await deps.watermarks.get(tenantId);
  let watermark = stored ?? new Date(deps.clock.now().getTime() - settings.initialLookbackMs);
  const since = new Date(watermark.getTime() - settings.overlapMs);
  const result: PollResult = { requests: 0, seen: 0, queued: [], watermark };

  // Once a PO is left for later, the watermark must stay below it for the rest of this poll.
  let blockedAt: Date | null = null;
  let after: PollCursor | null = null;
  // Only used when a page brings nothing new (if Fusion kept finer times than the milliseconds a q literal
  // carries, rows at the cursor's time would come back); rows already handled in this poll are skipped.
  let offset = 0;
  const handled = new Set<string>();
  for (;;) {
    const page = await deps.fusion.listChangedSince(since, { after, offset, limit: settings.pageSize });
    result.requests += 1;
    let newest = watermark;
    let fresh = 0;
    for (const summary of page.items) {
      const key = `${summary.poHeaderId}@${summary.lastUpdateDate.getTime()}`;
      if (handled.has(key)) continue;
      handled.add(key);
      fresh += 1;
      result.seen += 1;
      const release = deps.claim ? await deps.claim(summary.poHeaderId) : async () => undefined;
      if (!release) {
        if (!blockedAt || summary.lastUpdateDate < blockedAt) blockedAt = summary.lastUpdateDate;
        continue;
      }
      let seen: ReturnType<typeof applySeen>;
      try {
        seen = applySeen(tenantId, await deps.pos.get(tenantId, summary.poHeaderId), summary);
        if (seen.record) await deps.pos.save(seen.record);
      } finally {
        await release();
      }
      if (summary.lastUpdateDate > newest) newest = summary.lastUpdateDate;
      const { outcome, record } = seen;
      if (!record) continue;
      if (record.state === 'pending' && record.step === 'select') result.queued.push(summary.poHeaderId);
      await deps.audit.record({
        tenantId,
        poHeaderId: summary.poHeaderId,
        step: 'poll',
        outcome: 'info',
        message:
          outcome === 'new'
            ? `seen PO ${summary.orderNumber} revision ${summary.revision}`
            : record.state === 'done'
              ? `PO ${summary.orderNumber} changed (revision ${summary.revision}) after it was shipped; not shipped again`
              : `PO ${summary.orderNumber} changed (revision ${summary.revision}); processing again from ${record.step}`,
      });
    }
    // The page is recorded; only now may the watermark move past it (but not past a PO left for later).
    if (blockedAt && newest >= blockedAt) newest = new Date(blockedAt.getTime() - 1);
    if (newest > watermark) {
      await deps.watermarks.set(tenantId, newest);
      watermark = newest;
    }
    const last = page.items.at(-1);
    if (!page.hasMore || !last) break;
    if (fresh === 0) {
      offset += page.items.length;
    } else {
      after = { lastUpdateDate: last.lastUpdateDate, poHeaderId: last.poHeaderId };
      offset = 0;
    }
  }
  result.watermark = watermark;
  return result;
}
