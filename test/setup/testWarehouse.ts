import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type Common, createCommon } from '../../src/internal/createCommon.js';
import { createWarehouse, type Warehouse } from '../../src/warehouse/createWarehouse.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';

/** A Common for tests: an empty environment, a temporary data directory, silent logs. */
export async function createTestCommon(dataDir: string): Promise<Common> {
  return createCommon({ env: {}, overrides: { dataDir, logLevel: 'silent' } });
}

/** A temporary directory removed after the test file. */
export function useTempDir(prefix = 'chaingnn-test-'): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => dir!;
}

/** Options for {@link useTestWarehouse}. */
export interface TestWarehouseOptions {
  /** Apply the shipped migrations to each test's database (default true). */
  migrate?: boolean;
}

/**
 * One embedded warehouse directory per test file (the engine allows one per process) and a fresh database
 * `t_<random>` per test, dropped afterwards. Returns a getter for the current test's warehouse.
 */
export function useTestWarehouse(options: TestWarehouseOptions = {}): () => Warehouse {
  const dataDir = useTempDir();
  let common: Common | undefined;
  let warehouse: Warehouse | undefined;
  beforeEach(async () => {
    common = await createTestCommon(dataDir());
    warehouse = await createWarehouse(common, { database: `t_${randomBytes(6).toString('hex')}` });
    if (options.migrate ?? true) await applyMigrations(warehouse);
  });
  afterEach(async () => {
    await warehouse?.client.command({ query: `DROP DATABASE IF EXISTS ${warehouse.database}` });
    await common?.shutdown.close();
  });
  return () => warehouse!;
}

export { queryRows } from '../../src/warehouse/queryRows.js';
