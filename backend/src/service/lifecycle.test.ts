import { describe, expect, it } from 'vitest';
import { Lifecycle } from './lifecycle.js';

const quiet = { info: () => {}, error: () => {} };

describe('Lifecycle', () => {
  it('stops intake first, waits for in-flight work, then closes resources', async () => {
    const order: string[] = [];
    const life = new Lifecycle(quiet);
    life.add({ name: 'storage', kind: 'resource', stop: async () => void order.push('storage') });
    life.add({ name: 'http', kind: 'intake', stop: async () => void order.push('http') });
    life.add({ name: 'scheduler', kind: 'intake', stop: async () => void order.push('scheduler') });
    let release!: () => void;
    const work = life.track(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            order.push('work-done');
            resolve();
          };
        }),
    );
    const done = life.shutdown('test');
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['scheduler', 'http']);
    release();
    await done;
    await work;
    expect(order).toEqual(['scheduler', 'http', 'work-done', 'storage']);
  });

  it('refuses new work once shutdown has begun', async () => {
    const life = new Lifecycle(quiet);
    await life.shutdown('test');
    await expect(life.track(async () => 1)).rejects.toThrow(/shutting down/);
    expect(life.isShuttingDown).toBe(true);
  });

  it('gives up waiting after the drain timeout and still closes resources', async () => {
    const errors: string[] = [];
    const life = new Lifecycle({ info: () => {}, error: (m) => void errors.push(m) }, 20);
    let closed = false;
    life.add({ name: 'storage', kind: 'resource', stop: async () => void (closed = true) });
    void life.track(() => new Promise<void>(() => {}));
    await life.shutdown('test');
    expect(closed).toBe(true);
    expect(errors.join()).toMatch(/did not finish/);
  });
});
