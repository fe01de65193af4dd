/**
 * The effective config with every secret masked, for `print-config` and for logging the config at start.
 * Secrets are found through the schema (fields marked with `secret()`), not by guessing from names.
 */
import { configSchema, type Config } from './schema.js';
import { childOf, secretKind } from './schema-walk.js';
import type { z } from 'zod';

export const MASK = '****(set)';

export function maskConfig(config: Config): unknown {
  return maskNode(configSchema, config);
}

export function formatEffectiveConfig(config: Config): string {
  return JSON.stringify(maskConfig(config), null, 2);
}

function maskNode(schema: z.ZodType | undefined, value: unknown): unknown {
  const kind = secretKind(schema);
  if (kind !== undefined && value !== undefined && value !== null) {
    return kind === 'url' && typeof value === 'string' ? maskUrlPassword(value) : MASK;
  }
  if (Array.isArray(value))
    return value.map((item, i) => maskNode(schema && childOf(schema, i, value), item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      out[key] = maskNode(schema && childOf(schema, key, value), child);
    return out;
  }
  return value;
}

function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    // Passwords also travel as query parameters in some drivers' URLs.
    for (const key of [...parsed.searchParams.keys()])
      if (/pass|secret|token/i.test(key)) parsed.searchParams.set(key, '****');
    return parsed.toString();
  } catch {
    return MASK;
  }
}
