/**
 * Correlation ids per request and per job, carried through async code by AsyncLocalStorage so every log
 * line and audit entry written while handling one request or job carries the same id without threading it
 * through every function signature.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationScope {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** 32 lower-case hex characters: also a valid UPS `transId` (which must be 32 characters). */
export function newCorrelationId(): string {
  return randomUUID().replace(/-/g, '');
}

/** The id of the request or job this code runs for, or undefined outside any scope. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/**
 * Runs `fn` inside a correlation scope. With `id` undefined a fresh id is made, so a job can write
 * `withCorrelation(undefined, () => runJob())`. Returns what `fn` returns (a promise stays a promise).
 */
export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return storage.run({ correlationId: id ?? newCorrelationId() }, fn);
}

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id to use for an incoming request: the caller's `X-Correlation-Id` / `X-Request-Id` when it is a
 * short token (so logs can be joined across systems), otherwise a new one. Arbitrary header text is never
 * trusted into logs (log injection, unbounded size).
 */
export function acceptCorrelationId(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && ACCEPTABLE_ID.test(value) ? value : newCorrelationId();
}
