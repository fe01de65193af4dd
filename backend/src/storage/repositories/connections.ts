/**
 * Fusion and UPS connections of a tenant. Credentials arrive and leave only as the vault's sealed string;
 * this repository never sees plaintext. Non-secret settings (URLs, client ids, merchant ids) are JSON.
 */
import type { RepoContext } from './context.js';
import { newId, toDate } from './context.js';
import { upsert } from '../dialect.js';

export type ConnectionKind = 'fusion' | 'ups';

export interface Connection {
  id: string;
  tenantId: string;
  kind: ConnectionKind;
  name: string;
  sealedCredentials: string | null;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface SealedCredential {
  id: string;
  tenantId: string;
  sealed: string;
}

export function connectionsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toConnection = (r: Record<string, unknown>): Connection => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    kind: r.kind as ConnectionKind,
    name: String(r.name),
    sealedCredentials: (r.sealed_credentials as string | null) ?? null,
    settings: d.parseJson<Record<string, unknown> | null>(r.settings) ?? {},
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  return {
    /** Creates or replaces the connection named (tenant, kind, name). */
    async save(input: {
      tenantId: string;
      kind: ConnectionKind;
      name?: string;
      sealedCredentials: string | null;
      settings?: Record<string, unknown>;
    }): Promise<Connection> {
      const now = ctx.now();
      const name = input.name ?? 'default';
      await upsert(d, db, {
        table: 'connections',
        key: { tenant_id: input.tenantId, kind: input.kind, name },
        insert: { id: newId(), created_at: now },
        update: {
          sealed_credentials: input.sealedCredentials,
          settings: d.json(input.settings ?? {}),
          updated_at: now,
        },
      });
      return (await this.findByName(input.tenantId, input.kind, name))!;
    },
    async get(tenantId: string, id: string): Promise<Connection | null> {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toConnection(row) : null;
    },
    async findByName(tenantId: string, kind: ConnectionKind, name = 'default'): Promise<Connection | null> {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? toConnection(row) : null;
    },
    async list(tenantId: string, kind?: ConnectionKind): Promise<Connection[]> {
      let q = db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId);
      if (kind) q = q.where('kind', '=', kind);
      return (await q.orderBy('kind').orderBy('name').execute()).map(toConnection);
    },
    async remove(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .deleteFrom('connections')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    /** Every sealed credential of every tenant, for key rotation (the vault re-wraps them one by one). */
    async listSealedCredentials(): Promise<SealedCredential[]> {
      const rows = await db
        .selectFrom('connections')
        .select(['id', 'tenant_id', 'sealed_credentials'])
        .where('sealed_credentials', 'is not', null)
        .orderBy('tenant_id')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, sealed: String(r.sealed_credentials) }));
    },
    /**
     * Compare-and-set: replaces the sealed credential only if it still equals what the vault read, so a
     * rotation racing with an operator's edit never overwrites the newer secret. True when replaced.
     */
    async replaceSealedCredential(
      id: string,
      expectedOldSealed: string,
      newSealed: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('connections')
        .set({ sealed_credentials: newSealed, updated_at: ctx.now() })
        .where('id', '=', id)
        .where(d.textEquals('sealed_credentials', expectedOldSealed))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type ConnectionsRepository = ReturnType<typeof connectionsRepository>;
