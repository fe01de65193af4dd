/**
 * POST /api/addressvalidation/{version}/{requestoption} (AddressValidation.yaml): 1 validation, 2 classification,
 * 3 both. Indicators are presence flags whose value is "" (ups.md §4).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { UpsState } from './state.js';
import type { UpsJson } from './shipment-model.js';
import { E } from './errors.js';
import { sendOk } from './respond.js';
import { faultGate } from './faults.js';
import { requireBearer } from './oauth.js';
import { cieStateAllowed } from './quirks.js';
import { lookupAddress, type BookAddress } from './address-book.js';

const CLASSIFICATION: Record<string, string> = { '0': 'Unclassified', '1': 'Commercial', '2': 'Residential' };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function lines(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function classification(code: string) {
  return { Code: code, Description: CLASSIFICATION[code] ?? 'Unclassified' };
}

function candidate(a: BookAddress, withClass: boolean) {
  return {
    ...(withClass ? { AddressClassification: classification(a.classification) } : {}),
    AddressKeyFormat: {
      AddressLine: [`${a.number} ${a.street}`, ...(a.secondary ? [a.secondary] : [])],
      PoliticalDivision2: a.city,
      PoliticalDivision1: a.state,
      PostcodePrimaryLow: a.zip5,
      PostcodeExtendedLow: a.zip4,
      Region: `${a.city} ${a.state} ${a.zip5}-${a.zip4}`,
      CountryCode: 'US',
    },
  };
}

export function addressValidationRouter(state: UpsState, random: () => number): Router {
  const router = express.Router();
  router.post(
    '/api/addressvalidation/:version/:requestoption',
    faultGate(state, 'address-validation', random),
    requireBearer(state),
    (req: Request, res: Response) => {
      const option = String(req.params.requestoption);
      if (!['1', '2', '3'].includes(option)) throw E.xavRequestOption();
      const body = req.body as Record<string, UpsJson> | undefined;
      const akf = body?.XAVRequest?.AddressKeyFormat;
      const key = (Array.isArray(akf) ? akf[0] : akf) as Record<string, unknown> | undefined;
      const country = str(key?.CountryCode)?.toUpperCase();
      if (!key || !country || country.length !== 2) throw E.xavCountry();
      const stateCode = str(key.PoliticalDivision1)?.toUpperCase();
      if (state.quirks.has('cie-states') && !cieStateAllowed(stateCode)) throw E.xavCieState();

      const verdict = lookupAddress({
        lines: lines(key.AddressLine),
        city: str(key.PoliticalDivision2),
        state: stateCode,
        postalCode: str(key.PostcodePrimaryLow),
        countryCode: country,
      });
      const max = Number(req.query.maximumcandidatelistsize ?? 15);
      const limit = Number.isFinite(max) ? Math.max(0, Math.min(50, Math.trunc(max))) : 15;
      const withCandidates = option !== '2';
      const withClass = option !== '1';

      const xav: Record<string, unknown> = {
        Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
      };
      const customerContext = str(body?.XAVRequest?.Request?.TransactionReference?.CustomerContext);
      if (customerContext)
        (xav.Response as Record<string, unknown>).TransactionReference = { CustomerContext: customerContext };

      let found: BookAddress[] = [];
      if (verdict.kind === 'valid') {
        xav.ValidAddressIndicator = '';
        found = [verdict.candidate];
      } else if (verdict.kind === 'ambiguous') {
        xav.AmbiguousAddressIndicator = '';
        found = verdict.candidates;
      } else {
        xav.NoCandidatesIndicator = '';
      }
      if (withClass) {
        xav.AddressClassification = classification(
          verdict.kind === 'valid' ? verdict.candidate.classification : '0',
        );
      }
      if (withCandidates && found.length > 0 && limit > 0) {
        xav.Candidate = found.slice(0, limit).map((a) => candidate(a, withClass));
      }
      sendOk(res, state, { XAVResponse: xav });
    },
  );
  return router;
}
