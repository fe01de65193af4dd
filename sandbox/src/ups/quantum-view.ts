/**
 * Quantum View v3: POST /api/quantumview/{version}/events (QuantumView.yaml, ups.md §7). Package events become
 * records (Manifest, Origin, Delivery, Exception, Generic) in subscription files. Unread requests return the
 * unread files and mark them Read; FileName and DateTimeRange requests replay files up to 7 days old. Large
 * answers are cut at a size limit and continued with a Bookmark. No files → the "no files" failure.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { PackageEvent, QvFile, QvRecord, TrackedPackage, UpsState } from './state.js';
import type { UpsJson } from './shipment-model.js';
import { E } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate } from './faults.js';
import { requireBearer } from './oauth.js';
import { advancePackages } from './package-events.js';
import { eventTimes } from './tracking.js';
import { asArray } from './shipment-model.js';

export const SUBSCRIBER_ID = 'SANDBOXQVUSER';
export const SUBSCRIPTION_NAME = 'OutboundXML';
const RETENTION_MS = 7 * 86_400_000;

const cut = (s: string, n: number) => s.slice(0, n);

function place(e: PackageEvent) {
  const a: Record<string, string> = {};
  if (e.city) a.PoliticalDivision2 = cut(e.city, 30);
  if (e.stateProvince) a.PoliticalDivision1 = e.stateProvince;
  return { AddressArtifactFormat: a };
}

/** The Quantum View record an event produces, if UpsJson (not every scan is reported). */
export function qvRecordFor(state: UpsState, pkg: TrackedPackage, e: PackageEvent): QvRecord | undefined {
  const s = state.shipments.get(pkg.shipmentIdentificationNumber);
  if (!s) return undefined;
  const t = eventTimes(e.atMs);
  const base = {
    TrackingNumber: pkg.trackingNumber,
    ShipperNumber: s.shipperNumber,
    Date: t.localDate,
    Time: t.localTime,
  };
  const bill = { BillToAccount: { Option: '01', Number: s.shipperNumber } };
  if (e.type === 'M') {
    if (pkg.trackingNumber !== s.shipmentIdentificationNumber) return undefined; // one Manifest per shipment
    return {
      kind: 'Manifest',
      record: {
        Shipper: {
          Name: cut(s.shipperName, 35),
          ShipperNumber: s.shipperNumber,
          Address: {
            AddressLine1: cut(s.shipFrom.addressLines[0] ?? 'UNKNOWN', 35),
            City: cut(s.shipFrom.city, 30),
            StateProvinceCode: s.shipFrom.stateProvinceCode,
            PostalCode: s.shipFrom.postalCode.replace(/\D/g, '').slice(0, 9),
            CountryCode: s.shipFrom.countryCode,
          },
        },
        ShipTo: {
          CompanyName: cut(s.shipTo.name, 35),
          ...(s.shipTo.attentionName ? { AttentionName: cut(s.shipTo.attentionName, 35) } : {}),
          Address: {
            AddressLine1: cut(s.shipTo.addressLines[0] ?? '', 35),
            City: cut(s.shipTo.city, 30),
            StateProvinceCode: s.shipTo.stateProvinceCode,
            PostalCode: s.shipTo.postalCode.replace(/\D/g, '').slice(0, 9),
            CountryCode: s.shipTo.countryCode,
          },
        },
        ...(s.shipmentReferences.length
          ? {
              ReferenceNumber: s.shipmentReferences
                .slice(0, 2)
                .map((v, i) => ({ Number: String(i + 1), Code: 'PO', Value: cut(v, 35) })),
            }
          : {}),
        Service: { Code: s.serviceCode.padStart(3, '0') },
        PickupDate: t.localDate,
        ScheduledDeliveryDate: pkg.scheduledDeliveryDate,
        Package: s.packages.map((p) => ({
          TrackingNumber: p.trackingNumber,
          PackageWeight: { Weight: p.weightLbs.toFixed(1).padStart(6, '0') },
          ...(p.references.length
            ? {
                ReferenceNumber: p.references
                  .slice(0, 2)
                  .map((v, i) => ({ Number: String(i + 1), Code: 'PO', Value: cut(v, 35) })),
              }
            : {}),
        })),
        ...bill,
        ConsigneeBillIndicator: 'N',
        CollectBillIndicator: 'N',
      },
    };
  }
  if (e.type === 'I' && e.code === 'OR') {
    return {
      kind: 'Origin',
      record: {
        ...base,
        ActivityLocation: place(e),
        ...bill,
        ScheduledDeliveryDate: pkg.scheduledDeliveryDate,
      },
    };
  }
  if (e.type === 'D' && e.code === 'FS') {
    return {
      kind: 'Delivery',
      record: {
        ...base,
        ActivityLocation: place(e),
        DeliveryLocation: {
          AddressArtifactFormat: {},
          Code: '01',
          Description: 'FRONT DOOR',
          ...(e.receivedBy ? { SignedForByName: cut(e.receivedBy, 35) } : {}),
        },
        ...bill,
      },
    };
  }
  if (e.type === 'X') {
    return {
      kind: 'Exception',
      record: {
        ...base,
        StatusCode: e.code,
        StatusDescription: cut(e.description, 120),
        ReasonCode: 'RN',
        ReasonDescription: 'RECEIVER NOT AVAILABLE',
        Resolution: { Code: 'SA', Description: 'SECOND DELIVERY ATTEMPT' },
        ...(e.rescheduledDeliveryDate ? { RescheduledDeliveryDate: e.rescheduledDeliveryDate } : {}),
        ActivityLocation: place(e),
        ...bill,
      },
    };
  }
  if (e.type === 'U' || e.type === 'MV') {
    return {
      kind: 'Generic',
      record: {
        ActivityType: e.type === 'U' ? 'UD' : 'VM',
        TrackingNumber: pkg.trackingNumber,
        ShipperNumber: s.shipperNumber,
        Activity: { Date: t.localDate, Time: t.localTime },
        ...(e.rescheduledDeliveryDate ? { RescheduledDeliveryDate: e.rescheduledDeliveryDate } : {}),
        ...bill,
      },
    };
  }
  return undefined;
}

function fileName(ms: number, seq: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${String(seq % 1000).padStart(3, '0')}`;
}

/** Posts the records collected since the last request as one subscription file. */
export function postPendingFile(state: UpsState): QvFile | undefined {
  if (state.qvPending.length === 0) return undefined;
  state.fileSequence += 1;
  const file: QvFile = {
    fileName: fileName(state.now(), state.fileSequence),
    subscriptionName: SUBSCRIPTION_NAME,
    postedAtMs: state.now(),
    status: 'U',
    records: state.qvPending,
  };
  state.qvPending = [];
  state.qvFiles.push(file);
  return file;
}

function qvDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(0, 4)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}`;
}

function parseDateTime(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v) : null;
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function fileBody(f: QvFile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    FileName: f.fileName,
    StatusType: f.status === 'U' ? { Code: 'U', Description: 'Unread' } : { Code: 'R', Description: 'Read' },
  };
  for (const kind of ['Manifest', 'Origin', 'Exception', 'Delivery', 'Generic'] as const) {
    const records = f.records.filter((r) => r.kind === kind).map((r) => r.record);
    if (records.length) out[kind] = records;
  }
  return out;
}

function selectFiles(state: UpsState, request: UpsJson): { files: QvFile[]; unread: boolean } {
  const subs = asArray<UpsJson>(request?.SubscriptionRequest);
  const names = subs.map((s) => s?.Name).filter((n): n is string => typeof n === 'string' && n !== '');
  const byName = (f: QvFile) => names.length === 0 || names.includes(f.subscriptionName);
  const wantedFiles = subs.flatMap((s) => asArray<unknown>(s?.FileName)).map(String);
  if (wantedFiles.length)
    return {
      files: state.qvFiles.filter((f) => byName(f) && wantedFiles.includes(f.fileName)),
      unread: false,
    };
  const range = subs.map((s) => s?.DateTimeRange).find((r) => r && typeof r === 'object');
  if (range) {
    const begin = parseDateTime(range.BeginDateTime);
    if (begin === undefined || begin < state.now() - RETENTION_MS) throw E.qvRange();
    // Times are to the second: an end of 101530 includes everything posted during 10:15:30.
    const end = (parseDateTime(range.EndDateTime) ?? begin + RETENTION_MS) + 999;
    return {
      files: state.qvFiles.filter((f) => byName(f) && f.postedAtMs >= begin && f.postedAtMs <= end),
      unread: false,
    };
  }
  return { files: state.qvFiles.filter((f) => byName(f) && f.status === 'U'), unread: true };
}

export function quantumViewRouter(state: UpsState, random: () => number): Router {
  state.eventListeners.push((pkg, e) => {
    const r = qvRecordFor(state, pkg, e);
    if (r) state.qvPending.push(r);
  });
  const router = express.Router();
  router.post(
    '/api/quantumview/:version/events',
    faultGate(state, 'quantum-view', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      const request = req.body?.QuantumViewRequest;
      if (request?.Request?.RequestAction !== 'QVEvents') throw E.qvBadAction();
      advancePackages(state);
      postPendingFile(state);
      state.qvFiles = state.qvFiles.filter((f) => f.postedAtMs >= state.now() - RETENTION_MS);
      let { files } = selectFiles(state, request);
      const bookmark = request?.Bookmark ?? asArray<UpsJson>(request?.SubscriptionRequest)[0]?.Bookmark;
      if (typeof bookmark === 'string' && bookmark !== '') {
        const [, , next] = Buffer.from(bookmark, 'base64').toString('utf8').split('|');
        if (next) files = files.filter((f) => f.fileName >= next);
      }
      files.sort((a, b) => a.fileName.localeCompare(b.fileName));
      if (files.length === 0) throw E.qvNoFiles();

      const page: Array<Record<string, unknown>> = [];
      let size = 0;
      let rest: QvFile[] = [];
      for (let i = 0; i < files.length; i += 1) {
        const body = fileBody(files[i]!);
        const len = Buffer.byteLength(JSON.stringify(body));
        if (page.length > 0 && size + len > state.qvPageLimitBytes) {
          rest = files.slice(i);
          break;
        }
        page.push(body);
        size += len;
      }
      const delivered = files.slice(0, page.length);
      for (const f of delivered) f.status = 'R';
      const ctx = request?.Request?.TransactionReference?.CustomerContext;
      const response: Record<string, unknown> = {
        TransactionReference: {
          ...(typeof ctx === 'string' && ctx ? { CustomerContext: ctx } : {}),
          XpciVersion: '1.0007',
        },
        ResponseStatusCode: '1',
        ResponseStatusDescription: 'Success',
      };
      const out: Record<string, unknown> = {
        Response: response,
        QuantumViewEvents: {
          SubscriberID: SUBSCRIBER_ID,
          SubscriptionEvents: [
            {
              Name: SUBSCRIPTION_NAME,
              Number: '1',
              SubscriptionStatus: { Code: 'A', Description: 'Active' },
              DateRange: {
                BeginDate: qvDate(delivered[0]!.postedAtMs),
                EndDate: qvDate(delivered[delivered.length - 1]!.postedAtMs),
              },
              SubscriptionFile: page,
            },
          ],
        },
      };
      if (rest.length > 0)
        out.Bookmark = Buffer.from(`${SUBSCRIBER_ID}|${SUBSCRIPTION_NAME}|${rest[0]!.fileName}`).toString(
          'base64',
        );
      sendOk(res, state, { QuantumViewResponse: out });
    },
  );
  return router;
}
