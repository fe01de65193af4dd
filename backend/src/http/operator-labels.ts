/**
 * Label reprint: the stored image of one package, or — when it was never stored (e.g. a shipment adopted
 * during in-doubt recovery) — the label recovered from UPS (Shipping API label recovery), stored for the
 * next reprint. Bytes are returned as UPS made them, with the content type a printer or browser expects.
 */
import type { UpsAccount, UpsPort } from '../pipeline/ports.js';
import type { Storage } from '../storage/index.js';
import { conflict, notFound } from './operator-errors.js';

export interface LabelFile {
  bytes: Buffer;
  contentType: string;
  filename: string;
  source: 'stored' | 'recovered';
}

const TYPES: Record<string, { contentType: string; ext: string }> = {
  GIF: { contentType: 'image/gif', ext: 'gif' },
  PNG: { contentType: 'image/png', ext: 'png' },
  PDF: { contentType: 'application/pdf', ext: 'pdf' },
  // Thermal printer languages: raw bytes for the printer, not text to be re-encoded on the way.
  ZPL: { contentType: 'application/octet-stream', ext: 'zpl' },
  EPL: { contentType: 'application/octet-stream', ext: 'epl' },
  SPL: { contentType: 'application/octet-stream', ext: 'spl' },
};

export function labelFile(
  format: string,
  imageBase64: string,
  trackingNumber: string,
  source: LabelFile['source'],
): LabelFile {
  const t = TYPES[format.toUpperCase()] ?? { contentType: 'application/octet-stream', ext: 'bin' };
  return {
    bytes: Buffer.from(imageBase64, 'base64'),
    contentType: t.contentType,
    filename: `${trackingNumber}.${t.ext}`,
    source,
  };
}

export async function reprintLabel(
  storage: Storage,
  ups: (() => Promise<Pick<UpsPort, 'recoverLabel'>>) | undefined,
  tenantId: string,
  shipmentId: string,
  trackingNumber: string,
  format: string | undefined,
): Promise<LabelFile> {
  const shipment = await storage.repos.shipments.get(tenantId, shipmentId);
  if (!shipment) throw notFound(`shipment ${shipmentId}`);
  // A voided label must not be printed and stuck on a box: UPS would not carry it.
  if (shipment.state === 'voided' || shipment.state === 'void_requested')
    throw conflict(`shipment ${shipmentId} is ${shipment.state}; its labels are no longer valid`);
  const packages = await storage.repos.packages.listByShipment(tenantId, shipmentId);
  const pkg = packages.find((p) => p.trackingNumber === trackingNumber);
  if (!pkg) throw notFound(`package ${trackingNumber} in shipment ${shipmentId}`);
  const labels = (await storage.repos.packages.labelsForShipment(tenantId, shipmentId)).filter(
    (l) => l.packageId === pkg.id && (!format || l.format.toUpperCase() === format),
  );
  const stored = labels[0];
  if (stored) return labelFile(stored.format, stored.imageBase64, trackingNumber, 'stored');
  if (!ups) throw notFound(`a stored label for ${trackingNumber}`);

  const record = await storage.repos.purchaseOrders.latest(tenantId, shipment.poHeaderId);
  const mapping = (
    record?.context as { pipeline?: { mapping?: { account?: UpsAccount; labelFormat?: string } } }
  ).pipeline?.mapping;
  const shipperNumber = shipment.shipperNumber ?? mapping?.account?.shipperNumber;
  if (!shipperNumber) throw notFound(`a UPS account for shipment ${shipmentId} (label cannot be recovered)`);
  const account: UpsAccount = { ...(mapping?.account ?? {}), shipperNumber };
  // UPS label recovery returns GIF or ZPL; without a requested format, the one the mapping prints.
  const wanted = format ?? mapping?.labelFormat ?? 'GIF';
  if (wanted !== 'GIF' && wanted !== 'ZPL')
    throw notFound(`a stored ${wanted} label for ${trackingNumber} (UPS recovers GIF or ZPL only)`);
  const recovered = await (await ups()).recoverLabel(account, trackingNumber, wanted);
  if (!recovered) throw notFound(`a label for ${trackingNumber} at UPS`);
  const { label } = recovered;
  await storage.repos.packages.saveLabel(tenantId, pkg.id, {
    format: label.format,
    imageBase64: label.graphicImage,
  });
  return labelFile(label.format, label.graphicImage, trackingNumber, 'recovered');
}
