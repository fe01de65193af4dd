/**
 * Step 7 — ship exactly once.
 *
 * Order of durable facts (a crash between any two lines leaves a state recovery understands):
 *  1. an intent row (tenant, POHeaderId, revision, package-set hash) is committed in `intent_recorded`;
 *  2. it moves to `submitting` (a conditional update, so only one worker wins) BEFORE /ship is called;
 *  3. /ship carries the intent id as TransactionReference.CustomerContext, the PO number as first package
 *     reference and the intent reference as second;
 *  4. the answer is stored as `shipped` with tracking numbers and labels in one transaction.
 * A `submitting` or `in_doubt` intent is never submitted again before recover-in-doubt.ts has looked it
 * up at UPS (the compensation for this step). A hard UPS rejection means no label exists → `failed`.
 */
import type { PackageSpec } from '../domain/types.js';
import { classify, hardFailure, transientFailure } from './failures.js';
import type { ResolvedMapping } from './map-account.js';
import type { PurchaseOrder, ShipmentRecord, ShipResult, UpsPort } from './ports.js';
import { intentReference, recoverIntent, type RecoveryDeps } from './recover-in-doubt.js';
import type { ResolvedAddresses } from './resolve-addresses.js';

export interface ShipDeps extends RecoveryDeps {
  ups: UpsPort;
}

export interface ShipInput {
  po: Pick<PurchaseOrder, 'poHeaderId' | 'orderNumber' | 'revision' | 'statusCode' | 'frozen'>;
  /** The shipment group (ship-to location id); `packageSetHash` starts with it. */
  groupKey: string;
  mapping: ResolvedMapping;
  addresses: ResolvedAddresses;
  packages: PackageSpec[];
  packageSetHash: string;
  serviceCode: string;
}

export interface Shipped {
  id: string;
  shipmentIdentificationNumber: string;
  trackingNumbers: string[];
}

const isPrimary = (s: ShipmentRecord) => s.duplicateOf === null;

function shippedOf(s: ShipmentRecord): Shipped {
  return {
    id: s.id,
    shipmentIdentificationNumber: s.shipmentIdentificationNumber ?? s.trackingNumbers[0] ?? '',
    trackingNumbers: s.trackingNumbers,
  };
}

/** The intent this PO may submit now, after settling every earlier one. Returns a Shipped if one exists. */
async function settleEarlierIntents(
  input: ShipInput,
  deps: ShipDeps,
): Promise<{ shipped: Shipped } | { intent: ShipmentRecord } | { intentHash: string }> {
  const { tenantId } = deps;
  const inGroup = (s: ShipmentRecord) => s.packageSetHash.startsWith(`${input.groupKey}:`);
  const load = async () => (await deps.shipments.listForPo(tenantId, input.po.poHeaderId)).filter(inGroup);
  let rows = (await load()).filter(isPrimary);

  const live = rows.find((s) => s.state === 'shipped' || s.state === 'written_back');
  if (live) return { shipped: shippedOf(live) };

  for (const intent of rows.filter((s) => s.state === 'submitting' || s.state === 'in_doubt')) {
    const format = input.mapping.labelFormat === 'ZPL' ? 'ZPL' : 'GIF';
    const outcome = await recoverIntent(intent, input.mapping.account, deps, format);
    if (outcome === 'unknown') {
      throw transientFailure(
        'in-doubt',
        `shipment intent ${intent.id} is in doubt; waiting for UPS to confirm whether it exists`,
      );
    }
  }
  rows = (await load()).filter(isPrimary);
  const adopted = rows.find((s) => s.state === 'shipped' || s.state === 'written_back');
  if (adopted) return { shipped: shippedOf(adopted) };

  // An operator void ends an intent for good; shipping the same content again needs a new intent key.
  const voided = rows.filter(
    (s) =>
      s.state === 'voided' &&
      s.revision === input.po.revision &&
      s.packageSetHash.split(':v')[0] === input.packageSetHash,
  ).length;
  const intentHash = voided ? `${input.packageSetHash}:v${voided}` : input.packageSetHash;
  const same = (s: ShipmentRecord) => s.revision === input.po.revision && s.packageSetHash === intentHash;
  for (const s of rows) {
    if (s.state === 'intent_recorded' && !same(s)) {
      // Nothing exists at UPS for it (it never left intent_recorded); the PO content has changed.
      await deps.shipments.transition(tenantId, s.id, 'intent_recorded', 'failed', {
        reason: 'superseded by a newer revision or package set',
      });
    }
  }
  const reusable = rows.find((s) => same(s) && (s.state === 'intent_recorded' || s.state === 'failed'));
  if (reusable?.state === 'failed') {
    await deps.shipments.transition(tenantId, reusable.id, 'failed', 'intent_recorded', { reason: 'retry' });
  }
  return reusable ? { intent: reusable } : { intentHash };
}

export async function shipOnce(input: ShipInput, deps: ShipDeps): Promise<Shipped> {
  const { tenantId } = deps;
  const settled = await settleEarlierIntents(input, deps);
  if ('shipped' in settled) return settled.shipped;
  // Select checked this when the PO entered the pipeline, but a PO can wait here for a long time (in doubt,
  // retrying): a buyer who has since closed, canceled or frozen it must not get a new label.
  if (input.po.statusCode.toUpperCase() !== 'OPEN' || input.po.frozen) {
    throw hardFailure(
      input.po.frozen ? 'frozen' : 'po-status',
      `the PO is ${input.po.frozen ? 'frozen' : input.po.statusCode} in Fusion; no new label is bought`,
    );
  }

  const intent =
    'intent' in settled
      ? settled.intent
      : await deps.shipments.createIntent({
          tenantId,
          poHeaderId: input.po.poHeaderId,
          revision: input.po.revision,
          packageSetHash: settled.intentHash,
        });
  try {
    await deps.shipments.transition(tenantId, intent.id, 'intent_recorded', 'submitting');
  } catch (error) {
    throw transientFailure(
      'concurrency',
      `intent ${intent.id} was moved by another worker: ${classify(error).message}`,
    );
  }
  await deps.audit.record({
    tenantId,
    poHeaderId: input.po.poHeaderId,
    shipmentId: intent.id,
    step: 'ship',
    outcome: 'info',
    message: 'submitting to UPS',
  });

  const reference = intentReference(intent.id);
  let result: ShipResult;
  try {
    result = await deps.ups.ship({
      account: input.mapping.account,
      serviceCode: input.serviceCode,
      labelFormat: input.mapping.labelFormat,
      shipper: input.addresses.shipper,
      shipFrom: input.addresses.shipFrom,
      shipTo: input.addresses.shipTo,
      packages: input.packages.map((p) => ({ ...p, references: [input.po.orderNumber, reference] })),
      customerContext: intent.id,
      description: `PO ${input.po.orderNumber}`,
    });
  } catch (error) {
    const failure = classify(error);
    if (failure.kind === 'hard') {
      await deps.shipments.transition(tenantId, intent.id, 'submitting', 'failed', {
        reason: failure.message,
      });
      throw hardFailure(failure.category === 'ups' ? 'ship' : failure.category, failure.message);
    }
    await deps.shipments.transition(tenantId, intent.id, 'submitting', 'in_doubt', {
      reason: failure.message,
    });
    throw transientFailure(
      'in-doubt',
      `UPS ship call for intent ${intent.id} ended in doubt: ${failure.message}`,
    );
  }
  await deps.shipments.recordShipped(tenantId, intent.id, 'submitting', result);
  return {
    id: intent.id,
    shipmentIdentificationNumber: result.shipmentIdentificationNumber,
    trackingNumbers: result.trackingNumbers,
  };
}
