/**
 * Secrets we issue to UPS for calling our webhook (Track Alert v1 credential, v2 OAuth client secret and
 * x-api-key), per tenant, sealed by the vault. Several may be active at once so a rotation overlaps.
 */
import type { RepoContext } from './context.js';
import { newId, toDate, toDateOrNull } from './context.js';
import type { SealedCredential } from './connections.js';

export type WebhookCredentialKind =
  | 'track-alert-v1'
  | 'track-alert-v2-client-secret'
  | 'track-alert-v2-api-key'
  /** Key for signed public tracking links (backend/src/tracking). */
  | 'tracking-link-key';

export interface WebhookCredential {
  id: string;
  tenantId: string;
  kind: WebhookCredentialKind;
  sealedSecret: string;
  active: boolean;
  createdAt: Date;
  expiresAt: Date | null;
}

export function webhookCredentialsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toCredential = (r: Record<string, unknown>): WebhookCredential => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    kind: r.kind as WebhookCredentialKind,
    sealedSecret: String(r.sealed_secret),
    active: d.parseBool(r.active),
    createdAt: toDate(r.created_at),
    expiresAt: toDateOrNull(r.expires_at),
  });
  return {
    async add(input: {
      tenantId: string;
      kind: WebhookCredentialKind;
      sealedSecret: string;
      expiresAt?: Date | null;
    }): Promise<WebhookCredential> {
      const row = {
        tenant_id: input.tenantId,
        id: newId(),
        kind: input.kind,
        sealed_secret: input.sealedSecret,
        active: d.bool(true),
        created_at: ctx.now(),
        expires_at: input.expiresAt ?? null,
      };
      await db.insertInto('webhook_credentials').values(row).execute();
      return toCredential(row);
    },
    /** Active, unexpired credentials of one kind, newest first; the receiver accepts any of them. */
    async listActive(tenantId: string, kind: WebhookCredentialKind): Promise<WebhookCredential[]> {
      const now = ctx.now();
      const rows = await db
        .selectFrom('webhook_credentials')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('active', '=', d.bool(true))
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toCredential);
    },
    async deactivate(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .updateTable('webhook_credentials')
        .set({ active: d.bool(false) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Active credentials of one kind other than `keepId` expire at `at` (the overlap of a rotation). */
    async expireOthers(
      tenantId: string,
      kind: WebhookCredentialKind,
      keepId: string,
      at: Date,
    ): Promise<number> {
      const r = await db
        .updateTable('webhook_credentials')
        .set({ expires_at: at })
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('id', '!=', keepId)
        .where('active', '=', d.bool(true))
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** Same rotation contract as connections: list, then compare-and-set each. */
    async listSealedCredentials(): Promise<SealedCredential[]> {
      const rows = await db
        .selectFrom('webhook_credentials')
        .select(['id', 'tenant_id', 'sealed_secret'])
        .orderBy('tenant_id')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, sealed: r.sealed_secret }));
    },
    async replaceSealedCredential(
      id: string,
      expectedOldSealed: string,
      newSealed: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('webhook_credentials')
        .set({ sealed_secret: newSealed })
        .where('id', '=', id)
        .where(d.textEquals('sealed_secret', expectedOldSealed))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type WebhookCredentialsRepository = ReturnType<typeof webhookCredentialsRepository>;
