/**
 * Fusion → UPS throughput: how long the connector takes to take N seeded purchase orders from "changed in
 * Fusion" to "label bought and written back", how many calls each PO costs on each side, and the memory it
 * needs. Against the sandboxes on loopback, so the figures measure the connector, not UPS or Fusion.
 */
import { getJson, mb, startBenchRig } from './bench-connector.js';

interface Ledger {
  liveLabels: number;
}
interface FusionRequest {
  method: string;
  path: string;
}

export async function benchPipelineThroughput(poCount = 200): Promise<Record<string, string | number>> {
  const rig = await startBenchRig({ poCount });
  try {
    const { connector, sandboxes, tenantId } = rig;
    await fetch(`${sandboxes.fusion.baseUrl}/_sandbox/fusion/requests`, { method: 'DELETE' });
    const started = performance.now();
    let cycles = 0;
    let processed = 0;
    for (; cycles < 20; cycles++) {
      const result = await connector.pipeline.runCycle(tenantId);
      const n = Object.keys(result.processed).length;
      if (n === 0) break;
      processed += n;
    }
    const seconds = (performance.now() - started) / 1000;
    const ledger = await getJson<Ledger>(`${sandboxes.ups.baseUrl}/_sandbox/ups/ledger`);
    const fusionRequests = await getJson<FusionRequest[]>(
      `${sandboxes.fusion.baseUrl}/_sandbox/fusion/requests`,
    );
    const upsCalls = await connector.storage.repos.audit.query({ tenantId, limit: 100_000 });
    const upsCount = upsCalls.filter((e) => e.call?.system === 'ups').length;
    return {
      'POs seeded': poCount,
      'POs processed': processed,
      'labels bought': ledger.liveLabels,
      cycles,
      'wall time': `${seconds.toFixed(2)} s`,
      'POs per second': (processed / seconds).toFixed(1),
      'ms per shipped PO': ledger.liveLabels ? ((seconds * 1000) / ledger.liveLabels).toFixed(1) : 'n/a',
      'Fusion requests per processed PO': (fusionRequests.length / Math.max(1, processed)).toFixed(2),
      'UPS requests per label': (upsCount / Math.max(1, ledger.liveLabels)).toFixed(2),
      'RSS after run': mb(process.memoryUsage().rss),
    };
  } finally {
    await rig.close();
  }
}
