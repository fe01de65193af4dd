/** Rate quotes kept per PO revision and package set, so dry runs and operators see what was quoted. */
import type { Money } from '../../domain/types.js';
import type { RepoContext } from './context.js';
import { newId, toDate } from './context.js';

export interface RateQuote {
  id: string;
  tenantId: string;
  poHeaderId: string;
  revision: number;
  packageSetHash: string;
  serviceCode: string;
  total: Money;
  details: unknown;
  createdAt: Date;
}

export function quotesRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toQuote = (r: Record<string, unknown>): RateQuote => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    poHeaderId: String(r.po_header_id),
    revision: Number(r.revision),
    packageSetHash: String(r.package_set_hash),
    serviceCode: String(r.service_code),
    total: { amount: String(r.total_amount), currency: String(r.total_currency) },
    details: d.parseJson(r.details),
    createdAt: toDate(r.created_at),
  });
  return {
    async add(tenantId: string, q: Omit<RateQuote, 'id' | 'tenantId' | 'createdAt'>): Promise<RateQuote> {
      const row = {
        tenant_id: tenantId,
        id: newId(),
        po_header_id: q.poHeaderId,
        revision: q.revision,
        package_set_hash: q.packageSetHash,
        service_code: q.serviceCode,
        total_amount: q.total.amount,
        total_currency: q.total.currency,
        details: d.json(q.details ?? null),
        created_at: ctx.now(),
      };
      await db.insertInto('rate_quotes').values(row).execute();
      return toQuote({ ...row, details: q.details ?? null });
    },
    async get(tenantId: string, id: string): Promise<RateQuote | null> {
      const row = await db
        .selectFrom('rate_quotes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toQuote(row) : null;
    },
    /** Quotes for a PO revision, newest first. */
    async listForPo(tenantId: string, poHeaderId: string, revision?: number): Promise<RateQuote[]> {
      let q = db
        .selectFrom('rate_quotes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('po_header_id', '=', poHeaderId);
      if (revision !== undefined) q = q.where('revision', '=', revision);
      return (await q.orderBy('created_at', 'desc').orderBy('id').execute()).map(toQuote);
    },
  };
}

export type QuotesRepository = ReturnType<typeof quotesRepository>;
