import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { sortByScore } from './sortByScore.js';

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
  const order = sortByScore(scores);
  // Ranks ascend with the score: the group of ties at sorted positions [i, j) shares the rank n - (i + j - 1) / 2.
  let positiveRanks = 0;
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j += 1;
    const rank = order.length - (i + j - 1) / 2;
    for (let k = i; k < j; k += 1) positiveRanks += labels[order[k]!]! * rank;
    i = j;
  }
  return (positiveRanks - (positives * (positives + 1)) / 2) / (positives * negatives);
}
