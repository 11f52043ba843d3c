import type { Logger } from 'pino';
import { createTfBackend, type TfBackendName } from '../../gnn/createTfBackend.js';
import type { EmbeddingProjection } from '../../graph/computePropagatedEmbeddings.js';
import { NonRetryableError } from '../../internal/errors.js';
import { getSnapshotAsOf } from '../graphs/getSnapshotAsOf.js';
import { buildPriceSeries, keepLiquidWindows, type PriceSeriesSet } from './buildPriceSeries.js';
import type { TraderGraph } from './buildTraderFlowFeatures.js';
import { buildTraderGraph } from './buildTraderGraph.js';
import { type PricePipelineSettings, withPricePipelineDefaults } from './pricePipelineSettings.js';
import { type PriceScope, resolvePriceMarket } from './resolvePriceMarket.js';

/** The scope and settings of a price experiment (a backtest or a training run). */
export interface PriceExperimentOptions
  extends PriceScope,
    Partial<Omit<PricePipelineSettings, 'windowSeconds'>> {
  logger: Logger;
  dataDir: string;
  /** The TensorFlow.js backend (default auto). */
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
}

/** The features of every token, and where training ends and prediction starts. */
export interface PriceExperiment {
  chainId: number;
  quoteToken: string;
  settings: PricePipelineSettings;
  set: PriceSeriesSet;
  /** Distinct windows only trained on before the first predicted one. */
  minTrainWindows: number;
  /** The first predicted window's start (unix seconds). */
  firstPredicted: number;
  /** The snapshot behind the graph columns and the projection that embedded it (null without graph columns). */
  snapshotId: string | null;
  projection: EmbeddingProjection | null;
}

/**
 * Reads the market, finds the first predicted window (after `trainShare` of the windows), and builds the features,
 * with graph columns from a snapshot as of that window's start (found or built): no predicted window's features
 * know anything after that window, while training windows see the snapshot's summary of activity up to then.
 */
export async function preparePriceExperiment(
  options: PriceExperimentOptions,
  trainShare: number,
): Promise<PriceExperiment> {
  if (!(trainShare > 0 && trainShare < 1)) {
    throw new NonRetryableError(`Invalid share of training windows ${trainShare}`, {
      code: 'PRICE_EXPERIMENT_INVALID',
      details: 'Expected a share of the windows in (0, 1), e.g. 0.4 for a backtest or 0.8 for training.',
    });
  }
  const settings = withPricePipelineDefaults(options);
  const { warehouse, logger, dataDir } = options;
  await createTfBackend({ logger, backend: options.backend, threads: options.threads });
  const { chainId, quoteToken, market } = await resolvePriceMarket({ ...options, ...settings });
  const liquid = keepLiquidWindows(market.windows, settings.minQuoteReserve);
  const starts = [...new Set(liquid.map((w) => w.windowStart))].sort((a, b) => a - b);
  const minTrainWindows = Math.max(1, Math.floor(trainShare * starts.length));
  const firstPredicted = starts[minTrainWindows];
  if (firstPredicted === undefined) {
    throw new NonRetryableError('Too few price windows to train and predict', {
      code: 'PRICE_WALK_FORWARD_SHORT',
      details: `Chain ${chainId} has ${starts.length} liquid window(s) of ${settings.windowSeconds} s against ${quoteToken}; expected at least 2. Index more blocks or use a shorter --window.`,
    });
  }
  let snapshotId: string | null = null;
  let projection: EmbeddingProjection | null = null;
  let traderGraph: TraderGraph | undefined;
  if (settings.graph) {
    const content = await getSnapshotAsOf({ warehouse, logger, dataDir, chainId, asOfTime: firstPredicted });
    ({ graph: traderGraph, projection } = buildTraderGraph(content, { dims: settings.embeddingDims }));
    snapshotId = content.snapshot.id;
  }
  return {
    chainId,
    quoteToken,
    settings,
    set: buildPriceSeries(market, { ...settings, ...(traderGraph ? { traderGraph } : {}) }),
    minTrainWindows,
    firstPredicted,
    snapshotId,
    projection,
  };
}
