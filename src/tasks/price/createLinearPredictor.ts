import { NonRetryableError } from '../../internal/errors.js';
import { upperBound } from '../../utils/upperBound.js';
import type { PricePrediction, PricePredictor, PriceRows, PriceTrainingSet } from './PricePredictor.js';
import { solveRidge } from './solveRidge.js';

/** Settings of the linear baseline. */
export interface LinearPredictorOptions {
  /** The ridge penalty per training row: λ = lambdaPerRow · rows (default 1e-3). */
  lambdaPerRow?: number;
  /** The residual quantiles that bound the interval (default 0.1 and 0.9). */
  lowerQuantile?: number;
  upperQuantile?: number;
}

interface LinearFit {
  means: Float64Array;
  scales: Float64Array;
  intercept: number;
  beta: Float64Array;
  /** In-sample residuals (target − fit), ascending. */
  residuals: Float64Array;
}

/**
 * The linear baseline: ridge regression on the features standardised with the training rows' mean and std.
 * Training skips rows with any NaN feature or NaN target; at prediction a NaN feature takes the training mean.
 * The interval adds the training residuals' quantiles to the forecast, the direction probability is the share
 * of training residuals that would make the return positive.
 */
export function createLinearPredictor(options: LinearPredictorOptions = {}): PricePredictor {
  const { lambdaPerRow = 1e-3, lowerQuantile = 0.1, upperQuantile = 0.9 } = options;
  let fitted: LinearFit | undefined;
  return {
    name: 'linear',
    fit: (train) => {
      fitted = fitLinear(train, lambdaPerRow);
    },
    predict: (rows) => {
      if (!fitted) {
        throw new NonRetryableError('The linear predictor was asked to predict before fit', {
          code: 'PRICE_PREDICTOR_NOT_FITTED',
          details: 'Call fit with a training set first (runWalkForward does).',
        });
      }
      return predictLinear(fitted, rows, lowerQuantile, upperQuantile);
    },
  };
}

function fitLinear(train: PriceTrainingSet, lambdaPerRow: number): LinearFit {
  const width = train.featureNames.length;
  const complete: number[] = [];
  for (let row = 0; row < train.targets.length; row += 1) {
    if (!Number.isFinite(train.targets[row]!)) continue;
    const features = train.features.subarray(row * width, (row + 1) * width);
    if (features.every(Number.isFinite)) complete.push(row);
  }
  const n = complete.length;
  if (n === 0) {
    throw new NonRetryableError('The linear predictor has no complete training row', {
      code: 'PRICE_TRAINING_EMPTY',
      details: `Of ${train.targets.length} training rows none has every feature and the target. Raise minTrainWindows so that rows with enough history are in the first training set.`,
    });
  }
  const means = new Float64Array(width);
  const scales = new Float64Array(width);
  let targetMean = 0;
  for (const row of complete) {
    targetMean += train.targets[row]! / n;
    for (let c = 0; c < width; c += 1) means[c]! += train.features[row * width + c]! / n;
  }
  for (const row of complete) {
    for (let c = 0; c < width; c += 1) scales[c]! += (train.features[row * width + c]! - means[c]!) ** 2 / n;
  }
  for (let c = 0; c < width; c += 1) scales[c] = scales[c]! > 0 ? Math.sqrt(scales[c]!) : 1;
  const x = new Float64Array(n * width);
  const y = new Float64Array(n);
  complete.forEach((row, i) => {
    y[i] = train.targets[row]! - targetMean;
    for (let c = 0; c < width; c += 1)
      x[i * width + c] = (train.features[row * width + c]! - means[c]!) / scales[c]!;
  });
  const beta = solveRidge(x, y, width, lambdaPerRow * n);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let fit = 0;
    for (let c = 0; c < width; c += 1) fit += x[i * width + c]! * beta[c]!;
    residuals[i] = y[i]! - fit;
  }
  return { means, scales, intercept: targetMean, beta, residuals: residuals.sort() };
}

function predictLinear(fit: LinearFit, rows: PriceRows, lowerQ: number, upperQ: number): PricePrediction[] {
  const width = rows.featureNames.length;
  const lowerResidual = quantile(fit.residuals, lowerQ);
  const upperResidual = quantile(fit.residuals, upperQ);
  return Array.from(rows.tokenIds, (_, row) => {
    let predictedReturn = fit.intercept;
    for (let c = 0; c < width; c += 1) {
      const value = rows.features[row * width + c]!;
      if (Number.isFinite(value))
        predictedReturn += ((value - fit.means[c]!) / fit.scales[c]!) * fit.beta[c]!;
    }
    return {
      predictedReturn,
      lower: predictedReturn + lowerResidual,
      upper: predictedReturn + upperResidual,
      directionProb:
        (fit.residuals.length - upperBound(fit.residuals, -predictedReturn)) / fit.residuals.length,
    };
  });
}

/** The q-quantile of ascending `sorted`, interpolating linearly between order statistics. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}
