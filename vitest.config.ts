import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one MariaDB database; running files in parallel would make them race.
    fileParallelism: true,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
