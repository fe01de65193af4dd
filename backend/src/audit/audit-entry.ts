/**
 * One line of the append-only audit trail. Writers redact bodies before they reach this type; the store
 * keeps what it is given and never updates or deletes a line.
 */
export interface AuditEntry {
  tenantId: string;
  /** Fusion POHeaderId when the entry concerns one purchase order. */
  poHeaderId?: string | null;
  shipmentId?: string | null;
  /** Pipeline or tracking step, e.g. "poll", "address", "ship", "write-back", "webhook". */
  step: string;
  outcome: 'ok' | 'error' | 'retry' | 'info' | 'alert';
  message?: string | null;
  /** Our correlation id (per request or per job). */
  correlationId?: string | null;
  /** For external calls only. */
  call?: ExternalCall | null;
  at?: Date;
}

export interface ExternalCall {
  system: 'fusion' | 'ups';
  method: string;
  /** Path and query without host; secrets in the query are masked. */
  path: string;
  status?: number | null;
  durationMs: number;
  /** UPS transId / TransactionIdentifier / CustomerContext, Fusion request id (x-oracle-dms-ecid) and similar. */
  externalIds?: Record<string, string>;
  /** Already redacted. */
  requestBody?: unknown;
  responseBody?: unknown;
  error?: string | null;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
  at: Date;
}
