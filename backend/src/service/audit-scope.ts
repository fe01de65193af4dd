/**
 * Which tenant, purchase order and step an external call belongs to. The HTTP clients know nothing of
 * purchase orders (HOUSE.md), so the pipeline and tracking jobs set this scope around their work and the
 * clients' `onCall` hook reads it to file each call under the right PO in the audit trail.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuditScope {
  poHeaderId?: string | null;
  shipmentId?: string | null;
  step: string;
}

const scope = new AsyncLocalStorage<AuditScope>();

export function withAuditScope<T>(value: AuditScope, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...value }, fn);
}

export function currentAuditScope(): AuditScope | undefined {
  return scope.getStore();
}
