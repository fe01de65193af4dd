/**
 * SKIP LOCKED on a real PostgreSQL server, with two separate pools (as two connector instances would
 * have). PGlite is one connection, so this cannot be shown there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './index.js';
import { dropSchema, postgresOptions, uniqueSchema } from './test-engines.js';

const url = process.env.CONNECTOR_TEST_POSTGRES_URL;

describe.skipIf(!url)(
  `job claims with FOR UPDATE SKIP LOCKED on PostgreSQL${url ? '' : ' (skipped: CONNECTOR_TEST_POSTGRES_URL is not set)'}`,
  () => {
    const schema = uniqueSchema();
    let one: Storage;
    let two: Storage;
    const tenant = 'skip-locked';

    beforeAll(async () => {
      one = await openStorage(postgresOptions(schema, 4));
      await one.migrate();
      two = await openStorage(postgresOptions(schema, 4));
      await one.repos.tenants.ensure({ id: tenant });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
      await dropSchema(schema);
    });

    it('lets a second instance claim other jobs while the first holds its rows locked', async () => {
      for (let i = 0; i < 6; i++) await one.repos.jobs.enqueue(tenant, 'locked', { i });
      let claimedByTwo: string[] = [];
      const claimedByOne = await one.transaction(async ({ repos }) => {
        const mine = await repos.jobs.claim(tenant, 'locked', 'one', 60_000, 3);
        // Still inside one's open transaction: without SKIP LOCKED this claim would block until commit.
        claimedByTwo = (await two.repos.jobs.claim(tenant, 'locked', 'two', 60_000, 10)).map((j) => j.id);
        return mine.map((j) => j.id);
      });
      expect(claimedByOne).toHaveLength(3);
      expect(claimedByTwo).toHaveLength(3);
      expect(new Set([...claimedByOne, ...claimedByTwo]).size).toBe(6);
    });

    it('gives two pools claiming concurrently disjoint sets that cover every job', async () => {
      const total = 60;
      for (let i = 0; i < total; i++) await one.repos.jobs.enqueue(tenant, 'race', { i });
      const drain = async (s: Storage, worker: string) => {
        const got: string[] = [];
        for (;;) {
          const batch = await s.repos.jobs.claim(tenant, 'race', worker, 60_000, 4);
          if (batch.length === 0) return got;
          got.push(...batch.map((j) => j.id));
        }
      };
      // Warm both pools first, so neither drains everything while the other is still connecting.
      await Promise.all([one.ping(), two.ping()]);
      const [a, b] = await Promise.all([drain(one, 'a'), drain(two, 'b')]);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      expect(new Set([...a, ...b]).size).toBe(total);
      expect(a.length + b.length).toBe(total);
    });
  },
);
