/**
 * Fusion's error answers. REST-Framework-Version 4+ returns a JSON error body when the client accepts
 * JSON; earlier versions return the message as plain text (fusion.md §5.5, §5.6).
 */
import type { NextFunction, Request, Response } from 'express';
import { QueryError } from './q-filter.js';

export class FusionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const SUPPORTED_FRAMEWORK_VERSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The version the request asked for (header `REST-Framework-Version`), default 1 as in Fusion. */
export function frameworkVersion(req: Request): number {
  const v = (req.res?.locals as { frameworkVersion?: number } | undefined)?.frameworkVersion;
  return v ?? 1;
}

function acceptsJson(req: Request): boolean {
  const accept = req.get('accept');
  if (!accept) return true;
  return /application\/(json|vnd\.oracle\.adf\.error\+json|\*)|\*\/\*/.test(accept);
}

export function sendError(req: Request, res: Response, err: FusionError): void {
  if (err.status === 405 && !res.get('Allow')) res.set('Allow', 'GET');
  if (frameworkVersion(req) >= 4 && acceptsJson(req)) {
    const detail: Record<string, string> = { detail: err.message };
    if (err.code) detail['o:errorCode'] = err.code;
    if (err.path) detail['o:errorPath'] = err.path;
    res
      .status(err.status)
      .type('application/vnd.oracle.adf.error+json')
      .send(
        JSON.stringify({
          title: TITLES[err.status] ?? 'Error',
          status: String(err.status),
          'o:errorDetails': [detail],
        }),
      );
    return;
  }
  res.status(err.status).type('text/plain').send(err.message);
}

/** Express error middleware: Fusion-shaped errors for everything thrown by the routes. */
export function fusionErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof FusionError) return sendError(req, res, err);
  if (err instanceof QueryError) {
    return sendError(
      req,
      res,
      new FusionError(err.status, `URL request parameter q is not valid: ${err.message}`),
    );
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') {
    return sendError(
      req,
      res,
      new FusionError(400, `The request body is not valid JSON: ${e.message ?? ''}`),
    );
  }
  if (e.type === 'entity.too.large')
    return sendError(req, res, new FusionError(413, 'The request body is too large.'));
  sendError(req, res, new FusionError(500, `Internal error: ${e.message ?? String(err)}`));
}
