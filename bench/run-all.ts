/** `npm run bench`: runs every benchmark in turn and prints its figures. */
import { benchIdlePoll } from './idle-poll.js';
import { benchPipelineThroughput } from './pipeline-throughput.js';

const benches: Array<[string, () => Promise<Record<string, string | number>>]> = [
  [
    'pipeline throughput (Fusion → UPS, 200 POs, PGlite, sandboxes on loopback)',
    () => benchPipelineThroughput(200),
  ],
  ['idle poll (nothing changed in Fusion)', () => benchIdlePoll(50)],
];

for (const [name, run] of benches) {
  const figures = await run();
  process.stdout.write(`\n== ${name}\n`);
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(36)} ${v}\n`);
}
