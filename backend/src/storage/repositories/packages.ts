/** Packages of a shipment and their label images (base64 text / CLOB), for download and reprint. */
import type { PackageSpec } from '../../domain/types.js';
import type { RepoContext } from './context.js';
import { newId, toDate } from './context.js';
import { upsert } from '../dialect.js';

export interface PackageRecord {
  id: string;
  tenantId: string;
  shipmentId: string;
  seq: number;
  trackingNumber: string | null;
  spec: PackageSpec | null;
  createdAt: Date;
}

export interface Label {
  id: string;
  tenantId: string;
  shipmentId: string;
  packageId: string;
  format: string;
  imageBase64: string;
  createdAt: Date;
}

export function packagesRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toPackage = (r: Record<string, unknown>): PackageRecord => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    shipmentId: String(r.shipment_id),
    seq: Number(r.seq),
    trackingNumber: (r.tracking_number as string | null) ?? null,
    spec: d.parseJson<PackageSpec | null>(r.spec),
    createdAt: toDate(r.created_at),
  });
  const toLabel = (r: Record<string, unknown>): Label => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    shipmentId: String(r.shipment_id),
    packageId: String(r.package_id),
    format: String(r.format),
    imageBase64: String(r.image_base64),
    createdAt: toDate(r.created_at),
  });
  return {
    async listByShipment(tenantId: string, shipmentId: string): Promise<PackageRecord[]> {
      const rows = await db
        .selectFrom('packages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('shipment_id', '=', shipmentId)
        .orderBy('seq')
        .execute();
      return rows.map(toPackage);
    },
    async labelsForShipment(tenantId: string, shipmentId: string): Promise<Label[]> {
      const rows = await db
        .selectFrom('labels')
        .innerJoin('packages', (j) =>
          j
            .onRef('packages.tenant_id', '=', 'labels.tenant_id')
            .onRef('packages.id', '=', 'labels.package_id'),
        )
        .selectAll('labels')
        .where('labels.tenant_id', '=', tenantId)
        .where('labels.shipment_id', '=', shipmentId)
        .orderBy('packages.seq')
        .orderBy('labels.format')
        .execute();
      return rows.map(toLabel);
    },
    /** Stores (or replaces, after label recovery) the label of one package in one format. */
    async saveLabel(
      tenantId: string,
      packageId: string,
      label: { format: string; imageBase64: string },
    ): Promise<Label> {
      const pkg = await db
        .selectFrom('packages')
        .select(['shipment_id'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', packageId)
        .executeTakeFirstOrThrow();
      const now = ctx.now();
      await upsert(d, db, {
        table: 'labels',
        key: { tenant_id: tenantId, package_id: packageId, format: label.format },
        insert: { id: newId(), shipment_id: pkg.shipment_id },
        update: { image_base64: label.imageBase64, created_at: now },
      });
      const row = await db
        .selectFrom('labels')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('package_id', '=', packageId)
        .where('format', '=', label.format)
        .executeTakeFirstOrThrow();
      return toLabel(row);
    },
  };
}

export type PackagesRepository = ReturnType<typeof packagesRepository>;
