/**
 * Shipping v2409 (Shipping.yaml): POST /api/shipments/{v}/ship, DELETE /api/shipments/{v}/void/cancel/{id},
 * POST /api/labels/{v}/recovery. Every created and voided shipment is kept in the ledger (ups.md §3).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { LedgerShipment, UpsClient, UpsState } from './state.js';
import type { UpsJson } from './shipment-model.js';
import { E } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate, notYetIndexed } from './faults.js';
import { requireBearer } from './oauth.js';
import { make1Z } from './tracking-numbers.js';
import { labelImage } from './labels.js';
import { startPackage, voidPackage } from './package-events.js';
import {
  asArray,
  checkService,
  domesticPair,
  money,
  parseShipment,
  price,
  referencedBy,
} from './shipment-model.js';

const usd = (n: number) => ({ CurrencyCode: 'USD', MonetaryValue: money(n) });
const success = { ResponseStatus: { Code: '1', Description: 'Success' } };

function labelFormat(spec: UpsJson): 'GIF' | 'ZPL' {
  const code =
    typeof spec?.LabelImageFormat?.Code === 'string' ? spec.LabelImageFormat.Code.trim().toUpperCase() : '';
  return code === 'ZPL' ? 'ZPL' : 'GIF';
}

function withContext(response: Record<string, unknown>, request: UpsJson): Record<string, unknown> {
  const ctx = request?.TransactionReference?.CustomerContext;
  return typeof ctx === 'string' && ctx !== ''
    ? { ...response, TransactionReference: { CustomerContext: ctx } }
    : response;
}

function ship(state: UpsState, client: UpsClient, body: UpsJson) {
  const request = body?.ShipmentRequest;
  const p = parseShipment(request?.Shipment);
  if (!p.shipperNumber || !client.shipperNumbers.includes(p.shipperNumber)) throw E.shipperNumber();
  if (p.billShipperAccount !== undefined && p.billShipperAccount !== p.shipperNumber)
    throw E.billShipperMismatch();
  if (p.shipTo.addressLines.length === 0) throw E.shipToAddressLine();
  if (p.shipTo.countryCode === 'US' && !/^\d{5}(-?\d{4})?$/.test(p.shipTo.postalCode)) throw E.shipToPostal();
  if (!p.shipper.postalCode || !p.shipper.countryCode) throw E.shipperAddress();
  const service = checkService(p, p.serviceCode ?? '');
  const charges = price(p, service);
  const format = labelFormat(request?.LabelSpecification);
  const numbers = p.packages.map(() => make1Z(p.shipperNumber!, service.code, (state.sequence += 1)));
  const shipment: LedgerShipment = {
    shipmentIdentificationNumber: numbers[0]!,
    clientId: client.clientId,
    shipperNumber: p.shipperNumber,
    shipperName: p.shipperName,
    shipTo: p.shipTo,
    shipFrom: p.shipFrom,
    serviceCode: service.code,
    packages: p.packages.map((pkg, i) => ({
      trackingNumber: numbers[i]!,
      weightLbs: pkg.weightLbs,
      references: pkg.references,
      labelFormat: format,
    })),
    // ups.md §3.1: shipment-level references are valid only off US/US and PR/PR; there UPS ignores them.
    shipmentReferences: domesticPair(p) ? [] : p.shipmentReferences,
    totalCharges: money(charges.total),
    createdAtMs: state.now(),
  };
  const ctx = request?.Request?.TransactionReference?.CustomerContext;
  if (typeof ctx === 'string' && ctx !== '') shipment.customerContext = ctx;
  state.shipments.set(shipment.shipmentIdentificationNumber, shipment);
  for (const n of numbers) {
    state.packageIndex.set(n, shipment.shipmentIdentificationNumber);
    startPackage(state, shipment, n, charges.businessDays);
  }
  const negotiated = p.negotiatedRequested;
  const alerts = [
    { Code: '110971', Description: 'Your invoice may vary from the displayed reference rates' },
  ];
  const results: Record<string, unknown> = {
    ShipmentCharges: {
      BaseServiceCharge: usd(charges.base),
      TransportationCharges: usd(charges.transportation),
      ItemizedCharges: charges.itemized,
      ServiceOptionsCharges: usd(charges.serviceOptions),
      TotalCharges: usd(charges.total),
    },
    ...(negotiated ? { NegotiatedRateCharges: { TotalCharge: usd(charges.negotiatedTotal) } } : {}),
    // Real responses carry "1.0"-style weights, shorter than the spec's minLength 8 (ups-contract-overlay).
    BillingWeight: {
      UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' },
      Weight: charges.billableLbs.toFixed(1),
    },
    ShipmentIdentificationNumber: shipment.shipmentIdentificationNumber,
    PackageResults: numbers.map((n, i) => ({
      TrackingNumber: n,
      BaseServiceCharge: usd(charges.perPackage[i]!.base),
      ServiceOptionsCharges: usd(0),
      ShippingLabel: {
        ImageFormat: { Code: format, Description: format },
        GraphicImage: labelImage(shipment, n, format),
      },
      ItemizedCharges: [
        {
          Code: '375',
          Description: 'FUEL SURCHARGE',
          CurrencyCode: 'USD',
          MonetaryValue: money(charges.perPackage[i]!.transport - charges.perPackage[i]!.base),
        },
      ],
    })),
  };
  return {
    ShipmentResponse: {
      Response: withContext({ ...success, Alert: alerts }, request?.Request),
      ShipmentResults: results,
    },
  };
}

function parseTrackingQuery(q: unknown): string[] | undefined {
  if (typeof q !== 'string' || q.trim() === '') return undefined;
  const t = q.trim();
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr)) return arr.map(String);
    } catch {
      return [t];
    }
  }
  return [t];
}

function voidShipment(state: UpsState, client: UpsClient, id: string, trackingQuery: unknown) {
  const shipment = state.shipments.get(id);
  if (!shipment || !client.shipperNumbers.includes(shipment.shipperNumber)) throw E.voidWindow();
  if (state.now() - shipment.createdAtMs > state.voidWindowSeconds * 1000) throw E.voidWindow();
  const wanted = parseTrackingQuery(trackingQuery);
  const targets = wanted
    ? shipment.packages.filter((p) => wanted.includes(p.trackingNumber))
    : shipment.packages;
  if (wanted && targets.length !== wanted.length) throw E.voidWindow();
  const results = targets.map((p) => {
    const already = p.voidedAtMs !== undefined;
    if (!already) {
      p.voidedAtMs = state.now();
      const pkg = state.packages.get(p.trackingNumber);
      if (pkg) voidPackage(state, pkg);
    }
    return {
      TrackingNumber: p.trackingNumber,
      Status: { Code: '1', Description: already ? 'Already Voided' : 'Voided' },
    };
  });
  if (shipment.voidedAtMs === undefined && shipment.packages.every((p) => p.voidedAtMs !== undefined)) {
    shipment.voidedAtMs = state.now();
  }
  return {
    VoidShipmentResponse: {
      Response: success,
      SummaryResult: { Status: { Code: '1', Description: 'Voided' } },
      PackageLevelResults: results,
    },
  };
}

function recoverLabels(state: UpsState, res: Response, body: UpsJson) {
  const client = res.locals.client as UpsClient;
  const request = body?.LabelRecoveryRequest;
  let numbers: string[] = [];
  if (typeof request?.TrackingNumber === 'string') numbers = [request.TrackingNumber.trim()];
  else if (request?.TrackingNumbers)
    numbers = asArray<unknown>(request.TrackingNumbers).map((x) => String(x).trim());
  let shipment = numbers[0] ? state.shipmentOf(numbers[0]) : undefined;
  const ref = request?.ReferenceValues;
  if (!shipment && ref) {
    const value = String(ref.ReferenceNumber?.Value ?? '').trim();
    const shipper = String(ref.ShipperNumber ?? '').trim();
    shipment = [...state.shipments.values()]
      .reverse()
      .find(
        (s) =>
          s.voidedAtMs === undefined &&
          s.shipperNumber === shipper &&
          !notYetIndexed(state, res, s.createdAtMs) &&
          referencedBy(s, value).length > 0,
      );
    numbers = shipment ? shipment.packages.map((p) => p.trackingNumber) : [];
  }
  if (
    !shipment ||
    shipment.voidedAtMs !== undefined ||
    !client.shipperNumbers.includes(shipment.shipperNumber)
  )
    throw E.labelNotFound();
  const requested = request?.LabelSpecification?.LabelImageFormat?.Code;
  const results = shipment.packages
    .filter((p) => numbers.includes(p.trackingNumber) && p.voidedAtMs === undefined)
    .map((p) => {
      const format =
        typeof requested === 'string' && requested.trim() !== ''
          ? labelFormat(request.LabelSpecification)
          : p.labelFormat;
      return {
        TrackingNumber: p.trackingNumber,
        LabelImage: {
          LabelImageFormat: { Code: format },
          GraphicImage: labelImage(shipment, p.trackingNumber, format),
        },
      };
    });
  if (results.length === 0) throw E.labelNotFound();
  return {
    LabelRecoveryResponse: {
      Response: withContext(success, request?.Request),
      ShipmentIdentificationNumber: shipment.shipmentIdentificationNumber,
      LabelResults: results,
    },
  };
}

export function shippingRouter(state: UpsState, random: () => number): Router {
  const router = express.Router();
  const client = (res: Response) => res.locals.client as UpsClient;
  router.post(
    '/api/shipments/:version/ship',
    faultGate(state, 'ship', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      sendOk(res, state, ship(state, client(res), req.body));
    },
  );
  router.delete(
    '/api/shipments/:version/void/cancel/:id',
    faultGate(state, 'void', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      sendOk(res, state, voidShipment(state, client(res), String(req.params.id), req.query.trackingnumber));
    },
  );
  router.post(
    '/api/labels/:version/recovery',
    faultGate(state, 'label-recovery', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      sendOk(res, state, recoverLabels(state, res, req.body));
    },
  );
  return router;
}
