/**
 * Fault injection per endpoint for resilience tests: latency, 5xx, 429 (with or without Retry-After),
 * a hung request, malformed JSON, and revoking every issued token mid-run. Rules are matched by endpoint
 * (`token` for the IAM token endpoint, otherwise the resource name, or `*`) and optionally by method.
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { FusionError, sendError } from './errors.js';
import type { FusionState } from './state.js';

export const faultSchema = z
  .object({
    endpoint: z.string().min(1).default('*'),
    method: z.string().toUpperCase().optional(),
    kind: z.enum(['latency', 'error', 'throttle', 'timeout', 'malformed-json', 'revoke-tokens']),
    status: z.number().int().min(400).max(599).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Let this many matching requests through before the fault starts. */
    skip: z.number().int().min(0).default(0),
    /** Apply to this many requests, then stop (default: every request). */
    times: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultSchema> & { id: string; matched: number; applied: number };

export class FaultInjector {
  rules: FaultRule[] = [];
  private seq = 0;

  add(input: unknown): FaultRule {
    const rule: FaultRule = {
      ...faultSchema.parse(input),
      id: `fault-${++this.seq}`,
      matched: 0,
      applied: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  middleware(state: FusionState) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const endpoint = endpointOf(req.path);
      if (endpoint === null) return next();
      for (const rule of this.rules) {
        if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
        if (rule.method && rule.method !== req.method) continue;
        rule.matched += 1;
        if (rule.matched <= rule.skip) continue;
        if (rule.times !== undefined && rule.applied >= rule.times) continue;
        rule.applied += 1;
        res.locals.fault = `${rule.id}:${rule.kind}`;
        switch (rule.kind) {
          case 'latency':
            await sleep(rule.latencyMs ?? 1000);
            break;
          case 'revoke-tokens':
            for (const t of state.tokens.values()) t.revoked = true;
            break;
          case 'timeout':
            await sleep(rule.latencyMs ?? 30_000);
            req.socket.destroy();
            return;
          case 'throttle':
            if (rule.retryAfterSeconds !== undefined) res.set('Retry-After', String(rule.retryAfterSeconds));
            return sendError(
              req,
              res,
              new FusionError(rule.status ?? 429, 'Too many requests. Try again later.'),
            );
          case 'error':
            return sendError(
              req,
              res,
              new FusionError(rule.status ?? 503, 'The service is temporarily unavailable (injected fault).'),
            );
          case 'malformed-json':
            res
              .status(200)
              .type('application/vnd.oracle.adf.resourcecollection+json')
              .send('{"items":[{"POHeaderId":3000004');
            return;
        }
      }
      next();
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `token`, the resource name under `/…RestApi/resources/<version>/`, or null for non-Fusion paths. */
export function endpointOf(path: string): string | null {
  if (path === '/oauth2/v1/token') return 'token';
  const m = /^\/(?:fscm|hcm)RestApi\/resources\/[^/]+\/([^/]+)/.exec(path);
  return m ? m[1]! : null;
}
