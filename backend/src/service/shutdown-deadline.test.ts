/**
 * Shutdown waits for open HTTP requests (a webhook answers only after its durable write), but only for the
 * grace period: a client that never finishes must not hold the service open.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../config/index.js';
import { createLogger } from '../logging/index.js';
import { startService } from './start-service.js';

const dir = mkdtempSync(join(tmpdir(), 'shutdown-deadline-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shutdown deadline', () => {
  it('closes a request still open at the end of the grace period, then finishes the shutdown', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const loaded = loadConfigDetailed({
      env: {
        CONNECTOR_DATA_DIR: dir,
        CONNECTOR_PORT: String(port),
        CONNECTOR_HOST: '127.0.0.1',
        CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
        CONNECTOR_SANDBOX: 'never',
        CONNECTOR_SHUTDOWN_GRACE_SECONDS: '1',
      },
    });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    const hanging = Router().get('/', () => arrived()); // never answers
    const service = await startService(loaded, {
      schedule: false,
      logger: createLogger({ level: 'error' }),
      routers: () => [{ path: '/hang', router: hanging }],
    });
    const request = fetch(`${service.baseUrl}/hang`).then(
      () => 'answered',
      () => 'cut off',
    );
    await requestArrived;
    await service.stop('test');
    expect(await request).toBe('cut off');
    expect(service.connector.lifecycle.isShuttingDown).toBe(true);
  }, 60_000);
});
