/** An AuditStore in memory, for unit tests of modules that write audit entries. */
import type { AuditEntry, StoredAuditEntry } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';

export class InMemoryAuditStore implements AuditStore {
  private readonly rows: StoredAuditEntry[] = [];
  private nextId = 1;
  private failures: Error[] = [];

  async append(entry: AuditEntry): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    // structuredClone: a later change to the caller's object must not rewrite history.
    this.rows.push({ ...structuredClone(entry), id: String(this.nextId++), at: entry.at ?? new Date() });
  }

  /** Every entry in insertion order (copies). */
  get entries(): StoredAuditEntry[] {
    return structuredClone(this.rows);
  }

  forPo(tenantId: string, poHeaderId: string): StoredAuditEntry[] {
    return this.entries.filter((e) => e.tenantId === tenantId && e.poHeaderId === poHeaderId);
  }

  /** Makes the next append(s) throw, to test callers that must survive a failing audit store. */
  failNext(error: Error = new Error('audit store unavailable'), times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(error);
  }

  clear(): void {
    this.rows.length = 0;
  }
}
