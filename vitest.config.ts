import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel: every MariaDB suite creates its own database (test/support/stores.ts).
    fileParallelism: true,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
