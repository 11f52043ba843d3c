import { createLinearPredictor } from './createLinearPredictor.js';
import { createMomentumPredictor } from './createMomentumPredictor.js';
import {
  createSequencePredictor,
  type SequencePredictor,
  type SequencePredictorOptions,
} from './createSequencePredictor.js';
import { createZeroReturnPredictor } from './createZeroReturnPredictor.js';
import type { PriceExperiment } from './preparePriceExperiment.js';
import { runWalkForward, type WalkForwardReport } from './runWalkForward.js';

/** How {@link runPriceWalkForward} walks an experiment forward. */
export interface PriceWalkForwardOptions {
  refitEvery: number;
  /** Fee per entry and per exit of the long/flat rule (default 0.003). */
  feePerTrade?: number | undefined;
  sequence?: SequencePredictorOptions | undefined;
  onStep?: ((step: number, steps: number) => void) | undefined;
}

/**
 * Walks an experiment's series forward with the tcn model and, beside it, the zero-return, momentum and linear
 * baselines on the same rows; hands the report and the fitted tcn to `use`, then frees the tcn.
 */
export async function runPriceWalkForward<T>(
  experiment: PriceExperiment,
  options: PriceWalkForwardOptions,
  use: (report: WalkForwardReport, tcn: SequencePredictor) => Promise<T>,
): Promise<T> {
  const { set, settings, minTrainWindows } = experiment;
  const tcn = createSequencePredictor(options.sequence);
  try {
    const report = await runWalkForward({
      series: set.series,
      featureNames: set.featureNames,
      predictors: [createZeroReturnPredictor(), createMomentumPredictor(), createLinearPredictor(), tcn],
      windowSeconds: settings.windowSeconds,
      minTrainWindows,
      refitEvery: options.refitEvery,
      feePerTrade: options.feePerTrade ?? 0.003,
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    return await use(report, tcn);
  } finally {
    tcn.dispose();
  }
}
