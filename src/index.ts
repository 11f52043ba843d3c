// chaingnn's public API for notebooks and scripts. Importing it has no side effects.
export type { Config, ConfigInput, EnvVar } from './config/configSchema.js';
export { configSchema, envVars } from './config/configSchema.js';
export { ConfigError, type LoadConfigOptions, loadConfig } from './config/loadConfig.js';
export { computeAveragePrecision } from './gnn/metrics/computeAveragePrecision.js';
export { computeF1, type F1Score } from './gnn/metrics/computeF1.js';
export { computePrecisionAtK } from './gnn/metrics/computePrecisionAtK.js';
export {
  computePrecisionRecallCurve,
  type PrecisionRecallPoint,
} from './gnn/metrics/computePrecisionRecallCurve.js';
export { computeRegressionMetrics, type RegressionMetrics } from './gnn/metrics/computeRegressionMetrics.js';
export { computeRocAuc } from './gnn/metrics/computeRocAuc.js';
export { type F1Threshold, findBestF1Threshold } from './gnn/metrics/findBestF1Threshold.js';
export type { SnapshotContent } from './graph/snapshotFile.js';
export { type Common, type CreateCommonOptions, createCommon } from './internal/createCommon.js';
export { createLogger, type Logger } from './internal/createLogger.js';
export { createShutdown, type Shutdown } from './internal/createShutdown.js';
export { BaseError, isRetryable, NonRetryableError, RetryableError } from './internal/errors.js';
export { getOnlyChain } from './tasks/graphs/getOnlyChain.js';
export { type LoadedSnapshot, type LoadSnapshotOptions, loadSnapshot } from './tasks/graphs/loadSnapshot.js';
export { computeLongFlatCurve, type LongFlatCurvePoint } from './tasks/price/computeLongFlatCurve.js';
export {
  computeLongFlatMetrics,
  type LongFlatForecast,
  type LongFlatMetrics,
  type LongFlatSettings,
} from './tasks/price/computeLongFlatMetrics.js';
export { maliciousCategories } from './tasks/training/nodeTasks.js';
export type * from './types/tableRows.js';
export {
  buildGraphSvg,
  type GraphEdge,
  type GraphNode,
  type GraphOptions,
} from './utils/charts/buildGraphSvg.js';
export {
  buildHistogramSvg,
  computeHistogram,
  type HistogramBins,
  type HistogramOptions,
  type HistogramSeries,
} from './utils/charts/buildHistogramSvg.js';
export { buildHtmlTable, type HtmlTableOptions } from './utils/charts/buildHtmlTable.js';
export { buildLineChartSvg, type LineChartOptions } from './utils/charts/buildLineChartSvg.js';
export { buildScatterSvg, type ScatterOptions } from './utils/charts/buildScatterSvg.js';
export { type ChartOptions, type ChartSeries, chartPalette } from './utils/charts/svgPlot.js';
export type { AirdropCampaignRow, AirdropTargetRow } from './warehouse/airdropRows.js';
export {
  type CreateWarehouseOptions,
  createWarehouse,
  defaultSettings,
  type Warehouse,
} from './warehouse/createWarehouse.js';
export { WarehouseInUseError, WarehouseLockedError } from './warehouse/embeddedLock.js';
export { type AddressLabel, getAddressLabels } from './warehouse/getAddressLabels.js';
export { getAirdropCampaigns } from './warehouse/getAirdropCampaigns.js';
export { getAirdropCampaign, getAirdropTargets } from './warehouse/getAirdropRun.js';
export { getLabelledAddresses, type LabelledAddress } from './warehouse/getLabelledAddresses.js';
export {
  getPriceModelVersions,
  getPricePredictions,
  type PriceModelVersion,
  type PricePredictionQuery,
} from './warehouse/getPricePredictions.js';
export { getRiskiest, type RiskiestQuery } from './warehouse/getRiskiest.js';
export { getRiskScoredSnapshots, type RiskScoredSnapshot } from './warehouse/getRiskScoredSnapshots.js';
export { getRiskScores } from './warehouse/getRiskScores.js';
export { getSybilLabels } from './warehouse/getSybilLabels.js';
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
export type { RiskScoreRow } from './warehouse/insertRiskScores.js';
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
export { openMigratedWarehouse } from './warehouse/openMigratedWarehouse.js';
export { queryRows } from './warehouse/queryRows.js';
export { getIndexedChains, getSnapshots, type SnapshotListing } from './warehouse/snapshots/getSnapshots.js';
