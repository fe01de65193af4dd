/**
 * Quantum View v3 for numbers in fallback. Unread-data requests consume data at UPS, so each raw page is
 * saved BEFORE it is processed; pages left unprocessed by a crash or a passing error (storage) are processed
 * first on the next run, and only an unreadable page is set aside (quarantined, with the reason).
 * Origin, Delivery, Exception and Generic records become the same TrackingEvents as webhooks (the client's
 * mapper) and go through the same ingestion, so an event seen by both channels is stored once. After an
 * outage of this poller, the missed window is replayed by DateTimeRange (UPS keeps 7 days).
 */
import type { QuantumViewQuery } from '../ups/quantum-view.js';
import { ingestEvents } from './ingest-event.js';
import { errorText, nowOf, type TrackingDeps } from './tracking-deps.js';

export interface FallbackReport {
  pages: number;
  stored: number;
  replayed: boolean;
  error?: string;
}

const UPS_RETENTION_MS = 7 * 24 * 3_600_000;

async function processStoredPages(
  deps: TrackingDeps,
  tenantId: string,
): Promise<{ pages: number; stored: number; error?: string }> {
  const ups = await deps.ups(tenantId);
  const repo = deps.storage.repos.quantumView;
  const out: { pages: number; stored: number; error?: string } = { pages: 0, stored: 0 };
  for (;;) {
    const pages = await repo.listUnprocessed(tenantId, 20);
    if (pages.length === 0) return out;
    for (const page of pages) {
      let events;
      try {
        events = ups.quantumViewEvents(JSON.parse(page.raw) as unknown).events;
      } catch (error) {
        // Unreadable now, unreadable next time: quarantined (kept, with the reason) so it blocks nothing.
        await repo.markProcessed(tenantId, page.id, `cannot be read: ${errorText(error)}`);
        out.pages += 1;
        continue;
      }
      try {
        // Other shipments of the UPS account are not ours: only known numbers are ingested.
        const ours = [];
        for (const e of events) {
          if (await deps.storage.repos.shipments.findByTrackingNumber(tenantId, e.trackingNumber))
            ours.push(e);
        }
        const { stored } = await ingestEvents(deps, tenantId, ours);
        out.stored += stored;
      } catch (error) {
        // Storage or another passing problem: the page stays for the next run, and so do the pages after it
        // (their events are newer; order matters for the status).
        out.error = errorText(error);
        const attempts = await repo
          .recordFailedAttempt(tenantId, page.id, page.error, out.error)
          .catch(() => null);
        out.error = `stored page ${page.id} not processed (attempt ${attempts ?? '?'}): ${out.error}`;
        return out;
      }
      await repo.markProcessed(tenantId, page.id, null);
      out.pages += 1;
    }
  }
}

/**
 * One poll: pages stored earlier and not processed, then new pages (unread data, or the `replaySince` window).
 * Does nothing while no number of the tenant is in fallback and no stored page waits.
 */
export async function pollQuantumView(
  deps: TrackingDeps,
  tenantId: string,
  options: { replaySince?: Date } = {},
): Promise<FallbackReport> {
  const report: FallbackReport = { pages: 0, stored: 0, replayed: false };
  const leftover = await processStoredPages(deps, tenantId);
  report.stored += leftover.stored;
  // No new unread data is taken while stored pages cannot be processed.
  if (leftover.error) return failed(deps, tenantId, report, leftover.error);
  const inFallback = await deps.storage.repos.trackingSubscriptions.listFallback(tenantId);
  if (inFallback.length === 0 && !options.replaySince) return report;

  const settings = await deps.settings(tenantId);
  const ups = await deps.ups(tenantId);
  const name = settings.quantumViewSubscription;
  const query: QuantumViewQuery = { customerContext: `tracking-fallback:${tenantId}` };
  if (name) query.subscriptionName = name;
  if (options.replaySince) {
    const oldest = nowOf(deps).getTime() - UPS_RETENTION_MS + 60_000;
    query.dateTimeRange = { begin: new Date(Math.max(options.replaySince.getTime(), oldest)) };
    report.replayed = true;
  }
  try {
    for await (const page of ups.quantumViewPages(query)) {
      await deps.storage.repos.quantumView.saveRaw(tenantId, {
        subscriptionName: name ?? '*',
        bookmark: page.bookmark ?? null,
        raw: JSON.stringify(page.body),
      });
      report.pages += 1;
      // Processed right away; a crash or failure before this leaves the page for the next run.
      const processed = await processStoredPages(deps, tenantId);
      report.stored += processed.stored;
      if (processed.error) throw new Error(processed.error);
    }
  } catch (error) {
    return failed(deps, tenantId, report, errorText(error));
  }
  await deps.audit.record({
    tenantId,
    step: 'tracking-quantum-view',
    outcome: 'ok',
    message: `${report.pages} page(s), ${report.stored} new event(s)${report.replayed ? ' (replay)' : ''}`,
  });
  return report;
}

async function failed(
  deps: TrackingDeps,
  tenantId: string,
  report: FallbackReport,
  error: string,
): Promise<FallbackReport> {
  report.error = error;
  await deps.audit.record({
    tenantId,
    step: 'tracking-quantum-view',
    outcome: 'error',
    message: `Quantum View poll failed after ${report.pages} page(s): ${error}`,
  });
  return report;
}
