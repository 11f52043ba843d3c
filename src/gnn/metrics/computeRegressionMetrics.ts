import { NonRetryableError } from '../../internal/errors.js';

/** How far regression predictions are from the truth. */
export interface RegressionMetrics {
  /** Mean absolute error. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** The share of predictions with the sign of the truth (up, down or zero): for returns, calling the direction. */
  directionalAccuracy: number;
}

/** MAE, RMSE and directional accuracy of `predicted` against `actual` (same length, at least one). */
export function computeRegressionMetrics(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
): RegressionMetrics {
  if (predicted.length !== actual.length || actual.length === 0) {
    throw new NonRetryableError(
      `Regression metrics: ${predicted.length} predictions for ${actual.length} actual values`,
      { code: 'GNN_SHAPE_MISMATCH', details: 'Expected one prediction per actual value, and at least one.' },
    );
  }
  let absolute = 0;
  let squared = 0;
  let sameSign = 0;
  for (let i = 0; i < actual.length; i += 1) {
    const error = predicted[i]! - actual[i]!;
    absolute += Math.abs(error);
    squared += error * error;
    if (Math.sign(predicted[i]!) === Math.sign(actual[i]!)) sameSign += 1;
  }
  const n = actual.length;
  return { mae: absolute / n, rmse: Math.sqrt(squared / n), directionalAccuracy: sameSign / n };
}
