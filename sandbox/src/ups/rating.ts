/**
 * POST /api/rating/{version}/{Rate|Shop|Ratetimeintransit|Shoptimeintransit} (Rating.yaml). Rate answers one
 * RatedShipment for the requested service; Shop one per service the route allows (ups.md §2).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { UpsClient, UpsState } from './state.js';
import type { UpsJson } from './shipment-model.js';
import { E, UpsError } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate } from './faults.js';
import { requireBearer } from './oauth.js';
import {
  DOMESTIC_SERVICES,
  addBusinessDays,
  checkService,
  money,
  parseShipment,
  price,
  yyyymmdd,
  type ParsedShipment,
  type Priced,
} from './shipment-model.js';

const OPTIONS = new Map(['rate', 'shop', 'ratetimeintransit', 'shoptimeintransit'].map((o) => [o, o]));
const usd = (n: number) => ({ CurrencyCode: 'USD', MonetaryValue: money(n) });
const lbs = (n: number) => ({
  UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' },
  Weight: n.toFixed(1),
});
const DAY_NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

export function ratedShipment(
  p: Priced,
  opts: { negotiated: boolean; timeInTransit?: Date },
): Record<string, unknown> {
  const rs: Record<string, unknown> = {
    Service: { Code: p.service.code },
    Zone: String(p.zone).padStart(3, '0'),
    RatedShipmentAlert: [
      { Code: '110971', Description: 'Your invoice may vary from the displayed reference rates' },
    ],
    BillingWeight: lbs(p.billableLbs),
    TransportationCharges: usd(p.transportation),
    BaseServiceCharge: usd(p.base),
    ItemizedCharges: p.itemized,
    ServiceOptionsCharges: usd(p.serviceOptions),
    TotalCharges: usd(p.total),
    RatedPackage: p.perPackage.map((x) => ({
      BaseServiceCharge: usd(x.base),
      TransportationCharges: usd(x.transport),
      ServiceOptionsCharges: usd(0),
      TotalCharges: usd(x.transport),
      Weight: x.billableLbs.toFixed(1),
      BillingWeight: lbs(x.billableLbs),
    })),
  };
  if (opts.negotiated) rs.NegotiatedRateCharges = { TotalCharge: usd(p.negotiatedTotal) };
  if (opts.timeInTransit) {
    const pickup = opts.timeInTransit;
    const arrival = addBusinessDays(pickup, p.businessDays);
    rs.TimeInTransit = {
      PickupDate: yyyymmdd(pickup),
      PackageBillType: '03',
      ServiceSummary: {
        Service: { Description: p.service.name },
        GuaranteedIndicator: '',
        EstimatedArrival: {
          Arrival: {
            Date: yyyymmdd(arrival),
            Time: p.service.code === '14' ? '080000' : p.service.days === 'zone' ? '230000' : '103000',
          },
          BusinessDaysInTransit: String(p.businessDays),
          Pickup: { Date: yyyymmdd(pickup), Time: '170000' },
          DayOfWeek: DAY_NAMES[arrival.getUTCDay()]!,
          TotalTransitDays: String(Math.round((arrival.getTime() - pickup.getTime()) / 86_400_000)),
        },
      },
    };
  }
  return rs;
}

function negotiatedFor(client: UpsClient, p: ParsedShipment): boolean {
  return p.shipperNumber !== undefined && client.shipperNumbers.includes(p.shipperNumber);
}

function hasDeliveryTimeInformation(shipment: UpsJson): boolean {
  const billType = shipment?.DeliveryTimeInformation?.PackageBillType;
  return typeof billType === 'string' && billType.trim() !== '';
}

function pickupDate(body: UpsJson, now: Date): Date {
  const d =
    typeof body?.DeliveryTimeInformation?.Pickup?.Date === 'string'
      ? body.DeliveryTimeInformation.Pickup.Date
      : '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d);
  return m
    ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function ratingRouter(state: UpsState, random: () => number): Router {
  const router = express.Router();
  router.post(
    '/api/rating/:version/:requestoption',
    faultGate(state, 'rating', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      const option = OPTIONS.get(String(req.params.requestoption).toLowerCase());
      if (!option) throw E.malformedBody(`unknown requestoption "${String(req.params.requestoption)}"`);
      const rateRequest = req.body?.RateRequest;
      const parsed = parseShipment(rateRequest?.Shipment);
      const client = res.locals.client as UpsClient;
      const shop = option.startsWith('shop');
      const tnt = option.endsWith('timeintransit') || req.query.additionalinfo === 'timeintransit';
      const negotiated = parsed.negotiatedRequested && negotiatedFor(client, parsed);
      // ups.md §2: DeliveryTimeInformation (PackageBillType required) is what asks UPS for time in transit.
      if (tnt && !hasDeliveryTimeInformation(rateRequest?.Shipment)) throw E.tntWithoutDeliveryTime();

      let rated: Priced[];
      if (shop) {
        rated = DOMESTIC_SERVICES.flatMap((svc) => {
          try {
            return [price(parsed, checkService(parsed, svc.code))];
          } catch (e) {
            if (e instanceof UpsError && e.code === '111035') throw e;
            return [];
          }
        });
        if (rated.length === 0) throw E.serviceUnavailableLocations();
      } else {
        rated = [price(parsed, checkService(parsed, parsed.serviceCode ?? '03'))];
      }
      const alerts = [
        { Code: '110971', Description: 'Your invoice may vary from the displayed reference rates' },
      ];
      if (parsed.negotiatedRequested && !negotiated) {
        alerts.push({
          Code: '120900',
          Description: 'User Id and Shipper Number combination is not qualified to receive negotiated rates',
        });
      }
      const response: Record<string, unknown> = {
        ResponseStatus: { Code: '1', Description: 'Success' },
        Alert: alerts,
      };
      const ctx = rateRequest?.Request?.TransactionReference?.CustomerContext;
      if (typeof ctx === 'string' && ctx !== '') response.TransactionReference = { CustomerContext: ctx };
      const pickup = tnt ? pickupDate(rateRequest?.Shipment, state.clock.now()) : undefined;
      sendOk(res, state, {
        RateResponse: {
          Response: response,
          RatedShipment: rated.map((p) =>
            ratedShipment(p, { negotiated, ...(pickup ? { timeInTransit: pickup } : {}) }),
          ),
        },
      });
    },
  );
  return router;
}
