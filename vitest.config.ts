import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['backend/**/*.test.ts', 'sandbox/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'jet-app/**'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two cores here and in CI; PGlite costs ~0.75 GB per instance, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
