import { ConfigError } from '../config/index.js';
import { redactString } from '../logging/index.js';
import { StorageError } from '../storage/index.js';
import { VaultError } from '../vault/index.js';

/** Errors whose message is already the whole story for an operator: print it alone, no stack. */
const EXPECTED = [ConfigError, StorageError, VaultError];

/**
 * One line on stderr that says what and where, and the exit code: 2 for configuration mistakes, 1 for the
 * rest. Messages pass through redaction as a last guard: an error text must never carry a secret.
 */
export function describeFatal(err: unknown): { line: string; exitCode: number } {
  const expected = EXPECTED.some((cls) => err instanceof cls);
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = expected ? message : (message.split('\n')[0] ?? message);
  return {
    line: `fusion-ups: ${redactString(firstLine)}`,
    exitCode: err instanceof ConfigError ? 2 : 1,
  };
}
