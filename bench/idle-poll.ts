/**
 * The cost of an idle poll, which runs every minute per tenant forever: once nothing has changed in
 * Fusion, a cycle must be one small request. Prints requests per idle cycle, bytes fetched and latency.
 */
import { getJson, startBenchRig } from './bench-connector.js';

interface FusionRequest {
  method: string;
  path: string;
}

export async function benchIdlePoll(cycles = 50): Promise<Record<string, string | number>> {
  const rig = await startBenchRig({ poCount: 40 });
  try {
    const { connector, sandboxes, tenantId } = rig;
    // Reach quiet first: everything seeded has been processed.
    for (let i = 0; i < 10; i++) {
      const r = await connector.pipeline.runCycle(tenantId);
      if (Object.keys(r.processed).length === 0) break;
    }
    await fetch(`${sandboxes.fusion.baseUrl}/_sandbox/fusion/requests`, { method: 'DELETE' });
    const times: number[] = [];
    for (let i = 0; i < cycles; i++) {
      const t = performance.now();
      await connector.pipeline.runCycle(tenantId);
      times.push(performance.now() - t);
    }
    const requests = await getJson<FusionRequest[]>(`${sandboxes.fusion.baseUrl}/_sandbox/fusion/requests`);
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    return {
      'idle cycles': cycles,
      'Fusion requests per idle cycle': (requests.length / cycles).toFixed(2),
      'distinct paths': [...new Set(requests.map((r) => `${r.method} ${r.path}`))].join(' | '),
      'latency p50': `${at(0.5)} ms`,
      'latency p95': `${at(0.95)} ms`,
    };
  } finally {
    await rig.close();
  }
}
