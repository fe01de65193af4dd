/**
 * The append-only audit trail. There is deliberately no update or delete here: a line, once written, stays.
 * Writers redact bodies before calling append (see audit/); this store keeps what it is given.
 */
import type { AuditEntry, ExternalCall, StoredAuditEntry } from '../../audit/audit-entry.js';
import type { RepoContext } from './context.js';
import { newId, toDate } from './context.js';

export interface AuditQuery {
  tenantId: string;
  step?: string;
  outcome?: AuditEntry['outcome'];
  /** Entries at or after this instant. */
  since?: Date;
  limit?: number;
}

export function auditRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toEntry = (r: Record<string, unknown>): StoredAuditEntry => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    at: toDate(r.at),
    poHeaderId: (r.po_header_id as string | null) ?? null,
    shipmentId: (r.shipment_id as string | null) ?? null,
    step: String(r.step),
    outcome: r.outcome as AuditEntry['outcome'],
    message: (r.message as string | null) ?? null,
    correlationId: (r.correlation_id as string | null) ?? null,
    call: d.parseJson<ExternalCall | null>(r.call),
  });
  return {
    async append(entry: AuditEntry): Promise<StoredAuditEntry> {
      const row = {
        tenant_id: entry.tenantId,
        id: newId(),
        at: entry.at ?? ctx.now(),
        po_header_id: entry.poHeaderId ?? null,
        shipment_id: entry.shipmentId ?? null,
        step: entry.step,
        outcome: entry.outcome,
        message: entry.message ?? null,
        correlation_id: entry.correlationId ?? null,
        call_system: entry.call?.system ?? null,
        call: d.json(entry.call ?? null),
      };
      await db.insertInto('audit_log').values(row).execute();
      return toEntry({ ...row, call: entry.call ?? null });
    },
    /** One PO's history in the order it happened (oldest first); with a limit, the latest `limit` entries. */
    async listByPo(
      tenantId: string,
      poHeaderId: string,
      options: { limit?: number } = {},
    ): Promise<StoredAuditEntry[]> {
      const q = db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('po_header_id', '=', poHeaderId)
        .orderBy('seq', 'desc');
      const rows = await d.limit(q, options.limit ?? 1000).execute();
      return rows.reverse().map(toEntry);
    },
    /** Newest first. */
    async query(filter: AuditQuery): Promise<StoredAuditEntry[]> {
      let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', filter.tenantId);
      if (filter.step) q = q.where('step', '=', filter.step);
      if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
      if (filter.since) q = q.where('at', '>=', filter.since);
      return (await d.limit(q.orderBy('seq', 'desc'), filter.limit ?? 100).execute()).map(toEntry);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
