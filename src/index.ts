// chaingnn's public API for notebooks and scripts. Importing it has no side effects.
export type { Config, ConfigInput, EnvVar } from './config/configSchema.js';
export { configSchema, envVars } from './config/configSchema.js';
export { ConfigError, type LoadConfigOptions, loadConfig } from './config/loadConfig.js';
export { type Common, type CreateCommonOptions, createCommon } from './internal/createCommon.js';
export { createLogger, type Logger } from './internal/createLogger.js';
export { createShutdown, type Shutdown } from './internal/createShutdown.js';
export { BaseError, isRetryable, NonRetryableError, RetryableError } from './internal/errors.js';
export type * from './types/tableRows.js';
export {
  type CreateWarehouseOptions,
  createWarehouse,
  defaultSettings,
  type Warehouse,
} from './warehouse/createWarehouse.js';
export { WarehouseInUseError, WarehouseLockedError } from './warehouse/embeddedLock.js';
export {
  getPriceModelVersions,
  getPricePredictions,
  type PriceModelVersion,
  type PricePredictionQuery,
} from './warehouse/getPricePredictions.js';
export {
  type CheckpointStatus,
  getWarehouseStatus,
  type TableStatus,
  type WarehouseStatus,
} from './warehouse/getWarehouseStatus.js';
export {
  insertPricePredictions,
  type PricePredictionRow,
  type StoredPricePrediction,
} from './warehouse/insertPricePredictions.js';
export { insertRows } from './warehouse/insertRows.js';
export {
  type AppliedMigration,
  applyMigrations,
  getAppliedMigrations,
  type Migration,
  MigrationError,
  type MigrationReport,
  readMigrations,
} from './warehouse/migrations.js';
