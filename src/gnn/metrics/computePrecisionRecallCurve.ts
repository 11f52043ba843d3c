import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { forEachTieGroup } from './sortByScore.js';

/** One point of a precision–recall curve: calling every score at or above `threshold` positive. */
export interface PrecisionRecallPoint {
  threshold: number;
  precision: number;
  recall: number;
}

/**
 * The precision–recall curve: one point per distinct score from the highest down (tied scores enter together),
 * the points whose step areas {@link computeAveragePrecision} sums. Needs at least one positive.
 */
export function computePrecisionRecallCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): PrecisionRecallPoint[] {
  const positives = checkBinaryInputs('Precision-recall curve', scores, labels);
  if (positives === 0) {
    throw new NonRetryableError('A precision-recall curve is undefined without positive labels', {
      code: 'GNN_METRIC_UNDEFINED',
      details: 'Expected at least one positive label.',
    });
  }
  const points: PrecisionRecallPoint[] = [];
  let truePositives = 0;
  forEachTieGroup(scores, labels, (score, _start, end, groupPositives) => {
    truePositives += groupPositives;
    points.push({ threshold: score, precision: truePositives / end, recall: truePositives / positives });
  });
  return points;
}
