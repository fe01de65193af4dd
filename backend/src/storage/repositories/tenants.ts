import type { RepoContext } from './context.js';
import { toDate } from './context.js';
import { upsert } from '../dialect.js';

export interface Tenant {
  id: string;
  name: string;
  active: boolean;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export function tenantsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toTenant = (r: Record<string, unknown>): Tenant => ({
    id: String(r.id),
    name: String(r.name),
    active: d.parseBool(r.active),
    settings: d.parseJson<Record<string, unknown> | null>(r.settings) ?? {},
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  return {
    /** Creates the tenant or updates its name and settings (configuration is the source of truth). */
    async ensure(input: { id: string; name?: string; settings?: Record<string, unknown> }): Promise<Tenant> {
      const now = ctx.now();
      await upsert(d, db, {
        table: 'tenants',
        key: { id: input.id },
        insert: { active: d.bool(true), created_at: now },
        update: { name: input.name ?? input.id, settings: d.json(input.settings ?? {}), updated_at: now },
      });
      return (await this.get(input.id))!;
    },
    async get(id: string): Promise<Tenant | null> {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toTenant(row) : null;
    },
    async list(options: { activeOnly?: boolean } = {}): Promise<Tenant[]> {
      let q = db.selectFrom('tenants').selectAll().orderBy('id');
      if (options.activeOnly) q = q.where('active', '=', d.bool(true));
      return (await q.execute()).map(toTenant);
    },
    async setActive(id: string, active: boolean): Promise<boolean> {
      const r = await db
        .updateTable('tenants')
        .set({ active: d.bool(active), updated_at: ctx.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type TenantsRepository = ReturnType<typeof tenantsRepository>;
