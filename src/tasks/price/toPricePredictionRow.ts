import type { PricePredictionRow } from '../../warehouse/insertPricePredictions.js';
import type { WalkForwardPrediction } from './runWalkForward.js';

/** A forecast as a price_predictions row (a predictor without an interval or probability: its point, and 1/0.5/0). */
export function toPricePredictionRow(
  chainId: number,
  windowSeconds: number,
  modelVersion: string,
  p: Omit<WalkForwardPrediction, 'predictor'>,
): PricePredictionRow {
  const sign = Math.sign(p.predictedReturn);
  return {
    chain_id: chainId,
    token: p.token,
    window_start: p.windowStart,
    horizon_seconds: windowSeconds,
    predicted_return: p.predictedReturn,
    lower: p.lower ?? p.predictedReturn,
    upper: p.upper ?? p.predictedReturn,
    direction_prob: p.directionProb ?? (sign + 1) / 2,
    actual_return: p.actualReturn,
    model_version: modelVersion,
  };
}
