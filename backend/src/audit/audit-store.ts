import type { AuditEntry } from './audit-entry.js';

/** Where audit entries go. The storage layer implements it on the audit_log table (insert only). */
export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
}
