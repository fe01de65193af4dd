/**
 * Write-backs to Fusion (tracking number, status changes), recorded once per change: the unique key
 * (tenant, PO, kind, change key) makes a repeated status — a duplicate webhook, a replayed Quantum View
 * page — find the existing record instead of writing to Fusion again.
 */
import type { RepoContext } from './context.js';
import { newId, toDate, toDateOrNull } from './context.js';
import { insertIfAbsent } from '../dialect.js';

export type WriteBackKind = 'tracking_number' | 'status' | 'flag';
export type WriteBackMethod = 'asn' | 'flexfield' | 'attachment';
export type WriteBackState = 'pending' | 'done' | 'failed';

export interface WriteBack {
  id: string;
  tenantId: string;
  poHeaderId: string;
  shipmentId: string | null;
  kind: WriteBackKind;
  changeKey: string;
  method: WriteBackMethod;
  state: WriteBackState;
  attempts: number;
  payload: unknown;
  result: unknown;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export function writeBacksRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toWriteBack = (r: Record<string, unknown>): WriteBack => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    poHeaderId: String(r.po_header_id),
    shipmentId: (r.shipment_id as string | null) ?? null,
    kind: r.kind as WriteBackKind,
    changeKey: String(r.change_key),
    method: r.method as WriteBackMethod,
    state: r.state as WriteBackState,
    attempts: Number(r.attempts),
    payload: d.parseJson(r.payload),
    result: d.parseJson(r.result),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: toDate(r.created_at),
    completedAt: toDateOrNull(r.completed_at),
  });
  const find = async (tenantId: string, poHeaderId: string, kind: WriteBackKind, changeKey: string) => {
    const row = await db
      .selectFrom('write_backs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('po_header_id', '=', poHeaderId)
      .where('kind', '=', kind)
      .where('change_key', '=', changeKey)
      .executeTakeFirst();
    return row ? toWriteBack(row) : null;
  };
  return {
    /**
     * Records the intent to write a change (e.g. kind "status", key "<shipment>:delivered"). Returns the
     * record and whether it is new; only a new or still-pending/failed one should be written to Fusion.
     */
    async record(
      tenantId: string,
      input: {
        poHeaderId: string;
        shipmentId?: string | null;
        kind: WriteBackKind;
        changeKey: string;
        method: WriteBackMethod;
        payload?: unknown;
      },
    ): Promise<{ writeBack: WriteBack; created: boolean }> {
      const created = await insertIfAbsent(
        d,
        db,
        'write_backs',
        {
          tenant_id: tenantId,
          id: newId(),
          po_header_id: input.poHeaderId,
          shipment_id: input.shipmentId ?? null,
          kind: input.kind,
          change_key: input.changeKey,
          method: input.method,
          state: 'pending',
          attempts: 0,
          payload: d.json(input.payload ?? null),
          result: null,
          last_error: null,
          created_at: ctx.now(),
          completed_at: null,
        },
        ['tenant_id', 'po_header_id', 'kind', 'change_key'],
      );
      return { writeBack: (await find(tenantId, input.poHeaderId, input.kind, input.changeKey))!, created };
    },
    async markDone(tenantId: string, id: string, result: unknown = null): Promise<boolean> {
      const r = await db
        .updateTable('write_backs')
        .set((eb) => ({
          state: 'done',
          result: d.json(result),
          attempts: eb('attempts', '+', 1),
          completed_at: ctx.now(),
          last_error: null,
        }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('state', '!=', 'done')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async markFailed(tenantId: string, id: string, error: string): Promise<boolean> {
      const r = await db
        .updateTable('write_backs')
        .set((eb) => ({ state: 'failed', attempts: eb('attempts', '+', 1), last_error: error }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('state', '!=', 'done')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async listOpen(tenantId: string, limit = 100): Promise<WriteBack[]> {
      const q = db
        .selectFrom('write_backs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('state', 'in', ['pending', 'failed'])
        .orderBy('created_at')
        .orderBy('id');
      return (await d.limit(q, limit).execute()).map(toWriteBack);
    },
    async listByPo(tenantId: string, poHeaderId: string): Promise<WriteBack[]> {
      const rows = await db
        .selectFrom('write_backs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('po_header_id', '=', poHeaderId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toWriteBack);
    },
  };
}

export type WriteBacksRepository = ReturnType<typeof writeBacksRepository>;
