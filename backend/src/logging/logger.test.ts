import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  acceptCorrelationId,
  currentCorrelationId,
  newCorrelationId,
  withCorrelation,
} from './correlation.js';
import { createLogger } from './logger.js';
import { REDACTED } from './redact.js';

function capture() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ level: 'debug', stream }), lines };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('correlation ids', () => {
  it('are 32 hex characters (usable as a UPS transId) and unique', () => {
    const a = newCorrelationId();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newCorrelationId()).not.toBe(a);
  });

  it('flow through awaits, timers and promise chains', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    const seen = await withCorrelation('req-1', async () => {
      const ids: Array<string | undefined> = [currentCorrelationId()];
      await tick();
      ids.push(currentCorrelationId());
      await new Promise<void>((resolve) =>
        setTimeout(() => (ids.push(currentCorrelationId()), resolve()), 5),
      );
      ids.push(await Promise.resolve().then(() => currentCorrelationId()));
      return ids;
    });
    expect(seen).toEqual(['req-1', 'req-1', 'req-1', 'req-1']);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keep concurrent scopes apart', async () => {
    const run = (id: string, delay: number) =>
      withCorrelation(id, async () => {
        await new Promise((r) => setTimeout(r, delay));
        return currentCorrelationId();
      });
    expect(await Promise.all([run('a', 20), run('b', 1), run('c', 10)])).toEqual(['a', 'b', 'c']);
  });

  it('makes a fresh id when none is given, and nested scopes win', () => {
    withCorrelation(undefined, () => {
      const outer = currentCorrelationId();
      expect(outer).toMatch(/^[0-9a-f]{32}$/);
      withCorrelation('inner', () => expect(currentCorrelationId()).toBe('inner'));
      expect(currentCorrelationId()).toBe(outer);
    });
  });

  it('accept a caller id only when it is a short token', () => {
    expect(acceptCorrelationId('abc-123')).toBe('abc-123');
    expect(acceptCorrelationId(['abc', 'def'])).toBe('abc');
    expect(acceptCorrelationId('bad id\nforged log line')).toMatch(/^[0-9a-f]{32}$/);
    expect(acceptCorrelationId('x'.repeat(65))).toMatch(/^[0-9a-f]{32}$/);
    expect(acceptCorrelationId(undefined)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('logger', () => {
  it('writes JSON lines with level, message, timestamp and the correlation id', async () => {
    const { logger, lines } = capture();
    await withCorrelation('job-42', async () => {
      await tick();
      logger.info('polled', { tenantId: 't1', count: 3 });
    });
    logger.info('outside');
    await tick();
    expect(lines[0]).toMatchObject({
      level: 'info',
      message: 'polled',
      tenantId: 't1',
      count: 3,
      correlationId: 'job-42',
    });
    expect(typeof lines[0]!.timestamp).toBe('string');
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('redacts secrets in metadata and message without touching the caller objects', async () => {
    const { logger, lines } = capture();
    const meta = {
      headers: { Authorization: 'Bearer abcdef123456', credential: 'ups-shared' },
      body: { client_secret: 'cs' },
    };
    logger.warn('calling https://bob:hunter2@fusion.example.com?client_secret=xyz', meta);
    await tick();
    const line = JSON.stringify(lines[0]);
    for (const secret of ['abcdef123456', 'ups-shared', '"cs"', 'hunter2', 'xyz'])
      expect(line).not.toContain(secret);
    expect(lines[0]!.headers).toEqual({ Authorization: REDACTED, credential: REDACTED });
    expect(meta.headers.Authorization).toBe('Bearer abcdef123456');
  });

  it('logs errors with message and stack, redacted', async () => {
    const { logger, lines } = capture();
    logger.error('ship failed', { error: new Error('UPS said: access_token=tok123 invalid') });
    await tick();
    const error = lines[0]!.error as Record<string, string>;
    expect(error.message).toBe(`UPS said: access_token=${REDACTED} invalid`);
    expect(error.stack).toContain('Error');
  });

  it('respects the level', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = createLogger({ level: 'warn', stream });
    logger.info('hidden');
    logger.warn('shown');
    await tick();
    expect(chunks.join('')).toContain('shown');
    expect(chunks.join('')).not.toContain('hidden');
  });
});
