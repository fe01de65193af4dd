/**
 * Leaf schemas with one "expected …" text each, so every validation error reads
 * `<key>: expected <what>, got <value>`. Values from the environment arrive as strings; numbers, booleans
 * and lists accept their string forms.
 */
import { z } from 'zod';

/** Fields whose values must never be printed: 'value' = mask entirely, 'url' = mask the password in it. */
export const secretFields = z.registry<{ secret: 'value' | 'url' }>();

export function secret<T extends z.ZodType>(schema: T, kind: 'value' | 'url' = 'value'): T {
  secretFields.add(schema, { secret: kind });
  return schema;
}

function numberish(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

export function int(min: number, max: number, expected = `an integer ${min}–${max}`) {
  return z.preprocess(
    numberish,
    z
      .number({ error: expected })
      .int({ error: expected })
      .min(min, { error: expected })
      .max(max, { error: expected }),
  );
}

export const port = () => int(1, 65535);

/** Seconds as a whole number within a range. */
export const seconds = (min: number, max: number) => int(min, max, `a whole number of seconds ${min}–${max}`);

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function bool() {
  return z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const t = v.trim().toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : v;
    },
    z.boolean({ error: 'true or false' }),
  );
}

export function text(expected = 'a non-empty string') {
  return z.string({ error: expected }).trim().min(1, { error: expected });
}

export function matching(pattern: RegExp, expected: string) {
  return z.string({ error: expected }).trim().regex(pattern, { error: expected });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for a URL on this machine (the built-in sandboxes). */
export const isLoopbackUrl = (value: string): boolean => {
  try {
    return LOOPBACK.has(new URL(value).hostname);
  } catch {
    return false;
  }
};

/**
 * An absolute http(s) URL, returned without a trailing slash. With `httpsOnly`, plain http is accepted only
 * for loopback hosts (the built-in sandboxes), never for a real system: credentials would cross in clear.
 */
export function httpUrl(options: { httpsOnly: boolean }) {
  const expected = options.httpsOnly
    ? 'an https:// URL (http:// only for localhost)'
    : 'an http:// or https:// URL';
  return z
    .string({ error: expected })
    .trim()
    .refine(
      (value) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          return false;
        }
        if (url.protocol === 'https:') return true;
        return url.protocol === 'http:' && (!options.httpsOnly || LOOPBACK.has(url.hostname));
      },
      { error: expected },
    )
    .transform((value) => value.replace(/\/+$/, ''));
}

/** A comma-separated list in the environment, an array in the file. */
export function list<T extends z.ZodType>(item: T, expected: string) {
  return z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : v,
    z.array(item, { error: expected }),
  );
}

/** Five-field cron ("m h dom mon dow"), as node-schedule takes it. */
export function cron() {
  const expected = 'a five-field cron expression such as "*/30 * * * *"';
  return z
    .string({ error: expected })
    .trim()
    .regex(/^([\d*/,-]+|\?)(\s+([\d*/,A-Za-z-]+|\?)){4}$/, { error: expected });
}

/** base64 (or base64url) of exactly 32 bytes. */
export function key32() {
  const expected = 'base64 of 32 random bytes (make one with: openssl rand -base64 32)';
  return z
    .string({ error: expected })
    .trim()
    .refine(
      (v) =>
        /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) &&
        Buffer.from(v, /[-_]/.test(v) ? 'base64url' : 'base64').length === 32,
      {
        error: expected,
      },
    );
}

export const keyId = () => matching(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, "-" or "_"');
