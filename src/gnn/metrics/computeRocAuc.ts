import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { forEachTieGroup } from './sortByScore.js';

/**
 * The area under the ROC curve: the chance that a random positive scores above a random negative, ties counting
 * one half (Mann–Whitney U with average ranks). Needs at least one positive and one negative label.
 */
export function computeRocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const positives = checkBinaryInputs('ROC-AUC', scores, labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new NonRetryableError(
      `ROC-AUC is undefined with ${positives} positives and ${negatives} negatives`,
      {
        code: 'GNN_METRIC_UNDEFINED',
        details: 'Expected both classes among the labels (a larger or stratified evaluation split).',
      },
    );
  }
  // Ranks ascend with the score: tied positions [start, end) share the rank n - (start + end - 1) / 2.
  let positiveRanks = 0;
  forEachTieGroup(scores, labels, (_score, start, end, groupPositives) => {
    positiveRanks += groupPositives * (labels.length - (start + end - 1) / 2);
  });
  return (positiveRanks - (positives * (positives + 1)) / 2) / (positives * negatives);
}
