/**
 * Runs purchase orders through the steps. Each PO resumes at its persisted step; after every step the
 * step and context are saved, so a crash costs at most the step that was running (and the ship step's own
 * recovery makes even that safe). A PO is worked under a lease named after it, so several instances
 * sharing one database never process the same PO at once; polling a tenant is leased the same way.
 */
import { randomUUID } from 'node:crypto';
import { withCorrelation } from '../logging/correlation.js';
import type { PostalAddress } from '../domain/types.js';
import { classify, decideFailure } from './failures.js';
import type { PipelineSettings } from './pipeline-settings.js';
import { carriedOver, nextStep, STEPS, type PoContext } from './po-context.js';
import { applySeen, pollTenant, type PollResult } from './poll.js';
import type {
  AuditPort,
  Clock,
  FusionPort,
  LeaseStore,
  PoRecord,
  PoStore,
  PurchaseOrder,
  RateStore,
  ShipmentStore,
  UpsPort,
  WatermarkStore,
  WriteBackStore,
} from './ports.js';
import { AddressNeedsCorrection, LookupCache } from './resolve-addresses.js';
import { NotSelected, STEP_FUNCTIONS, type StepEnv } from './steps.js';
import { flagStatusKey, writeFlagStatus } from './write-back.js';
import { dryRunPo, type DryRunResult } from './dry-run.js';
import { voidLeftoverDuplicates } from './void-leftover-duplicates.js';
import { NotVoidable, voidShipment, type VoidOutcome } from './void-shipment.js';

/** The clients and settings of one tenant (its own Fusion pod and UPS credentials). */
export interface TenantBinding {
  fusion: FusionPort;
  ups: UpsPort;
  settings: PipelineSettings;
}

export interface PipelineDeps {
  tenant(tenantId: string): Promise<TenantBinding>;
  pos: PoStore;
  watermarks: WatermarkStore;
  shipments: ShipmentStore;
  rates: RateStore;
  writeBacks: WriteBackStore;
  leases: LeaseStore;
  audit: AuditPort;
  clock: Clock;
  /** Names this instance in leases. */
  owner?: string;
  random?: () => number;
  /**
   * Runs `fn` inside an audit scope naming the PO and step, so the clients' call reports (which know
   * nothing of POs) are filed under them; the service passes its withAuditScope.
   */
  scope?: <T>(
    scope: { poHeaderId?: string | null; shipmentId?: string | null; step: string },
    fn: () => T,
  ) => T;
}

export type ProcessOutcome = 'busy' | 'not-due' | 'unknown' | PoRecord['state'];

export interface CycleResult {
  poll: PollResult | null;
  processed: Record<string, ProcessOutcome>;
}

export interface Pipeline {
  runCycle(tenantId: string): Promise<CycleResult>;
  processPo(tenantId: string, poHeaderId: string): Promise<ProcessOutcome>;
  /** Admin retry of a flagged / ignored / retrying PO: due now, attempts reset. */
  retryPo(tenantId: string, poHeaderId: string): Promise<ProcessOutcome>;
  dryRun(tenantId: string, poHeaderId: string): Promise<DryRunResult>;
  /** Operator void of a live label; the PO is flagged until an admin retries it. */
  voidShipment(tenantId: string, shipmentId: string, reason: string): Promise<VoidOutcome>;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const owner = deps.owner ?? `worker-${randomUUID()}`;
  const inScope = <T>(scope: { poHeaderId?: string | null; step: string }, fn: () => T): T =>
    deps.scope ? deps.scope(scope, fn) : fn();
  const caches = new Map<string, LookupCache<PostalAddress | null>>();

  async function envFor(tenantId: string): Promise<StepEnv> {
    const binding = await deps.tenant(tenantId);
    let cache = caches.get(tenantId);
    if (!cache) {
      cache = new LookupCache(binding.settings.addressCacheTtlMs, () => deps.clock.now().getTime());
      caches.set(tenantId, cache);
    }
    return {
      tenantId,
      ...binding,
      shipments: deps.shipments,
      rates: deps.rates,
      writeBacks: deps.writeBacks,
      audit: deps.audit,
      clock: deps.clock,
      addressCache: cache,
    };
  }

  async function run(record: PoRecord, env: StepEnv): Promise<PoRecord> {
    const { tenantId } = env;
    let po: PurchaseOrder | null = null;
    let current = record;
    try {
      const poHeaderId = record.poHeaderId;
      po = await inScope({ poHeaderId, step: 'read-po' }, () => env.fusion.getPurchaseOrder(poHeaderId));
      while (current.step !== 'done') {
        const step = current.step;
        try {
          const input = { po, context: current.context };
          const { context, message } = await inScope({ poHeaderId, step }, () =>
            STEP_FUNCTIONS[step](input.po, input.context, env),
          );
          current = {
            ...current,
            step: nextStep(step),
            context,
            attempts: 0,
            reason: null,
            nextAttemptAt: null,
          };
          await deps.pos.save(current);
          await deps.audit.record({ tenantId, poHeaderId: po.poHeaderId, step, outcome: 'ok', message });
        } catch (error) {
          if (error instanceof NotSelected) {
            current = { ...current, state: 'ignored', reason: error.reason, nextAttemptAt: null };
            await deps.pos.save(current);
            await deps.audit.record({
              tenantId,
              poHeaderId: po.poHeaderId,
              step,
              outcome: 'info',
              message: error.reason,
            });
            return current;
          }
          throw error;
        }
      }
      current = { ...current, state: 'done', reason: null, attempts: 0, nextAttemptAt: null };
      await deps.pos.save(current);
      return current;
    } catch (error) {
      return failed(current, po, error, env);
    }
  }

  async function failed(
    record: PoRecord,
    po: PurchaseOrder | null,
    error: unknown,
    env: StepEnv,
  ): Promise<PoRecord> {
    const c = classify(error);
    const outcome = decideFailure(c, record.attempts, deps.clock.now(), env.settings.backoff, deps.random);
    const context: PoContext =
      error instanceof AddressNeedsCorrection
        ? { ...record.context, addressCandidates: error.candidates }
        : record.context;
    const next: PoRecord = {
      ...record,
      state: outcome.state,
      attempts: outcome.attempts,
      nextAttemptAt: outcome.nextAttemptAt,
      reason: outcome.state === 'flagged' ? `${outcome.category}: ${outcome.reason}` : outcome.reason,
      context: outcome.state === 'flagged' ? { ...context, flagKind: outcome.category } : context,
    };
    await deps.pos.save(next);
    await deps.audit.record({
      tenantId: env.tenantId,
      poHeaderId: record.poHeaderId,
      step: record.step,
      outcome: outcome.state === 'flagged' ? 'alert' : 'retry',
      message:
        outcome.state === 'flagged'
          ? `flagged: ${next.reason}`
          : `attempt ${outcome.attempts} failed (${c.message}); next at ${outcome.nextAttemptAt.toISOString()}`,
    });
    if (outcome.state === 'flagged') {
      const ref = po ?? {
        poHeaderId: record.poHeaderId,
        orderNumber: record.orderNumber,
        revision: record.revision,
      };
      const status =
        outcome.category === 'address'
          ? ({ status: 'address_needs_correction', reason: outcome.reason } as const)
          : ({ status: 'failed', reason: `${outcome.category}: ${outcome.reason}` } as const);
      const statusKey = flagStatusKey(status);
      if (next.context.lastStatusKey === statusKey) return next; // Fusion already shows it
      try {
        await writeFlagStatus(ref, status, {
          tenantId: env.tenantId,
          fusion: env.fusion,
          writeBacks: deps.writeBacks,
          audit: deps.audit,
        });
        const written = { ...next, context: { ...next.context, lastStatusKey: statusKey } };
        await deps.pos.save(written);
        return written;
      } catch (writeError) {
        // The flag is stored either way; the status is written the next time the PO is flagged.
        await deps.audit.record({
          tenantId: env.tenantId,
          poHeaderId: record.poHeaderId,
          step: 'write-back',
          outcome: 'error',
          message: `could not write status "${status.status}" to Fusion: ${classify(writeError).message}`,
        });
      }
    }
    return next;
  }

  async function processPoNow(tenantId: string, poHeaderId: string): Promise<ProcessOutcome> {
    const env = await envFor(tenantId);
    const lease = `po:${poHeaderId}`;
    if (!(await deps.leases.tryAcquire(tenantId, lease, owner, env.settings.leaseMs))) return 'busy';
    try {
      const record = await deps.pos.get(tenantId, poHeaderId);
      if (!record) return 'unknown';
      if (record.state !== 'pending' && record.state !== 'retrying') return record.state;
      if (record.nextAttemptAt && record.nextAttemptAt > deps.clock.now()) return 'not-due';
      return (await run(record, env)).state;
    } finally {
      await deps.leases.release(tenantId, lease, owner);
    }
  }

  /** Each PO run gets its own correlation id, so its audit lines and external calls can be joined. */
  function processPo(tenantId: string, poHeaderId: string): Promise<ProcessOutcome> {
    return withCorrelation(undefined, () => processPoNow(tenantId, poHeaderId));
  }

  /** The PO's lease for this worker, as a release function; null when another worker holds it. */
  async function claimPo(tenantId: string, poHeaderId: string, leaseMs: number) {
    const lease = `po:${poHeaderId}`;
    if (!(await deps.leases.tryAcquire(tenantId, lease, owner, leaseMs))) return null;
    return () => deps.leases.release(tenantId, lease, owner);
  }

  async function runCycle(tenantId: string): Promise<CycleResult> {
    const env = await envFor(tenantId);
    let poll: PollResult | null = null;
    const pollLease = 'poll';
    if (await deps.leases.tryAcquire(tenantId, pollLease, owner, env.settings.leaseMs)) {
      try {
        poll = await withCorrelation(undefined, () =>
          inScope({ step: 'poll' }, () =>
            pollTenant({
              tenantId,
              fusion: env.fusion,
              pos: deps.pos,
              watermarks: deps.watermarks,
              audit: deps.audit,
              clock: deps.clock,
              settings: env.settings.poll,
              claim: (poHeaderId) => claimPo(tenantId, poHeaderId, env.settings.leaseMs),
            }),
          ),
        );
      } catch (error) {
        await deps.audit.record({
          tenantId,
          step: 'poll',
          outcome: 'error',
          message: classify(error).message,
        });
      } finally {
        await deps.leases.release(tenantId, pollLease, owner);
      }
    }
    try {
      await inScope({ step: 'void-duplicates' }, () =>
        voidLeftoverDuplicates({
          tenantId,
          ups: env.ups,
          shipments: deps.shipments,
          pos: deps.pos,
          audit: deps.audit,
          clock: deps.clock,
          graceMs: env.settings.submitGraceMs,
          withPoLease: async (poHeaderId, work) => {
            const release = await claimPo(tenantId, poHeaderId, env.settings.leaseMs);
            if (!release) return null;
            try {
              return await work();
            } finally {
              await release();
            }
          },
        }),
      );
    } catch (error) {
      await deps.audit.record({
        tenantId,
        step: 'void-duplicates',
        outcome: 'error',
        message: classify(error).message,
      });
    }
    const due = await deps.pos.listDue(tenantId, deps.clock.now(), env.settings.batchSize);
    const processed: Record<string, ProcessOutcome> = {};
    await forEachBounded(due, env.settings.concurrency, async (record) => {
      try {
        processed[record.poHeaderId] = await processPo(tenantId, record.poHeaderId);
      } catch (error) {
        // Storage trouble for one PO must not stop the others; the lease expiry makes it due again.
        await deps.audit.record({
          tenantId,
          poHeaderId: record.poHeaderId,
          step: 'runner',
          outcome: 'error',
          message: classify(error).message,
        });
      }
    });
    return { poll, processed };
  }

  async function retryPo(tenantId: string, poHeaderId: string): Promise<ProcessOutcome> {
    const record = await deps.pos.get(tenantId, poHeaderId);
    if (!record) return 'unknown';
    if (record.state === 'done') return 'done';
    const restartFrom = STEPS.indexOf(record.step) >= STEPS.indexOf('ship') ? record.step : 'select';
    const { addressCandidates: _c, flagKind: _f, ...context } = record.context;
    const fresh = carriedOver(record.context);
    await deps.pos.save({
      ...record,
      state: 'pending',
      step: restartFrom,
      attempts: 0,
      reason: null,
      nextAttemptAt: null,
      context: restartFrom === 'select' ? fresh : context,
    });
    await deps.audit.record({
      tenantId,
      poHeaderId,
      step: 'retry',
      outcome: 'info',
      message: `admin retry from ${restartFrom}`,
    });
    return processPo(tenantId, poHeaderId);
  }

  async function dryRun(tenantId: string, poHeaderId: string): Promise<DryRunResult> {
    const env = await envFor(tenantId);
    return dryRunPo(poHeaderId, { ...env, rates: undefined });
  }

  async function voidLabel(tenantId: string, shipmentId: string, reason: string): Promise<VoidOutcome> {
    const env = await envFor(tenantId);
    const shipment = await deps.shipments.get(tenantId, shipmentId);
    const lease = `po:${shipment?.poHeaderId ?? ''}`;
    if (shipment && !(await deps.leases.tryAcquire(tenantId, lease, owner, env.settings.leaseMs))) {
      throw new NotVoidable(`PO ${shipment.poHeaderId} is being processed; try again in a moment`);
    }
    try {
      return await voidShipment(shipmentId, reason, {
        tenantId,
        ups: env.ups,
        shipments: deps.shipments,
        pos: deps.pos,
        audit: deps.audit,
      });
    } finally {
      if (shipment) await deps.leases.release(tenantId, lease, owner);
    }
  }

  return { runCycle, processPo, retryPo, dryRun, voidShipment: voidLabel };
}

export { applySeen };
