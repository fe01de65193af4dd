/**
 * The pipeline's UPS port over the real UPS client (backend/src/ups). One client serves one
 * (client id, merchant id); `clientFor` picks it per account so a tenant may bill several merchants.
 */
import { UpsError } from '../../ups/errors.js';
import type { UpsClient } from '../../ups/ups-client.js';
import type { AddressValidation, UpsAccount, UpsPort } from '../ports.js';

/** XAV covers street level only for the US and Puerto Rico (ups.md §4). */
const XAV_COUNTRIES = new Set(['US', 'PR']);

export function upsPort(clientFor: (account: UpsAccount) => UpsClient): UpsPort {
  return {
    async validateAddress(account, address): Promise<AddressValidation> {
      if (!XAV_COUNTRIES.has(address.countryCode.toUpperCase())) return { result: 'unsupported' };
      const r = await clientFor(account).validateAddress(address);
      if (r.result === 'valid' && r.standardised) {
        return { result: 'valid', address: r.standardised, residential: r.standardised.residential };
      }
      if (r.result === 'valid') return { result: 'valid', address, residential: undefined };
      return r.result === 'ambiguous'
        ? { result: 'ambiguous', candidates: r.candidates }
        : { result: 'no_candidates' };
    },

    async rate(query) {
      const r = await clientFor(query.account).rate(
        {
          shipperNumber: query.account.shipperNumber,
          shipper: query.shipper,
          shipFrom: query.shipFrom,
          shipTo: query.shipTo,
          packages: query.packages,
          serviceCode: query.mode === 'rate' ? query.serviceCode : undefined,
          customerContext: query.customerContext,
        },
        query.mode === 'shop' ? 'Shop' : 'Rate',
      );
      return r.quotes.map((q) => ({
        serviceCode: q.serviceCode,
        total: q.published,
        ...(q.negotiated ? { negotiated: q.negotiated } : {}),
        alerts: [...r.alerts, ...q.alerts].map((a) => `${a.code}: ${a.description}`),
      }));
    },

    async ship(order) {
      if (order.labelFormat !== 'GIF' && order.labelFormat !== 'ZPL') {
        throw new UpsError({
          kind: 'hard',
          operation: 'ship',
          upsMessage: `label format ${order.labelFormat} is not supported; use GIF or ZPL`,
        });
      }
      const r = await clientFor(order.account).ship({
        shipperNumber: order.account.shipperNumber,
        shipper: order.shipper,
        shipFrom: order.shipFrom,
        shipTo: order.shipTo,
        serviceCode: order.serviceCode,
        packages: order.packages,
        labelFormat: order.labelFormat,
        customerContext: order.customerContext,
        description: order.description,
      });
      return {
        shipmentIdentificationNumber: r.shipmentId,
        trackingNumbers: r.trackingNumbers,
        labels: r.labels.map((l) => ({
          trackingNumber: l.trackingNumber,
          format: l.format,
          graphicImage: l.imageBase64,
        })),
        ...(r.charges.total ? { charges: r.charges.total } : {}),
      };
    },

    async void(account, shipmentIdentificationNumber) {
      const r = await clientFor(account).voidShipment(shipmentIdentificationNumber);
      if (r.status !== 'voided' && r.status !== 'already_voided') {
        throw new UpsError({
          kind: 'hard',
          operation: 'void',
          upsMessage: `void of ${shipmentIdentificationNumber}: ${r.status}${r.description ? ` (${r.description})` : ''}`,
        });
      }
    },

    async findByReference(account, reference) {
      const r = await clientFor(account).trackByReference(reference, {
        shipperNumber: account.shipperNumber,
      });
      return r.packages.map((p) => ({ trackingNumber: p.trackingNumber, voided: p.status === 'voided' }));
    },

    async recoverByReference(account, reference, labelFormat = 'GIF') {
      let r: Awaited<ReturnType<UpsClient['recoverLabel']>>;
      try {
        r = await clientFor(account).recoverLabel({
          reference,
          shipperNumber: account.shipperNumber,
          labelFormat,
        });
      } catch (error) {
        // UPS answers "no label" as a 4xx: nothing under this reference. Anything else (5xx, network,
        // auth) is not an answer, and the caller keeps waiting.
        if (error instanceof UpsError && error.kind === 'hard' && (error.httpStatus ?? 0) < 500) return null;
        throw error;
      }
      if (r.labels.length === 0) return null;
      return {
        shipmentIdentificationNumber: r.shipmentId ?? null,
        trackingNumbers: r.labels.map((l) => l.trackingNumber),
        labels: r.labels.map((l) => ({
          trackingNumber: l.trackingNumber,
          format: l.format,
          graphicImage: l.imageBase64,
        })),
      };
    },

    async recoverLabel(account, trackingNumber, labelFormat = 'GIF') {
      const r = await clientFor(account).recoverLabel({ trackingNumber, labelFormat });
      const label = r.labels.find((l) => l.trackingNumber === trackingNumber) ?? r.labels[0];
      if (!label) return null;
      return {
        shipmentIdentificationNumber: r.shipmentId ?? null,
        label: {
          trackingNumber: label.trackingNumber,
          format: label.format,
          graphicImage: label.imageBase64,
        },
      };
    },
  };
}
