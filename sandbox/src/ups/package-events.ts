/**
 * How packages move: each shipped package gets a planned route (origin scan → departure → arrival → out for
 * delivery → delivered) due at times on the sandbox clock. Advancing the clock applies due steps; the scenario
 * API can also apply the next step, deliver now, or raise an exception (which reschedules delivery, type U).
 */
import type { LedgerShipment, PackageEvent, PlannedStep, TrackedPackage, UpsState } from './state.js';
import { addBusinessDays, yyyymmdd } from './shipment-model.js';

const HOUR = 3_600_000;

type Place = Pick<PackageEvent, 'city' | 'stateProvince' | 'postalCode' | 'country'>;

function placeOf(
  a: { city: string; stateProvinceCode: string; countryCode: string },
  postalCode = '',
): Place {
  return {
    city: a.city.toUpperCase(),
    stateProvince: a.stateProvinceCode,
    postalCode,
    country: a.countryCode || 'US',
  };
}

const STEP_EVENTS: Record<
  PlannedStep['kind'],
  Pick<PackageEvent, 'type' | 'code' | 'description' | 'statusCode'>
> = {
  'origin-scan': { type: 'I', code: 'OR', description: 'Origin Scan', statusCode: '005' },
  departure: { type: 'I', code: 'DP', description: 'Departed from Facility', statusCode: '005' },
  arrival: { type: 'I', code: 'AR', description: 'Arrived at Facility', statusCode: '005' },
  'out-for-delivery': { type: 'I', code: 'OT', description: 'Out For Delivery Today', statusCode: '021' },
  delivered: { type: 'D', code: 'FS', description: 'DELIVERED', statusCode: '011' },
};

function emit(state: UpsState, pkg: TrackedPackage, event: PackageEvent): void {
  pkg.events.push(event);
  for (const listener of state.eventListeners) listener(pkg, event);
}

/** Creates the package's manifest event and its planned route; `days` are business days in transit. */
export function startPackage(
  state: UpsState,
  shipment: LedgerShipment,
  trackingNumber: string,
  days: number,
): TrackedPackage {
  const t = shipment.createdAtMs;
  const delivery = addBusinessDays(new Date(t), days);
  const deliveredAt = Date.UTC(
    delivery.getUTCFullYear(),
    delivery.getUTCMonth(),
    delivery.getUTCDate(),
    19,
    30,
  );
  const pkg: TrackedPackage = {
    trackingNumber,
    shipmentIdentificationNumber: shipment.shipmentIdentificationNumber,
    events: [],
    scheduledDeliveryDate: yyyymmdd(delivery),
    plan: [
      { kind: 'origin-scan', dueAtMs: t + 6 * HOUR },
      { kind: 'departure', dueAtMs: t + 10 * HOUR },
      { kind: 'arrival', dueAtMs: Math.max(t + 12 * HOUR, deliveredAt - 10 * HOUR) },
      { kind: 'out-for-delivery', dueAtMs: Math.max(t + 13 * HOUR, deliveredAt - 6 * HOUR) },
      { kind: 'delivered', dueAtMs: Math.max(t + 14 * HOUR, deliveredAt) },
    ],
  };
  state.packages.set(trackingNumber, pkg);
  emit(state, pkg, {
    type: 'M',
    code: 'MP',
    description: 'Shipment Ready for UPS',
    statusCode: '003',
    ...placeOf(shipment.shipFrom),
    city: '',
    stateProvince: '',
    atMs: t,
  });
  return pkg;
}

function stepPlace(state: UpsState, pkg: TrackedPackage, kind: PlannedStep['kind']): Place {
  const s = state.shipments.get(pkg.shipmentIdentificationNumber);
  if (!s) return { city: '', stateProvince: '', postalCode: '', country: 'US' };
  if (kind === 'origin-scan' || kind === 'departure') return placeOf(s.shipFrom);
  if (kind === 'delivered') return placeOf(s.shipTo, s.shipTo.postalCode.slice(0, 5));
  return placeOf(s.shipTo);
}

function isFinished(pkg: TrackedPackage): boolean {
  return pkg.events.some((e) => e.type === 'D' || e.type === 'MV');
}

function applyStep(state: UpsState, pkg: TrackedPackage, step: PlannedStep, atMs: number): PackageEvent {
  const event: PackageEvent = { ...STEP_EVENTS[step.kind], ...stepPlace(state, pkg, step.kind), atMs };
  if (step.kind === 'delivered') event.receivedBy = 'FRONT DESK';
  emit(state, pkg, event);
  return event;
}

/** Applies every planned step that is due on the sandbox clock, oldest first, across all packages. */
export function advancePackages(state: UpsState): number {
  const now = state.now();
  const due: Array<[TrackedPackage, PlannedStep]> = [];
  for (const pkg of state.packages.values()) {
    if (isFinished(pkg)) continue;
    for (const step of pkg.plan) if (step.dueAtMs <= now) due.push([pkg, step]);
  }
  due.sort((a, b) => a[1].dueAtMs - b[1].dueAtMs);
  for (const [pkg, step] of due) {
    pkg.plan = pkg.plan.filter((s) => s !== step);
    applyStep(state, pkg, step, step.dueAtMs);
  }
  return due.length;
}

export type MoveAction = 'next' | 'deliver' | 'exception';

/** Scenario moves, all at the current clock reading. Returns the events created. */
export function movePackage(state: UpsState, pkg: TrackedPackage, action: MoveAction): PackageEvent[] {
  if (isFinished(pkg)) return [];
  const now = state.now();
  const before = pkg.events.length;
  if (action === 'next') {
    const step = pkg.plan.shift();
    if (step) applyStep(state, pkg, step, now);
  } else if (action === 'deliver') {
    const remaining = pkg.plan;
    pkg.plan = [];
    // Out for delivery first if it has not happened, then delivered one minute later.
    const ot = remaining.find((s) => s.kind === 'out-for-delivery');
    if (ot) applyStep(state, pkg, ot, now);
    applyStep(state, pkg, { kind: 'delivered', dueAtMs: now }, ot ? now + 60_000 : now);
  } else {
    const s = state.shipments.get(pkg.shipmentIdentificationNumber);
    const place = s ? placeOf(s.shipTo) : { city: '', stateProvince: '', postalCode: '', country: 'US' };
    const next = addBusinessDays(new Date(now), 1);
    pkg.scheduledDeliveryDate = yyyymmdd(next);
    emit(state, pkg, {
      type: 'X',
      code: 'XA',
      description:
        'The receiver was not available for delivery. We will make a second attempt the next business day.',
      statusCode: '013',
      ...place,
      atMs: now,
      rescheduledDeliveryDate: pkg.scheduledDeliveryDate,
    });
    emit(state, pkg, {
      type: 'U',
      code: 'UD',
      description: 'Updated Delivery Date',
      statusCode: '154',
      ...place,
      atMs: now + 1000,
      rescheduledDeliveryDate: pkg.scheduledDeliveryDate,
    });
    const shift = next.getTime() - now;
    pkg.plan = pkg.plan.map((st) => ({ ...st, dueAtMs: Math.max(st.dueAtMs, now) + shift }));
  }
  return pkg.events.slice(before);
}

/** A voided shipment's packages end with an MV (billing information voided) event. */
export function voidPackage(state: UpsState, pkg: TrackedPackage): void {
  if (isFinished(pkg)) return;
  pkg.plan = [];
  emit(state, pkg, {
    type: 'MV',
    code: 'MV',
    description: 'Shipment Information Voided',
    statusCode: '007',
    city: '',
    stateProvince: '',
    postalCode: '',
    country: 'US',
    atMs: state.now(),
  });
}
