import type { NextFunction, Request, Response } from 'express';
import { acceptCorrelationId, withCorrelation, type Logger } from '../logging/index.js';

/**
 * Gives every request a correlation id (the caller's X-Correlation-Id when it is a short token, else a
 * new one), echoes it in the response, and runs the rest of the request inside its scope so log lines and
 * audit entries written while handling it carry the same id. Logs one line per finished request.
 */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = acceptCorrelationId(req.headers['x-correlation-id'] ?? req.headers['x-request-id']);
    res.setHeader('X-Correlation-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // Path only: query strings may carry tokens (signed timeline links), and redaction is the last line.
      logger.http('request', {
        correlationId: id,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      });
    });
    withCorrelation(id, () => next());
  };
}
