import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships ESM (.mjs) and CJS builds; Apollo's CJS dependencies load the CJS one, so tests must too, or
  // the schema's types come from two copies of graphql and graphql refuses them ("from another module or realm").
  resolve: { alias: { graphql: createRequire(import.meta.url).resolve('graphql') } },
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
