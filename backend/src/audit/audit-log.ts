/**
 * The audit writer: every pipeline step and every external call goes through here on its way to the
 * append-only audit trail. It redacts (the same `redact` as the logs), trims label images and huge bodies,
 * and stamps the current correlation id.
 */
import { currentCorrelationId } from '../logging/correlation.js';
import { logger as defaultLogger, type Logger } from '../logging/logger.js';
import { redact, redactString } from '../logging/redact.js';
import type { AuditEntry, ExternalCall } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';
import { DEFAULT_TRUNCATION_LIMITS, truncateBody, type TruncationLimits } from './body-truncation.js';

export interface AuditLogOptions {
  logger?: Pick<Logger, 'error'>;
  limits?: Partial<TruncationLimits>;
  now?: () => Date;
}

/** One external call as the HTTP clients see it; `url` may be absolute, only path and query are kept. */
export interface CallRecord {
  tenantId: string;
  poHeaderId?: string | null;
  shipmentId?: string | null;
  step: string;
  /** Defaults from the status: 'error' for an error or HTTP ≥ 400, else 'ok'. */
  outcome?: AuditEntry['outcome'];
  message?: string | null;
  system: ExternalCall['system'];
  method: string;
  url: string;
  status?: number | null;
  durationMs: number;
  externalIds?: Record<string, string>;
  requestBody?: unknown;
  responseBody?: unknown;
  error?: unknown;
}

export class AuditLog {
  private readonly log: Pick<Logger, 'error'>;
  private readonly limits: TruncationLimits;
  private readonly now: () => Date;
  private failures = 0;

  constructor(
    private readonly store: AuditStore,
    options: AuditLogOptions = {},
  ) {
    this.log = options.logger ?? defaultLogger;
    this.limits = { ...DEFAULT_TRUNCATION_LIMITS, ...options.limits };
    this.now = options.now ?? (() => new Date());
  }

  /** Appends failed since start (for /ready and metrics). */
  get failedWrites(): number {
    return this.failures;
  }

  /**
   * Never throws. The audit trail records what happened; it must not change what happens. If a failed
   * insert here propagated, a step that already succeeded at UPS (a label bought) would be treated as
   * failed and retried — the exact duplicate the pipeline is built to prevent. So a store failure is
   * logged (without bodies) and counted instead, and the business flow carries on.
   */
  async record(entry: AuditEntry): Promise<void> {
    let clean: AuditEntry;
    try {
      clean = this.prepare(entry);
    } catch (error) {
      this.failures++;
      this.log.error('audit entry could not be prepared; it was dropped', {
        step: entry.step,
        tenantId: entry.tenantId,
        error,
      });
      return;
    }
    try {
      await this.store.append(clean);
    } catch (error) {
      this.failures++;
      this.log.error('audit entry could not be stored; the operation itself was not affected', {
        tenantId: clean.tenantId,
        poHeaderId: clean.poHeaderId,
        step: clean.step,
        outcome: clean.outcome,
        call: clean.call
          ? {
              system: clean.call.system,
              method: clean.call.method,
              path: clean.call.path,
              status: clean.call.status,
            }
          : undefined,
        error,
      });
    }
  }

  /** Records one external call (request and response bodies redacted and trimmed). */
  async recordCall(call: CallRecord): Promise<void> {
    const error = call.error === undefined || call.error === null ? null : errorText(call.error);
    const failed =
      error !== null || (call.status !== undefined && call.status !== null && call.status >= 400);
    await this.record({
      tenantId: call.tenantId,
      poHeaderId: call.poHeaderId ?? null,
      shipmentId: call.shipmentId ?? null,
      step: call.step,
      outcome: call.outcome ?? (failed ? 'error' : 'ok'),
      message: call.message ?? null,
      call: {
        system: call.system,
        method: call.method.toUpperCase(),
        path: pathOf(call.url),
        status: call.status ?? null,
        durationMs: Math.max(0, Math.round(call.durationMs)),
        externalIds: call.externalIds,
        requestBody: call.requestBody,
        responseBody: call.responseBody,
        error,
      },
    });
  }

  private prepare(entry: AuditEntry): AuditEntry {
    const call = entry.call
      ? {
          ...entry.call,
          path: redactString(entry.call.path),
          error: entry.call.error ? redactString(entry.call.error) : (entry.call.error ?? null),
          externalIds: entry.call.externalIds
            ? (redact(entry.call.externalIds) as Record<string, string>)
            : undefined,
          requestBody: this.body(entry.call.requestBody),
          responseBody: this.body(entry.call.responseBody),
        }
      : (entry.call ?? null);
    return {
      ...entry,
      message: entry.message ? redactString(entry.message) : (entry.message ?? null),
      correlationId: entry.correlationId ?? currentCorrelationId() ?? null,
      call,
      at: entry.at ?? this.now(),
    };
  }

  private body(body: unknown): unknown {
    if (body === undefined) return undefined;
    // A raw JSON string body is parsed first, so key-based redaction applies to it as well.
    if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
      try {
        return truncateBody(redact(JSON.parse(body)), this.limits);
      } catch {
        // Not JSON after all: fall through to string redaction.
      }
    }
    return truncateBody(redact(body), this.limits);
  }
}

/** Path and query only: the host is configuration, and URLs may carry userinfo. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url, 'http://relative.invalid');
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 2000);
}
