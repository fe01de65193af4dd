/** One-line storage failures that say what failed and where, never with a password in them. */
export type EngineName = 'pglite' | 'postgres' | 'oracle';

export class StorageError extends Error {
  constructor(
    readonly engine: EngineName,
    /** Where: data directory, host:port/database, or Oracle connect string, never credentials. */
    readonly target: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`storage (${engine} at ${target}): ${what}${causeText(options?.cause)}`, options);
    this.name = 'StorageError';
  }
}

/** A compare-and-set or conditional update found the row in another state than expected. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  const raw =
    cause instanceof Error
      ? cause.message || cause.name
      : typeof cause === 'string'
        ? cause
        : JSON.stringify(cause);
  const oneLine = raw.split('\n')[0]?.trim() ?? '';
  return oneLine ? `: ${redactCredentials(oneLine)}` : '';
}

/** Drivers sometimes echo the URL; strip any user:password@ part. */
export function redactCredentials(text: string): string {
  return text.replace(/(\w+:\/\/)([^/@\s:]+)(:[^@\s/]*)?@/g, '$1$2:***@');
}
