/**
 * Shipment intents and shipments: one row per intent (tenant, POHeaderId, revision, package-set hash), its
 * id sent to UPS as CustomerContext, moving through the state machine of domain/shipment-state.ts. Every
 * state change is an UPDATE … WHERE state = :from, so two workers cannot both take the same transition.
 * Duplicates discovered at UPS for the same intent are rows with dup_seq > 0, created in void_requested.
 */
import type { Money, PackageSpec, TrackingStatus } from '../../domain/types.js';
import { assertTransition, type ShipmentState } from '../../domain/shipment-state.js';
import { ConflictError } from '../errors.js';
import type { RepoContext } from './context.js';
import { inTransaction, newId, toDate, toDateOrNull } from './context.js';
import { insertIfAbsent } from '../dialect.js';

export interface Shipment {
  id: string;
  tenantId: string;
  poHeaderId: string;
  revision: number;
  packageSetHash: string;
  dupSeq: number;
  duplicateOf: string | null;
  state: ShipmentState;
  trackingNumber: string | null;
  upsShipmentId: string | null;
  shipperNumber: string | null;
  serviceCode: string | null;
  charges: Money | null;
  trackingStatus: TrackingStatus | null;
  trackingStatusAt: Date | null;
  expectedDelivery: string | null;
  deliveredAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IntentKey {
  poHeaderId: string;
  revision: number;
  packageSetHash: string;
}

export interface ShippedPackage {
  seq: number;
  trackingNumber: string;
  spec?: PackageSpec | null;
  label?: { format: string; imageBase64: string } | null;
}

export interface ShippedResult {
  trackingNumber: string;
  upsShipmentId: string;
  shipperNumber?: string | null;
  serviceCode?: string | null;
  charges?: Money | null;
  packages: ShippedPackage[];
}

/** Statuses after which nothing a carrier says moves the shipment again. */
const FINAL_TRACKING: TrackingStatus[] = ['delivered', 'returned', 'voided'];

export function shipmentsRepository(ctx: RepoContext) {
  const { d } = ctx;
  const toShipment = (r: Record<string, unknown>): Shipment => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    poHeaderId: String(r.po_header_id),
    revision: Number(r.revision),
    packageSetHash: String(r.package_set_hash),
    dupSeq: Number(r.dup_seq),
    duplicateOf: (r.duplicate_of as string | null) ?? null,
    state: r.state as ShipmentState,
    trackingNumber: (r.tracking_number as string | null) ?? null,
    upsShipmentId: (r.ups_shipment_id as string | null) ?? null,
    shipperNumber: (r.shipper_number as string | null) ?? null,
    serviceCode: (r.service_code as string | null) ?? null,
    charges: d.parseJson<Money | null>(r.charges),
    trackingStatus: (r.tracking_status as TrackingStatus | null) ?? null,
    trackingStatusAt: toDateOrNull(r.tracking_status_at),
    expectedDelivery: (r.expected_delivery as string | null) ?? null,
    deliveredAt: toDateOrNull(r.delivered_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  const get = async (c: RepoContext, tenantId: string, id: string) => {
    const row = await c.db
      .selectFrom('shipments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toShipment(row) : null;
  };
  const findIntent = async (c: RepoContext, tenantId: string, k: IntentKey) => {
    const row = await c.db
      .selectFrom('shipments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('po_header_id', '=', k.poHeaderId)
      .where('revision', '=', k.revision)
      .where('package_set_hash', '=', k.packageSetHash)
      .where('dup_seq', '=', 0)
      .executeTakeFirst();
    return row ? toShipment(row) : null;
  };

  /** Conditional state change; throws on an illegal transition or when the row is not in `from`. */
  const transition = async (
    c: RepoContext,
    tenantId: string,
    id: string,
    from: ShipmentState,
    to: ShipmentState,
    set: Record<string, unknown> = {},
  ): Promise<Shipment> => {
    assertTransition(from, to);
    const r = await c.db
      .updateTable('shipments')
      .set({ ...set, state: to, updated_at: c.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const current = await get(c, tenantId, id);
      throw new ConflictError(
        current
          ? `shipment ${id} is ${current.state}, not ${from}; cannot move it to ${to}`
          : `shipment ${id} not found for tenant ${tenantId}`,
      );
    }
    return (await get(c, tenantId, id))!;
  };

  return {
    get: (tenantId: string, id: string) => get(ctx, tenantId, id),
    findIntent: (tenantId: string, k: IntentKey) => findIntent(ctx, tenantId, k),

    /**
     * Persists the intent before UPS is called. Idempotent: the same key returns the existing intent
     * (`created: false`) in whatever state it is, so a restarted worker sees what happened.
     */
    async recordIntent(tenantId: string, k: IntentKey): Promise<{ shipment: Shipment; created: boolean }> {
      const now = ctx.now();
      const created = await insertIfAbsent(
        d,
        ctx.db,
        'shipments',
        {
          tenant_id: tenantId,
          id: newId(),
          po_header_id: k.poHeaderId,
          revision: k.revision,
          package_set_hash: k.packageSetHash,
          dup_seq: 0,
          duplicate_of: null,
          state: 'intent_recorded',
          created_at: now,
          updated_at: now,
        },
        ['tenant_id', 'po_header_id', 'revision', 'package_set_hash', 'dup_seq'],
      );
      return { shipment: (await findIntent(ctx, tenantId, k))!, created };
    },

    /** Any legal transition with optional error text (for failed, in_doubt, void_failed…). */
    transition: (
      tenantId: string,
      id: string,
      from: ShipmentState,
      to: ShipmentState,
      lastError?: string | null,
    ) => transition(ctx, tenantId, id, from, to, lastError === undefined ? {} : { last_error: lastError }),

    /**
     * UPS accepted (or recovery found the shipment): stores tracking numbers, packages and labels and moves
     * `from` (submitting or in_doubt) → shipped, in one transaction.
     */
    async markShipped(tenantId: string, id: string, from: 'submitting' | 'in_doubt', result: ShippedResult) {
      return inTransaction(ctx, async (tx) => {
        const shipment = await transition(tx, tenantId, id, from, 'shipped', {
          tracking_number: result.trackingNumber,
          ups_shipment_id: result.upsShipmentId,
          shipper_number: result.shipperNumber ?? null,
          service_code: result.serviceCode ?? null,
          charges: d.json(result.charges ?? null),
          tracking_status: 'label_created',
          tracking_status_at: tx.now(),
          last_error: null,
        });
        await insertPackages(tx, tenantId, id, result.packages);
        return shipment;
      });
    },

    /** A second shipment found at UPS for the same intent: stored so it can be voided and audited. */
    async recordDuplicate(tenantId: string, primaryId: string, found: ShippedResult): Promise<Shipment> {
      return inTransaction(ctx, async (tx) => {
        const primary = await get(tx, tenantId, primaryId);
        if (!primary) throw new ConflictError(`shipment ${primaryId} not found for tenant ${tenantId}`);
        const existing = await tx.db
          .selectFrom('shipments')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('ups_shipment_id', '=', found.upsShipmentId)
          .executeTakeFirst();
        if (existing) return toShipment(existing);
        const max = await tx.db
          .selectFrom('shipments')
          .select((eb) => eb.fn.max('dup_seq').as('m'))
          .where('tenant_id', '=', tenantId)
          .where('po_header_id', '=', primary.poHeaderId)
          .where('revision', '=', primary.revision)
          .where('package_set_hash', '=', primary.packageSetHash)
          .executeTakeFirst();
        const now = tx.now();
        const id = newId();
        await tx.db
          .insertInto('shipments')
          .values({
            tenant_id: tenantId,
            id,
            po_header_id: primary.poHeaderId,
            revision: primary.revision,
            package_set_hash: primary.packageSetHash,
            dup_seq: Number(max?.m ?? 0) + 1,
            duplicate_of: primaryId,
            state: 'void_requested',
            tracking_number: found.trackingNumber,
            ups_shipment_id: found.upsShipmentId,
            shipper_number: found.shipperNumber ?? null,
            service_code: found.serviceCode ?? null,
            charges: d.json(found.charges ?? null),
            created_at: now,
            updated_at: now,
          })
          .execute();
        await insertPackages(tx, tenantId, id, found.packages);
        return (await get(tx, tenantId, id))!;
      });
    },

    async listByPo(tenantId: string, poHeaderId: string): Promise<Shipment[]> {
      const rows = await ctx.db
        .selectFrom('shipments')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('po_header_id', '=', poHeaderId)
        .orderBy('created_at', 'desc')
        .orderBy('dup_seq')
        .execute();
      return rows.map(toShipment);
    },

    async findByTrackingNumber(tenantId: string, trackingNumber: string): Promise<Shipment | null> {
      const direct = await ctx.db
        .selectFrom('shipments')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('tracking_number', '=', trackingNumber)
        .executeTakeFirst();
      if (direct) return toShipment(direct);
      // Multi-package shipments: the number may belong to a package other than the lead one.
      const viaPackage = await ctx.db
        .selectFrom('packages')
        .innerJoin('shipments', (j) =>
          j
            .onRef('shipments.tenant_id', '=', 'packages.tenant_id')
            .onRef('shipments.id', '=', 'packages.shipment_id'),
        )
        .selectAll('shipments')
        .where('packages.tenant_id', '=', tenantId)
        .where('packages.tracking_number', '=', trackingNumber)
        .executeTakeFirst();
      return viaPackage ? toShipment(viaPackage) : null;
    },

    /**
     * Shipments in the given states not touched since `olderThan` (recovery scans: stale submitting →
     * in_doubt, in_doubt → lookup, void_requested → void). Null tenant = every tenant.
     */
    async listInStates(
      tenantId: string | null,
      states: ShipmentState[],
      options: { olderThan?: Date; limit?: number } = {},
    ): Promise<Shipment[]> {
      let q = ctx.db.selectFrom('shipments').selectAll().where('state', 'in', states);
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId);
      if (options.olderThan) q = q.where('updated_at', '<', options.olderThan);
      return (await d.limit(q.orderBy('updated_at'), options.limit ?? 100).execute()).map(toShipment);
    },

    /**
     * Moves the carrier status forward in time only: an event older than the stored one, or anything after
     * delivered / returned / voided, changes nothing. Returns true when the status changed.
     */
    async updateTrackingStatus(
      tenantId: string,
      id: string,
      update: {
        status: TrackingStatus;
        at: Date;
        expectedDelivery?: string | null;
        deliveredAt?: Date | null;
      },
    ): Promise<boolean> {
      const set: Record<string, unknown> = {
        tracking_status: update.status,
        tracking_status_at: update.at,
        updated_at: ctx.now(),
      };
      if (update.expectedDelivery !== undefined) set.expected_delivery = update.expectedDelivery;
      if (update.deliveredAt !== undefined) set.delivered_at = update.deliveredAt;
      const r = await ctx.db
        .updateTable('shipments')
        .set(set)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb('tracking_status', 'is', null), eb('tracking_status', 'not in', FINAL_TRACKING)]),
        )
        .where((eb) =>
          eb.or([eb('tracking_status_at', 'is', null), eb('tracking_status_at', '<=', update.at)]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

async function insertPackages(
  c: RepoContext,
  tenantId: string,
  shipmentId: string,
  packages: ShippedPackage[],
) {
  const now = c.now();
  for (const p of packages) {
    const packageId = newId();
    await c.db
      .insertInto('packages')
      .values({
        tenant_id: tenantId,
        id: packageId,
        shipment_id: shipmentId,
        seq: p.seq,
        tracking_number: p.trackingNumber,
        spec: c.d.json(p.spec ?? null),
        created_at: now,
      })
      .execute();
    if (p.label) {
      await c.db
        .insertInto('labels')
        .values({
          tenant_id: tenantId,
          id: newId(),
          shipment_id: shipmentId,
          package_id: packageId,
          format: p.label.format,
          image_base64: p.label.imageBase64,
          created_at: now,
        })
        .execute();
    }
  }
}

export type ShipmentsRepository = ReturnType<typeof shipmentsRepository>;
