export type { AuditEntry, ExternalCall, StoredAuditEntry } from './audit-entry.js';
export type { AuditStore } from './audit-store.js';
export { AuditLog, type AuditLogOptions, type CallRecord } from './audit-log.js';
export { InMemoryAuditStore } from './memory-audit-store.js';
export { truncateBody, DEFAULT_TRUNCATION_LIMITS, type TruncationLimits } from './body-truncation.js';
