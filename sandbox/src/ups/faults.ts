/**
 * Fault injection per endpoint. A fault fires once (default), N times (`times`), or with a probability drawn
 * from the sandbox's seeded RNG (`probability`, unlimited unless `times` is also set).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { UpsState } from './state.js';
import { E } from './errors.js';
import { sendError } from './respond.js';

export const ENDPOINTS = [
  'token',
  'address-validation',
  'rating',
  'ship',
  'void',
  'label-recovery',
  'track',
  'track-reference',
  'track-alert',
  'quantum-view',
] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

export const FAULT_KINDS = [
  'latency',
  'hang',
  'rate-limit',
  'server-error',
  'malformed-json',
  'revoke-token',
  'accept-then-fail',
  'reference-lag',
  'blocked-merchant',
] as const;

/** Endpoints that look shipments up by reference, where `reference-lag` applies. */
const REFERENCE_ENDPOINTS = ['track-reference', 'label-recovery', '*'];

export const faultInput = z
  .object({
    endpoint: z.enum([...ENDPOINTS, '*']),
    kind: z.enum(FAULT_KINDS),
    times: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** server-error: 500, 502, 503 or 504 (default 503). */
    status: z.number().int().min(500).max(599).optional(),
    /** accept-then-fail: destroy the connection (default) or answer 500. */
    failWith: z.enum(['destroy', '5xx']).optional(),
    /** reference-lag: seconds (sandbox clock) after creation during which a shipment is not found by reference. */
    lagSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .refine((f) => f.kind !== 'reference-lag' || REFERENCE_ENDPOINTS.includes(f.endpoint), {
    message: 'reference-lag applies to endpoint track-reference, label-recovery or *',
    path: ['endpoint'],
  });
export type FaultInput = z.infer<typeof faultInput>;
export type FaultSpec = FaultInput & { id: number; remaining: number; fired: number };

let nextId = 1;

export function addFault(state: UpsState, input: FaultInput): FaultSpec {
  // A reference lag is a standing condition of UPS's index, not a one-off failure: it stays until removed.
  const standing = input.probability !== undefined || input.kind === 'reference-lag';
  const remaining = input.times ?? (standing ? Number.POSITIVE_INFINITY : 1);
  const spec: FaultSpec = { ...input, id: nextId++, remaining, fired: 0 };
  state.faults.push(spec);
  return spec;
}

/** Returns the faults that fire for this call, consuming their counts. */
export function drawFaults(state: UpsState, endpoint: EndpointName, random: () => number): FaultSpec[] {
  const fired: FaultSpec[] = [];
  for (const f of state.faults) {
    if (f.remaining <= 0) continue;
    if (f.endpoint !== '*' && f.endpoint !== endpoint) continue;
    if (f.probability !== undefined && random() >= f.probability) continue;
    f.remaining -= 1;
    f.fired += 1;
    fired.push(f);
  }
  state.faults = state.faults.filter((f) => f.remaining > 0);
  return fired;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bearerOf(req: Request): string | undefined {
  const h = req.get('authorization');
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** Whether a shipment created at `createdAtMs` is still missing from UPS's reference index (fault `reference-lag`). */
export function notYetIndexed(state: UpsState, res: Response, createdAtMs: number): boolean {
  const lagMs = (res.locals.referenceLagMs as number | undefined) ?? 0;
  return state.now() - createdAtMs < lagMs;
}

/** Express middleware that applies the faults drawn for `endpoint` before the real handler runs. */
export function faultGate(state: UpsState, endpoint: EndpointName, random: () => number): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    for (const f of drawFaults(state, endpoint, random)) {
      switch (f.kind) {
        case 'latency':
          await sleep(f.latencyMs ?? 2000);
          break;
        case 'hang':
          return; // never answers; the client's timeout decides
        case 'rate-limit':
          // No Retry-After header, as observed at UPS (ISS 8).
          return sendError(res, state, endpoint === 'token' ? E.quotaExceeded() : E.rateLimited());
        case 'blocked-merchant':
          return sendError(res, state, E.blockedMerchant());
        case 'server-error':
          return sendError(res, state, E.transient(f.status ?? 503));
        case 'malformed-json':
          res.status(200).type('application/json').send('{"response":{"ResponseStatus":{"Code":"1","Descr');
          return;
        case 'revoke-token': {
          const token = bearerOf(req);
          const owner = token ? state.tokens.get(token)?.clientId : undefined;
          for (const t of state.tokens.values())
            if (owner === undefined || t.clientId === owner) t.revoked = true;
          break;
        }
        case 'accept-then-fail':
          res.locals.acceptThenFail = f.failWith ?? 'destroy';
          break;
        case 'reference-lag':
          res.locals.referenceLagMs = Math.max(
            (res.locals.referenceLagMs as number | undefined) ?? 0,
            (f.lagSeconds ?? 60) * 1000,
          );
          break;
      }
    }
    next();
  };
}
