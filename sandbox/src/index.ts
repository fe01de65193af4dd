/** The sandboxes of UPS and Oracle Fusion: start both, or either, on loopback. */
import { SandboxClock } from './clock.js';
import { startFusionSandbox } from './fusion/index.js';
import { startUpsSandbox } from './ups/index.js';

export { SandboxClock } from './clock.js';
export { startUpsSandbox, createUpsSandbox, DEMO_CLIENT } from './ups/index.js';
export {
  startFusionSandbox,
  createFusionSandbox,
  fusionSandboxBanner,
  DEFAULT_DFF,
  COST_CENTER_SEGMENT_INDEX,
  DEMO_CREDENTIALS,
} from './fusion/index.js';

export interface StartSandboxesOptions {
  upsPort?: number;
  fusionPort?: number;
  /** One clock for both, so "advance 13 days" moves UPS subscriptions and Fusion approvals together. */
  clock?: SandboxClock;
  seed?: number;
  poCount?: number;
}

export async function startSandboxes(options: StartSandboxesOptions = {}) {
  const clock = options.clock ?? new SandboxClock();
  const ups = await startUpsSandbox({ port: options.upsPort ?? 0, clock, seed: options.seed });
  try {
    const fusion = await startFusionSandbox({
      port: options.fusionPort ?? 0,
      clock,
      seed: options.seed,
      poCount: options.poCount,
    });
    return {
      clock,
      ups,
      fusion,
      async close() {
        await Promise.allSettled([ups.close(), fusion.close()]);
      },
    };
  } catch (err) {
    await ups.close();
    throw err;
  }
}
