/**
 * UPS Quantum View v3 events (ups.md §7). Unread-data requests consume data at UPS, so pages are exposed
 * raw through an async iterator: the caller persists each page before it asks for the next one (a crash
 * then loses nothing; replay by DateTimeRange within 7 days covers the rest). "There are no files" is an
 * empty result, not an error. A separate pure mapper turns records into TrackingEvents.
 */
import type { TrackingEvent, TrackingLocation, TrackingStatus } from '../domain/types.js';
import { inputError } from './address-format.js';
import { UpsError } from './errors.js';
import type { UpsHttp } from './http.js';
import { asArray, errorDetails, pick, text, utcInstant } from './normalise.js';

export const QUANTUM_VIEW_VERSION = 'v3';

export interface QuantumViewQuery {
  /** Subscription name (≤ 21); none = every subscription of the account. */
  subscriptionName?: string;
  /** YYMMDD_HHmmssnnn file names to fetch again. */
  fileNames?: string[];
  /** Replay window; UPS keeps 7 days. End empty → begin + 7 days. */
  dateTimeRange?: { begin: Date; end?: Date };
  customerContext?: string;
}

export interface QuantumViewPage {
  /** 1-based page number within this request. */
  page: number;
  /** The response body exactly as parsed; persist it before processing. */
  body: unknown;
  /** Bookmark for the next page, when there is one. */
  bookmark?: string;
}

export function quantumViewPath(): string {
  return `/api/quantumview/${QUANTUM_VIEW_VERSION}/events`;
}

/** YYYYMMDDHHmmss in UTC. */
export function qvDateTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function toQuantumViewRequest(query: QuantumViewQuery, bookmark?: string): Record<string, unknown> {
  const request: Record<string, unknown> = { RequestAction: 'QVEvents' };
  if (query.customerContext)
    request.TransactionReference = { CustomerContext: query.customerContext.slice(0, 512) };
  const sub: Record<string, unknown> = {};
  if (query.subscriptionName) {
    if (query.subscriptionName.length > 21)
      throw inputError('quantum-view', 'subscription name is longer than 21 characters');
    sub.Name = query.subscriptionName;
  }
  if (query.dateTimeRange) {
    const range: Record<string, unknown> = { BeginDateTime: qvDateTime(query.dateTimeRange.begin) };
    if (query.dateTimeRange.end) range.EndDateTime = qvDateTime(query.dateTimeRange.end);
    sub.DateTimeRange = range;
  }
  if (query.fileNames && query.fileNames.length > 0) sub.FileName = query.fileNames;
  const body: Record<string, unknown> = { Request: request };
  if (Object.keys(sub).length > 0) body.SubscriptionRequest = [sub];
  // The schema puts Bookmark beside SubscriptionRequest (UPS's example nests it; the schema wins here).
  if (bookmark) body.Bookmark = bookmark;
  return { QuantumViewRequest: body };
}

/** "Failure: There are no files for the given Request" (GB 242) and its variants. */
export function isNoFilesMessage(message: string | undefined): boolean {
  return /no (new |unread )?(files|data)/i.test(message ?? '');
}

function bookmarkOf(body: unknown): string | undefined {
  return text(pick(body, 'QuantumViewResponse', 'Bookmark'));
}

/**
 * Pages of one Quantum View request, following bookmarks until UPS sends none. Yields nothing when UPS
 * reports that there are no files. The next page is only requested when the caller asks for it.
 */
export async function* quantumViewPages(
  http: UpsHttp,
  query: QuantumViewQuery,
): AsyncGenerator<QuantumViewPage> {
  let bookmark: string | undefined;
  const seen = new Set<string>();
  for (let page = 1; ; page += 1) {
    let body: unknown;
    try {
      const res = await http.send({
        operation: 'quantum-view',
        method: 'POST',
        path: quantumViewPath(),
        body: toQuantumViewRequest(query, bookmark),
      });
      body = res.body;
    } catch (e) {
      if (e instanceof UpsError && e.errors.some((x) => isNoFilesMessage(x.message))) return;
      throw e;
    }
    const status = text(pick(body, 'QuantumViewResponse', 'Response', 'ResponseStatusCode'));
    if (status === '0') {
      const details = errorDetails(body);
      if (details.some((d) => isNoFilesMessage(d.message))) return;
      const severity = text(pick(body, 'QuantumViewResponse', 'Response', 'Error', 'ErrorSeverity'));
      const retry = Number(
        text(pick(body, 'QuantumViewResponse', 'Response', 'Error', 'MinimumRetrySeconds')),
      );
      throw new UpsError({
        kind: /transient/i.test(severity ?? '') ? 'transient' : 'hard',
        operation: 'quantum-view',
        httpStatus: 200,
        code: details[0]?.code,
        upsMessage: details[0]?.message,
        errors: details,
        ...(Number.isFinite(retry) && retry > 0 ? { retryAfterMs: retry * 1000 } : {}),
      });
    }
    const next = bookmarkOf(body);
    yield next ? { page, body, bookmark: next } : { page, body };
    if (!next || seen.has(next)) return;
    seen.add(next);
    bookmark = next;
  }
}

// ---- records → TrackingEvent --------------------------------------------------------------------------

export interface QuantumViewFileSummary {
  subscriptionName?: string;
  fileName: string;
  /** R read, U unread. */
  status?: string;
}

export interface QuantumViewEvents {
  events: TrackingEvent[];
  files: QuantumViewFileSummary[];
  bookmark?: string;
}

function activityLocation(record: unknown): TrackingLocation | undefined {
  const aaf = pick(record, 'ActivityLocation', 'AddressArtifactFormat');
  const loc: TrackingLocation = {};
  const city = text(pick(aaf, 'PoliticalDivision2'));
  if (city) loc.city = city;
  const state = text(pick(aaf, 'PoliticalDivision1'));
  if (state) loc.stateProvince = state;
  const pc = text(pick(aaf, 'PostcodePrimaryLow'));
  if (pc) loc.postalCode = pc;
  const country = text(pick(aaf, 'CountryCode'));
  if (country) loc.countryCode = country;
  return Object.keys(loc).length > 0 ? loc : undefined;
}

interface EventParts {
  status: TrackingStatus;
  type: string;
  code: string;
  description: string;
  date: unknown;
  time: unknown;
  scheduled?: string;
}

function makeEvent(trackingNumber: unknown, record: unknown, parts: EventParts): TrackingEvent | undefined {
  const tn = text(trackingNumber)?.replace(/\s+/g, '').toUpperCase();
  // Quantum View dates are local to the activity and carry no offset: kept as printed and read as UTC.
  const occurredAt = utcInstant(parts.date, parts.time);
  if (!tn || !occurredAt) return undefined;
  const event: TrackingEvent = {
    trackingNumber: tn,
    status: parts.status,
    upsStatusType: parts.type,
    upsStatusCode: parts.code,
    description: parts.description,
    occurredAt,
    source: 'quantum-view',
  };
  const localDate = text(parts.date);
  if (localDate) event.localDate = localDate;
  const localTime = text(parts.time);
  if (localTime) event.localTime = localTime.padStart(6, '0');
  const loc = activityLocation(record);
  if (loc) event.location = loc;
  if (parts.scheduled && /^\d{8}$/.test(parts.scheduled)) event.scheduledDeliveryDate = parts.scheduled;
  if (parts.status === 'delivered') event.actualDeliveryAt = occurredAt;
  return event;
}

/** Generic ActivityType → our status; types that are not package movements (FN, IR, RE) are skipped. */
const GENERIC_STATUS: Record<string, { status: TrackingStatus; type: string; description: string }> = {
  VM: { status: 'voided', type: 'MV', description: 'Shipment voided' },
  UR: { status: 'returned', type: 'X', description: 'Undeliverable return' },
  UD: { status: 'delivery_update', type: 'U', description: 'Updated delivery date' },
  DS: { status: 'in_transit', type: 'I', description: 'Destination scan' },
  AG: { status: 'in_transit', type: 'I', description: 'In transit to a UPS facility' },
  OD: { status: 'in_transit', type: 'I', description: 'Out for delivery' },
  OT: { status: 'in_transit', type: 'I', description: 'Out for delivery today' },
  SD: { status: 'in_transit', type: 'I', description: 'Scheduled for delivery' },
  AD: { status: 'in_transit', type: 'I', description: 'At delivery site' },
  RO: { status: 'in_transit', type: 'I', description: 'Out for delivery (Roadie)' },
  RP: { status: 'in_transit', type: 'I', description: 'Retail pickup' },
  TC: { status: 'in_transit', type: 'I', description: 'Transport company scan' },
  PS: { status: 'in_transit', type: 'I', description: 'Postal service possession scan' },
  PT: { status: 'in_transit', type: 'I', description: 'Tendered to courier' },
  PC: { status: 'in_transit', type: 'I', description: 'Courier confirmation' },
  FM: { status: 'in_transit', type: 'I', description: 'Tendered to final-mile partner' },
};

function fileEvents(file: unknown): TrackingEvent[] {
  const out: (TrackingEvent | undefined)[] = [];
  for (const m of asArray(pick(file, 'Manifest'))) {
    const scheduled = text(pick(m, 'ScheduledDeliveryDate'));
    for (const p of asArray(pick(m, 'Package'))) {
      out.push(
        makeEvent(pick(p, 'TrackingNumber'), undefined, {
          status: 'label_created',
          type: 'M',
          code: 'MP',
          description: 'Shipment information received',
          date: pick(m, 'PickupDate'),
          time: undefined,
          ...(scheduled ? { scheduled } : {}),
        }),
      );
    }
  }
  for (const o of asArray(pick(file, 'Origin'))) {
    const scheduled = text(pick(o, 'ScheduledDeliveryDate'));
    out.push(
      makeEvent(pick(o, 'TrackingNumber'), o, {
        status: 'in_transit',
        type: 'I',
        code: 'OR',
        description: 'Origin scan',
        date: pick(o, 'Date'),
        time: pick(o, 'Time'),
        ...(scheduled ? { scheduled } : {}),
      }),
    );
  }
  for (const x of asArray(pick(file, 'Exception'))) {
    const scheduled = text(pick(x, 'RescheduledDeliveryDate'));
    const description = [text(pick(x, 'StatusDescription')), text(pick(x, 'ReasonDescription'))]
      .filter(Boolean)
      .join(': ');
    out.push(
      makeEvent(pick(x, 'TrackingNumber'), x, {
        status: 'exception',
        type: 'X',
        code: text(pick(x, 'StatusCode')) ?? text(pick(x, 'ReasonCode')) ?? '',
        description: description || 'Exception',
        date: pick(x, 'Date'),
        time: pick(x, 'Time'),
        ...(scheduled ? { scheduled } : {}),
      }),
    );
  }
  for (const d of asArray(pick(file, 'Delivery'))) {
    const where = text(pick(d, 'DeliveryLocation', 'Description'));
    out.push(
      makeEvent(pick(d, 'TrackingNumber'), d, {
        status: 'delivered',
        type: 'D',
        code: text(pick(d, 'DeliveryLocation', 'Code')) ?? 'DL',
        description: where ? `Delivered: ${where}` : 'Delivered',
        date: pick(d, 'Date'),
        time: pick(d, 'Time'),
      }),
    );
  }
  for (const g of asArray(pick(file, 'Generic'))) {
    const activity = text(pick(g, 'ActivityType'))?.toUpperCase() ?? '';
    const known = GENERIC_STATUS[activity];
    if (!known) continue;
    const scheduled = text(pick(g, 'RescheduledDeliveryDate'));
    out.push(
      makeEvent(pick(g, 'TrackingNumber'), g, {
        status: known.status,
        type: known.type,
        code: activity,
        description: known.description,
        date: pick(g, 'Activity', 'Date'),
        time: pick(g, 'Activity', 'Time'),
        ...(scheduled ? { scheduled } : {}),
      }),
    );
  }
  return out.filter((e): e is TrackingEvent => e !== undefined);
}

/** All tracking events of one raw Quantum View page, newest first, with the files they came from. */
export function fromQuantumViewPage(body: unknown): QuantumViewEvents {
  const events: TrackingEvent[] = [];
  const files: QuantumViewFileSummary[] = [];
  const qv = pick(body, 'QuantumViewResponse', 'QuantumViewEvents');
  for (const sub of asArray(pick(qv, 'SubscriptionEvents'))) {
    const subscriptionName = text(pick(sub, 'Name'));
    for (const file of asArray(pick(sub, 'SubscriptionFile'))) {
      const summary: QuantumViewFileSummary = { fileName: text(pick(file, 'FileName')) ?? '' };
      if (subscriptionName) summary.subscriptionName = subscriptionName;
      const status = text(pick(file, 'StatusType', 'Code'));
      if (status) summary.status = status;
      files.push(summary);
      events.push(...fileEvents(file));
    }
  }
  events.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  const out: QuantumViewEvents = { events, files };
  const bookmark = bookmarkOf(body);
  if (bookmark) out.bookmark = bookmark;
  return out;
}
