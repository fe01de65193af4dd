/**
 * How the operator API answers when something goes wrong: a 400 that names the bad field, 404 for what
 * does not exist for this tenant, 409 for an action the record's state does not allow, and 502 carrying
 * Fusion's or UPS's own message when the call behind the action failed. Secrets never reach these
 * messages: the clients' errors are built from redacted texts.
 */
import type { Response } from 'express';
import { z } from 'zod';
import { FusionError } from '../fusion/errors.js';
import { UpsError } from '../ups/errors.js';

export class OperatorError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

export const notFound = (what: string) => new OperatorError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new OperatorError(409, 'conflict', message);

/** Parses `input` with `schema`; a failure becomes a 400 naming each bad field (e.g. "query.limit"). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const error = new OperatorError(
    400,
    'invalid_request',
    fields.map((f) => `${f.field}: ${f.message}`).join('; '),
  );
  Object.assign(error, { fields });
  throw error;
}

/** Writes the answer for an error; false when it is not one of ours (the app's handler then answers 500). */
export function sendError(res: Response, error: unknown): boolean {
  if (error instanceof OperatorError) {
    const fields = (error as OperatorError & { fields?: unknown }).fields;
    res
      .status(error.status)
      .json({ error: error.code, message: error.message, ...(fields ? { fields } : {}) });
    return true;
  }
  if (error instanceof FusionError) {
    if (error.kind === 'not-found') {
      res.status(404).json({ error: 'not_found', message: error.message });
    } else {
      res.status(502).json({ error: 'fusion_error', kind: error.kind, message: error.message });
    }
    return true;
  }
  if (error instanceof UpsError) {
    res.status(502).json({
      error: 'ups_error',
      kind: error.kind,
      message: error.message,
      ...(error.code ? { code: error.code } : {}),
    });
    return true;
  }
  return false;
}
