import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One process per test file: the embedded engine binds one data directory per process, so each file
    // gets its own directory and each test its own database inside it (test/setup/testWarehouse.ts).
    pool: 'forks',
    // In CI also write a JSON report, from which .ci/run prints the closing "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.tmp/vitest-results.json' }]]
      : ['default'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
