import type { PriceTrainingSet } from './PricePredictor.js';

/** The standardisation a price sequence model reads its inputs and writes its outputs in. */
export interface PriceNormalization {
  /** Per feature, the training rows' mean and standard deviation (1 where a feature is constant or never finite). */
  means: number[];
  scales: number[];
  /** The training targets' standard deviation: outputs are returns divided by it (not centred, so signs survive). */
  targetScale: number;
}

/**
 * Fits the standardisation on a training set: each feature's mean and standard deviation over its finite values in
 * every row, and the standard deviation of the finite targets.
 */
export function fitPriceNormalization(train: PriceTrainingSet): PriceNormalization {
  const width = train.featureNames.length;
  const means: number[] = [];
  const scales: number[] = [];
  for (let c = 0; c < width; c += 1) {
    const { mean, std } = meanAndStd(train.features, c, width);
    means.push(mean);
    scales.push(std);
  }
  return { means, scales, targetScale: meanAndStd(train.targets, 0, 1).std };
}

/** Mean and population standard deviation of the finite values[offset + k·stride]; 0 and 1 when degenerate. */
function meanAndStd(values: Float32Array, offset: number, stride: number): { mean: number; std: number } {
  let count = 0;
  let sum = 0;
  for (let i = offset; i < values.length; i += stride) {
    if (Number.isFinite(values[i]!)) {
      count += 1;
      sum += values[i]!;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  for (let i = offset; i < values.length; i += stride) {
    if (Number.isFinite(values[i]!)) squares += (values[i]! - mean) ** 2;
  }
  const std = count > 0 ? Math.sqrt(squares / count) : 0;
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}
