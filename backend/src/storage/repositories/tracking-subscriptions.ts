/**
 * Track Alert subscriptions per tenant and tracking number. UPS keeps a subscription 14 days; the renewal
 * job asks for those expiring within its horizon whose shipment is neither delivered nor voided. A failed
 * renewal switches the number to Quantum View fallback.
 */
import type { RepoContext } from './context.js';
import { toDate } from './context.js';
import { upsert } from '../dialect.js';

export const SUBSCRIPTION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** active: subscribed at UPS; fallback: followed through Quantum View; stopped: delivered/voided/abandoned. */
export type SubscriptionStatus = 'active' | 'fallback' | 'stopped';

export interface TrackingSubscription {
  tenantId: string;
  trackingNumber: string;
  shipmentId: string | null;
  status: SubscriptionStatus;
  fallback: boolean;
  subscribedAt: Date;
  expiresAt: Date;
  renewFailures: number;
  lastError: string | null;
  updatedAt: Date;
}

export function trackingSubscriptionsRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toSub = (r: Record<string, unknown>): TrackingSubscription => ({
    tenantId: String(r.tenant_id),
    trackingNumber: String(r.tracking_number),
    shipmentId: (r.shipment_id as string | null) ?? null,
    status: r.status as SubscriptionStatus,
    fallback: d.parseBool(r.fallback),
    subscribedAt: toDate(r.subscribed_at),
    expiresAt: toDate(r.expires_at),
    renewFailures: Number(r.renew_failures),
    lastError: (r.last_error as string | null) ?? null,
    updatedAt: toDate(r.updated_at),
  });
  return {
    /**
     * Records a successful subscribe or renewal: expiry = subscribedAt + 14 days, back to active, failure
     * count cleared (a renewed number leaves fallback).
     */
    async recordSubscribed(
      tenantId: string,
      items: Array<{ trackingNumber: string; shipmentId?: string | null }>,
      subscribedAt: Date = ctx.now(),
    ): Promise<void> {
      const expiresAt = new Date(subscribedAt.getTime() + SUBSCRIPTION_TTL_MS);
      for (const item of items) {
        await upsert(d, db, {
          table: 'tracking_subscriptions',
          key: { tenant_id: tenantId, tracking_number: item.trackingNumber },
          insert: { shipment_id: item.shipmentId ?? null },
          update: {
            status: 'active',
            fallback: d.bool(false),
            subscribed_at: subscribedAt,
            expires_at: expiresAt,
            renew_failures: 0,
            last_error: null,
            updated_at: ctx.now(),
          },
        });
      }
    },
    async get(tenantId: string, trackingNumber: string): Promise<TrackingSubscription | null> {
      const row = await db
        .selectFrom('tracking_subscriptions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .executeTakeFirst();
      return row ? toSub(row) : null;
    },
    /**
     * Active subscriptions expiring before `before` whose shipment is not delivered, returned or voided.
     * Null tenant = every tenant (one renewal job for the whole instance).
     */
    async listDueForRenewal(
      tenantId: string | null,
      before: Date,
      limit = 500,
    ): Promise<TrackingSubscription[]> {
      let q = db
        .selectFrom('tracking_subscriptions as s')
        .leftJoin('shipments as sh', (j) =>
          j.onRef('sh.tenant_id', '=', 's.tenant_id').onRef('sh.id', '=', 's.shipment_id'),
        )
        .selectAll('s')
        .where('s.status', '=', 'active')
        .where('s.expires_at', '<', before)
        .where((eb) =>
          eb.or([
            eb('sh.id', 'is', null),
            eb('sh.tracking_status', 'is', null),
            eb('sh.tracking_status', 'not in', ['delivered', 'returned', 'voided']),
          ]),
        )
        .where((eb) => eb.or([eb('sh.id', 'is', null), eb('sh.state', '!=', 'voided')]));
      if (tenantId !== null) q = q.where('s.tenant_id', '=', tenantId);
      return (await d.limit(q.orderBy('s.expires_at').orderBy('s.tracking_number'), limit).execute()).map(
        toSub,
      );
    },
    /** A renewal (or first subscribe) failed: follow this number through Quantum View from now on. */
    async markFallback(tenantId: string, trackingNumber: string, error: string): Promise<boolean> {
      const r = await db
        .updateTable('tracking_subscriptions')
        .set((eb) => ({
          status: 'fallback',
          fallback: d.bool(true),
          renew_failures: eb('renew_failures', '+', 1),
          last_error: error,
          updated_at: ctx.now(),
        }))
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Numbers in fallback whose shipment is still followed (not voided, delivered or returned). */
    async listFallback(tenantId: string): Promise<TrackingSubscription[]> {
      const rows = await db
        .selectFrom('tracking_subscriptions as s')
        .leftJoin('shipments as sh', (j) =>
          j.onRef('sh.tenant_id', '=', 's.tenant_id').onRef('sh.id', '=', 's.shipment_id'),
        )
        .selectAll('s')
        .where('s.tenant_id', '=', tenantId)
        .where('s.status', '=', 'fallback')
        .where((eb) =>
          eb.or([
            eb('sh.id', 'is', null),
            eb('sh.tracking_status', 'is', null),
            eb('sh.tracking_status', 'not in', ['delivered', 'returned', 'voided']),
          ]),
        )
        .where((eb) => eb.or([eb('sh.id', 'is', null), eb('sh.state', '!=', 'voided')]))
        .orderBy('s.tracking_number')
        .execute();
      return rows.map(toSub);
    },
    /**
     * Stops the active and fallback subscriptions whose shipment was voided (voiding happens in the shipping
     * pipeline, which does not know about subscriptions); returns the numbers stopped.
     */
    async stopVoided(tenantId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('tracking_subscriptions as s')
        .innerJoin('shipments as sh', (j) =>
          j.onRef('sh.tenant_id', '=', 's.tenant_id').onRef('sh.id', '=', 's.shipment_id'),
        )
        .select('s.tracking_number')
        .where('s.tenant_id', '=', tenantId)
        .where('s.status', 'in', ['active', 'fallback'])
        .where((eb) => eb.or([eb('sh.state', '=', 'voided'), eb('sh.tracking_status', '=', 'voided')]))
        .execute();
      const numbers = rows.map((r) => r.tracking_number);
      for (const tn of numbers)
        await db
          .updateTable('tracking_subscriptions')
          .set({ status: 'stopped', updated_at: ctx.now() })
          .where('tenant_id', '=', tenantId)
          .where('tracking_number', '=', tn)
          .execute();
      return numbers;
    },
    /** Delivered, voided or given up: never renewed again. */
    async stop(tenantId: string, trackingNumber: string): Promise<boolean> {
      const r = await db
        .updateTable('tracking_subscriptions')
        .set({ status: 'stopped', updated_at: ctx.now() })
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type TrackingSubscriptionsRepository = ReturnType<typeof trackingSubscriptionsRepository>;
