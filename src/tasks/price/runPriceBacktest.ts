import { randomBytes } from 'node:crypto';
import { insertPricePredictions } from '../../warehouse/insertPricePredictions.js';
import type { SequencePredictorOptions } from './createSequencePredictor.js';
import { type PriceExperimentOptions, preparePriceExperiment } from './preparePriceExperiment.js';
import { runPriceWalkForward } from './runPriceWalkForward.js';
import type { WalkForwardReport } from './runWalkForward.js';
import { toPricePredictionRow } from './toPricePredictionRow.js';

/** What {@link runPriceBacktest} backtests, and how. */
export interface PriceBacktestOptions extends PriceExperimentOptions {
  /** Share of the windows only trained on before the first prediction (default 0.4). */
  trainShare?: number;
  /** Refit every this many predicted windows (default 24). */
  refitEvery?: number;
  /** Fee per entry and per exit of the long/flat rule (default 0.003). */
  feePerTrade?: number;
  /** Settings of the tcn predictor. */
  sequence?: SequencePredictorOptions;
  /** Writes every forecast to price_predictions as `backtest:<run id>:<predictor>` (default true). */
  write?: boolean;
  onStep?: (step: number, steps: number) => void;
}

/** A backtest's identity, the data it read and its report. */
export interface PriceBacktestRun {
  runId: string;
  chainId: number;
  quoteToken: string;
  /** The snapshot behind the graph columns (as of the first predicted window's start), or null without them. */
  snapshotId: string | null;
  featureNames: string[];
  report: WalkForwardReport;
}

/**
 * Walk-forward backtest of the tcn model beside the zero-return, momentum and linear baselines on the same
 * features (see preparePriceExperiment for what the features may know), refitting every `refitEvery` windows.
 */
export async function runPriceBacktest(options: PriceBacktestOptions): Promise<PriceBacktestRun> {
  const experiment = await preparePriceExperiment(options, options.trainShare ?? 0.4);
  const { chainId, quoteToken, settings, set, snapshotId } = experiment;
  const walk = { ...options, refitEvery: options.refitEvery ?? 24 };
  return runPriceWalkForward(experiment, walk, async (report) => {
    const runId = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    if (options.write ?? true) {
      await insertPricePredictions(
        options.warehouse,
        report.predictions.map((p) =>
          toPricePredictionRow(chainId, settings.windowSeconds, `backtest:${runId}:${p.predictor}`, p),
        ),
      );
    }
    return { runId, chainId, quoteToken, snapshotId, featureNames: set.featureNames, report };
  });
}
