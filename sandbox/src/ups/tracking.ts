/**
 * Tracking v1 (Tracking.yaml): GET /api/track/v1/details/{inquiryNumber} and
 * GET /api/track/v1/reference/details/{referenceNumber}. Unknown numbers are HTTP 200 with warning TW0001,
 * malformed ones TV1002; activities newest first (ups.md §5).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { PackageEvent, TrackedPackage, UpsState } from './state.js';
import { E } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate, notYetIndexed } from './faults.js';
import { requireBearer } from './oauth.js';
import { isValid1Z } from './tracking-numbers.js';
import { advancePackages } from './package-events.js';
import { DOMESTIC_SERVICES, referencedBy } from './shipment-model.js';

const OFFSET_HOURS = -5;

function stamp(ms: number): { date: string; time: string } {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

/** Local (UTC-5) and GMT date/time of an event. */
export function eventTimes(ms: number) {
  const gmt = stamp(ms);
  const local = stamp(ms + OFFSET_HOURS * 3_600_000);
  return { localDate: local.date, localTime: local.time, gmtDate: gmt.date, gmtTime: gmt.time };
}

function status(e: PackageEvent) {
  return { type: e.type, description: e.description, code: e.code, statusCode: e.statusCode };
}

function activity(e: PackageEvent) {
  const t = eventTimes(e.atMs);
  return {
    location: {
      address: {
        city: e.city,
        stateProvince: e.stateProvince,
        postalCode: e.postalCode,
        country: e.country,
        countryCode: e.country,
      },
    },
    status: status(e),
    date: t.localDate,
    time: t.localTime,
    gmtDate: t.gmtDate,
    gmtTime: t.gmtTime,
    gmtOffset: '-05:00',
  };
}

/**
 * A package as the Tracking API shows it. Type U (updated delivery) activities are Track Alert only (ups.md §5):
 * left out unless `includeUpdates` (the scenario API's full view); their new date still shows as RDD.
 */
export function trackPackage(
  state: UpsState,
  pkg: TrackedPackage,
  { includeUpdates = false }: { includeUpdates?: boolean } = {},
): Record<string, unknown> {
  const shipment = state.shipments.get(pkg.shipmentIdentificationNumber);
  const ledger = shipment?.packages.find((p) => p.trackingNumber === pkg.trackingNumber);
  // Ties (frozen clock) keep the later-recorded event first.
  const newestFirst = [...pkg.events]
    .reverse()
    .sort((a, b) => b.atMs - a.atMs)
    .filter((e) => includeUpdates || e.type !== 'U');
  const current = newestFirst[0];
  const delivered = pkg.events.find((e) => e.type === 'D');
  const rescheduled = [...pkg.events]
    .reverse()
    .find((e) => e.rescheduledDeliveryDate)?.rescheduledDeliveryDate;
  const deliveryDate = delivered
    ? [{ type: 'DEL', date: eventTimes(delivered.atMs).localDate }]
    : [
        { type: 'SDD', date: pkg.scheduledDeliveryDate },
        ...(rescheduled ? [{ type: 'RDD', date: rescheduled }] : []),
      ];
  const svc = DOMESTIC_SERVICES.find((s) => s.code === shipment?.serviceCode);
  const out: Record<string, unknown> = {
    trackingNumber: pkg.trackingNumber,
    deliveryDate,
    deliveryTime: delivered
      ? { type: 'DEL', endTime: eventTimes(delivered.atMs).localTime }
      : { type: 'EOD', startTime: '', endTime: '230000' },
    activity: newestFirst.map(activity),
    ...(current
      ? { currentStatus: { ...status(current), simplifiedTextDescription: current.description } }
      : {}),
    packageCount: shipment?.packages.length ?? 1,
  };
  if (shipment) {
    out.packageAddress = [
      {
        type: 'ORIGIN',
        address: {
          city: shipment.shipFrom.city,
          stateProvince: shipment.shipFrom.stateProvinceCode,
          countryCode: shipment.shipFrom.countryCode,
          country: shipment.shipFrom.countryCode,
        },
      },
      {
        type: 'DESTINATION',
        name: shipment.shipTo.name,
        address: {
          city: shipment.shipTo.city,
          stateProvince: shipment.shipTo.stateProvinceCode,
          postalCode: shipment.shipTo.postalCode,
          countryCode: shipment.shipTo.countryCode,
          country: shipment.shipTo.countryCode,
        },
      },
    ];
    out.service = {
      code: shipment.serviceCode,
      levelCode: shipment.serviceCode,
      description: svc?.name ?? '',
    };
    out.referenceNumber = [
      ...shipment.shipmentReferences.map((number) => ({ type: 'SHIPMENT', number })),
      ...(ledger?.references ?? []).map((number) => ({ type: 'PACKAGE', number })),
    ];
    if (ledger) out.weight = { unitOfMeasurement: 'LBS', weight: ledger.weightLbs.toFixed(2) };
  }
  if (delivered) out.deliveryInformation = { receivedBy: delivered.receivedBy ?? '', location: 'Front Door' };
  return out;
}

const notFound = (inquiryNumber: string) => ({
  trackResponse: {
    shipment: [{ inquiryNumber, warnings: [{ code: 'TW0001', message: 'Tracking Information Not Found' }] }],
  },
});

/** Tracking requires transId and transactionSrc (Tracking.yaml parameters). */
function requireTransHeaders(req: Request, _res: Response, next: NextFunction) {
  const transId = req.get('transId');
  if (!transId || transId.length > 32) throw E.trackTransId();
  const src = req.get('transactionSrc');
  if (!src || src.length > 512) throw E.trackTransactionSrc();
  next();
}

function pickupDay(q: unknown, fallback: number): number {
  const m = typeof q === 'string' ? /^(\d{4})(\d{2})(\d{2})$/.exec(q) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : fallback;
}

export function trackingRouter(state: UpsState, random: () => number): Router {
  const router = express.Router();
  router.get(
    '/api/track/v1/details/:inquiryNumber',
    faultGate(state, 'track', random),
    requireBearer(state),
    requireTransHeaders,
    (req: Request, res: Response) => {
      advancePackages(state);
      const n = String(req.params.inquiryNumber).trim().toUpperCase();
      if (!/^[0-9A-Z]{7,34}$/.test(n) || (n.startsWith('1Z') && !isValid1Z(n))) throw E.invalidInquiry();
      const pkg = state.packages.get(n);
      if (!pkg) return sendOk(res, state, notFound(n));
      sendOk(res, state, {
        trackResponse: { shipment: [{ inquiryNumber: n, package: [trackPackage(state, pkg)] }] },
      });
    },
  );
  router.get(
    '/api/track/v1/reference/details/:referenceNumber',
    faultGate(state, 'track-reference', random),
    requireBearer(state),
    requireTransHeaders,
    (req: Request, res: Response) => {
      advancePackages(state);
      const ref = String(req.params.referenceNumber).trim();
      if (ref === '' || ref.length > 35) throw E.invalidReference();
      const now = state.now();
      const from = pickupDay(req.query.fromPickUpDate, now - 14 * 86_400_000);
      const to = pickupDay(req.query.toPickUpDate, now) + 86_400_000;
      const shipperNum = typeof req.query.shipperNum === 'string' ? req.query.shipperNum.trim() : '';
      const destZip = typeof req.query.destZip === 'string' ? req.query.destZip.trim() : '';
      const found: TrackedPackage[] = [];
      for (const s of state.shipments.values()) {
        if (s.createdAtMs < from || s.createdAtMs >= to) continue;
        if (shipperNum && s.shipperNumber !== shipperNum) continue;
        if (destZip && !s.shipTo.postalCode.startsWith(destZip.slice(0, 5))) continue;
        if (notYetIndexed(state, res, s.createdAtMs)) continue;
        for (const p of referencedBy(s, ref)) {
          const pkg = state.packages.get(p.trackingNumber);
          if (pkg) found.push(pkg);
        }
      }
      if (found.length === 0) return sendOk(res, state, notFound(ref));
      sendOk(res, state, {
        trackResponse: {
          shipment: [{ inquiryNumber: ref, package: found.map((p) => trackPackage(state, p)) }],
        },
      });
    },
  );
  return router;
}
