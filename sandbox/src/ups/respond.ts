/** Sends UPS success and error bodies, applying the sandbox's quirk modes and "accept then fail" faults. */
import type { Response } from 'express';
import type { UpsState } from './state.js';
import { UpsError, errorBody } from './errors.js';
import { applyBodyQuirks, emptyBodyErrorHeaders } from './quirks.js';

/** Set by the fault gate: the handler does its work, then the response is lost. */
export type AcceptThenFail = 'destroy' | '5xx';

function failAfterAccept(res: Response): boolean {
  const mode = res.locals.acceptThenFail as AcceptThenFail | undefined;
  if (!mode) return false;
  if (mode === 'destroy') {
    res.socket?.destroy();
  } else {
    const e = new UpsError(
      500,
      '10004',
      'Something went wrong while processing your request, please try again later',
    );
    res.status(500).json(errorBody(e.code, e.message));
  }
  return true;
}

export function sendOk(res: Response, state: UpsState, body: unknown, status = 200): void {
  if (failAfterAccept(res)) return;
  res.status(status).json(applyBodyQuirks(state.quirks, body));
}

export function sendError(res: Response, state: UpsState, err: UpsError): void {
  if (failAfterAccept(res)) return;
  if (state.quirks.has('empty-body-errors')) {
    res.status(200).set(emptyBodyErrorHeaders(err.code, err.message)).end();
    return;
  }
  res.status(err.status).json(errorBody(err.code, err.message, err.extra));
}
