/**
 * How a failed step affects its purchase order.
 *  - transient (network, 5xx, 429, a pending change order, a shipment still in doubt): retried next cycle
 *    with exponential backoff and jitter, up to `maxAttempts`; then flagged.
 *  - hard (address, weight, service, account, mapping, a frozen/closed PO): flagged at once with the
 *    message UPS or Fusion gave; retried when the PO changes (new revision or LastUpdateDate) or an admin
 *    calls retryPo.
 * A shipment in doubt keeps being retried (at the maximum delay) past the cap: it must be resolved.
 * 'auth' / 'no-access' count as hard: new credentials or roles come from an admin, not from waiting;
 * Fusion's 'conflict' (stale ETag, someone else's change order) is transient; 'not-found' is hard.
 */

export type FailureKind = 'transient' | 'hard';

/** What a step throws for a failure it understands; `category` says what to fix (shown on the PO). */
export class StepFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly category: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

export const hardFailure = (category: string, message: string, detail?: unknown) =>
  new StepFailure('hard', category, message, detail);
export const transientFailure = (category: string, message: string, detail?: unknown) =>
  new StepFailure('transient', category, message, detail);

export interface Classified {
  kind: FailureKind;
  category: string;
  message: string;
}

/** Maps anything a step or port threw to transient or hard. Unknown errors are transient (bounded by the cap). */
export function classify(error: unknown): Classified {
  if (error instanceof StepFailure)
    return { kind: error.kind, category: error.category, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const e =
    typeof error === 'object' && error !== null
      ? (error as { kind?: unknown; system?: unknown; name?: unknown })
      : {};
  // FusionError carries `system`; UpsError is recognised by name so this file imports neither client.
  const system =
    typeof e.system === 'string'
      ? e.system
      : typeof e.name === 'string' && e.name.startsWith('Ups')
        ? 'ups'
        : 'external';
  switch (e.kind) {
    case 'hard':
    case 'not-found':
      return { kind: 'hard', category: system, message };
    case 'auth':
    case 'no-access':
      return { kind: 'hard', category: `${system}-auth`, message };
    case 'in-doubt':
    case 'transient':
    case 'conflict':
      return { kind: 'transient', category: system, message };
    default:
      return { kind: 'transient', category: 'internal', message };
  }
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** 0..1; the delay is drawn from [d·(1−jitter), d]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 60_000,
  maxMs: 60 * 60_000,
  maxAttempts: 8,
  jitter: 0.2,
};

/** Delay before attempt `attempt + 1` after `attempt` failures (attempt ≥ 1): base·2^(attempt−1), capped. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - policy.jitter * random()));
}

export type FailureOutcome =
  | { state: 'retrying'; attempts: number; nextAttemptAt: Date; reason: string }
  | { state: 'flagged'; attempts: number; nextAttemptAt: null; reason: string; category: string };

/** The PO's next state after a failure at attempt count `attemptsBefore`. */
export function decideFailure(
  failure: Classified,
  attemptsBefore: number,
  now: Date,
  policy: BackoffPolicy,
  random?: () => number,
): FailureOutcome {
  const attempts = attemptsBefore + 1;
  if (failure.kind === 'hard') {
    return {
      state: 'flagged',
      attempts,
      nextAttemptAt: null,
      reason: failure.message,
      category: failure.category,
    };
  }
  // A shipment in doubt is never given up on: flagging would leave a possible label unresolved.
  if (attempts >= policy.maxAttempts && failure.category !== 'in-doubt') {
    return {
      state: 'flagged',
      attempts,
      nextAttemptAt: null,
      reason: `gave up after ${attempts} attempts: ${failure.message}`,
      category: failure.category,
    };
  }
  const delay = backoffDelay(attempts, policy, random);
  return {
    state: 'retrying',
    attempts,
    nextAttemptAt: new Date(now.getTime() + delay),
    reason: failure.message,
  };
}
