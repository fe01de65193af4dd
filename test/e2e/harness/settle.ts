/**
 * Drives an in-process connector to rest: cycles every tenant until nothing is due, and when POs still
 * wait for a retry backoff, moves the (shifted) clock past it instead of sleeping for real.
 */
import type { Connector } from '../../../backend/src/service/connector.js';
import type { PurchaseOrderRecord } from '../../../backend/src/storage/repositories/purchase-orders.js';

/** The newest revision of every PO the connector knows for a tenant. */
export async function latestRecords(
  connector: Connector,
  tenantId: string,
): Promise<Map<string, PurchaseOrderRecord>> {
  const rows = await connector.storage.repos.purchaseOrders.list(tenantId, { limit: 100_000 });
  const latest = new Map<string, PurchaseOrderRecord>();
  for (const r of rows) {
    const seen = latest.get(r.poHeaderId);
    if (!seen || r.revision > seen.revision) latest.set(r.poHeaderId, r);
  }
  return latest;
}

export interface SettleResult {
  cycles: number;
  /** Backoff waits skipped by moving the clock. */
  clockJumps: number;
}

export async function settle(
  connector: Connector,
  tenantIds: string[],
  advanceClock: (ms: number) => void,
  maxCycles = 40,
): Promise<SettleResult> {
  let clockJumps = 0;
  for (let cycles = 1; cycles <= maxCycles; cycles++) {
    let processed = 0;
    for (const tenantId of tenantIds)
      processed += Object.keys((await connector.pipeline.runCycle(tenantId)).processed).length;
    if (processed > 0) continue;
    let waiting = 0;
    for (const tenantId of tenantIds)
      for (const r of (await latestRecords(connector, tenantId)).values())
        if (r.state === 'pending' || r.state === 'retry_wait') waiting += 1;
    if (waiting === 0) return { cycles, clockJumps };
    advanceClock(61 * 60_000);
    clockJumps += 1;
  }
  throw new Error(`connector still busy after ${maxCycles} cycles`);
}
