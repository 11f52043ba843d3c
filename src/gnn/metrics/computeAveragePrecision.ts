import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { forEachTieGroup } from './sortByScore.js';

/**
 * The area under the precision–recall curve as average precision (scikit-learn's): Σ (Rₙ − Rₙ₋₁) · Pₙ over the
 * distinct score thresholds from the highest down, tied scores entering together. Needs at least one positive.
 */
export function computeAveragePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const positives = checkBinaryInputs('Average precision', scores, labels);
  if (positives === 0) {
    throw new NonRetryableError('Average precision is undefined without positive labels', {
      code: 'GNN_METRIC_UNDEFINED',
      details: 'Expected at least one positive label (a larger or stratified evaluation split).',
    });
  }
  let truePositives = 0;
  let recalled = 0;
  let area = 0;
  forEachTieGroup(scores, labels, (_score, _start, end, groupPositives) => {
    truePositives += groupPositives;
    const recall = truePositives / positives;
    area += (recall - recalled) * (truePositives / end);
    recalled = recall;
  });
  return area;
}
