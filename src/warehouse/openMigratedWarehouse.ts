import type { Common } from '../internal/createCommon.js';
import { createWarehouse, type Warehouse } from './createWarehouse.js';
import { applyMigrations } from './migrations.js';

/** Opens the configured warehouse and applies any pending migrations (cluster DDL when a cluster is set). */
export async function openMigratedWarehouse(common: Common): Promise<Warehouse> {
  const warehouse = await createWarehouse(common);
  await applyMigrations(warehouse, { cluster: common.config.clickhouse.cluster, logger: common.logger });
  return warehouse;
}
