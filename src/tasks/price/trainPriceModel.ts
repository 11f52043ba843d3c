import type { SequencePredictorOptions } from './createSequencePredictor.js';
import { type PriceExperimentOptions, preparePriceExperiment } from './preparePriceExperiment.js';
import { runPriceWalkForward } from './runPriceWalkForward.js';
import type { WalkForwardResult } from './runWalkForward.js';
import { type PriceModelCard, savePriceModel } from './savePriceModel.js';

/** What {@link trainPriceModel} trains on and how. */
export interface TrainPriceModelOptions extends PriceExperimentOptions {
  /** Share of the latest windows held out to measure the model (default 0.2). */
  testShare?: number;
  /** Fee per entry and per exit of the long/flat rule the card's P&L is measured with (default 0.003). */
  feePerTrade?: number;
  sequence?: SequencePredictorOptions;
}

/** The saved model's version and card, with every predictor's held-out results. */
export interface TrainedPriceModel {
  version: number;
  card: PriceModelCard;
  results: WalkForwardResult[];
}

/** How a price model's card records what predict must rebuild: the market and the feature pipeline. */
export interface PricePipelineRecord {
  chainId: number;
  quoteToken: string;
  windowSeconds: number;
  minQuoteReserve: number;
  traderFlow: { frequentTraderSwaps: number; whaleVolume: number };
  graph: boolean;
  embeddingDims: number;
  /** The projection that embedded the training snapshot's traders (applied unchanged at prediction). */
  projection: unknown;
  /** The first held-out window (unix seconds). */
  testFrom: number;
}

/**
 * Trains the tcn model on the earlier windows, measures it once on the held-out latest `testShare` of them beside
 * the zero-return, momentum and linear baselines (all fitted on the same rows), and saves the measured model to the
 * registry as the next `price` version. Its card records the pipeline, so `predict` rebuilds the same features.
 */
export async function trainPriceModel(options: TrainPriceModelOptions): Promise<TrainedPriceModel> {
  const testShare = options.testShare ?? 0.2;
  const experiment = await preparePriceExperiment(options, 1 - testShare);
  const { chainId, quoteToken, settings, minTrainWindows, firstPredicted } = experiment;
  const walk = { ...options, refitEvery: Number.MAX_SAFE_INTEGER };
  return runPriceWalkForward(experiment, walk, async (report, tcn) => {
    const metricsOf = (name: string) => {
      const { predictor: _, ...metrics } = report.results.find((r) => r.predictor === name)!;
      return metrics;
    };
    const pipeline: PricePipelineRecord = {
      chainId,
      quoteToken,
      ...settings,
      projection: experiment.projection,
      testFrom: firstPredicted,
    };
    const saved = await savePriceModel(options.dataDir, tcn, {
      metrics: metricsOf('tcn'),
      baseline: { architecture: 'linear', metrics: metricsOf('linear') },
      split: {
        kind: 'time',
        trainWindows: minTrainWindows,
        testWindows: report.settings.steps,
        testFrom: firstPredicted,
        testTo: report.settings.lastWindow,
      },
      training: { pipeline, baselines: report.results },
      ...(experiment.snapshotId ? { snapshotId: experiment.snapshotId } : {}),
    });
    return { version: saved.version, card: saved.card, results: report.results };
  });
}
