import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { sortByScore } from './sortByScore.js';

/** Precision and recall of the top k. */
export interface TopKScore {
  k: number;
  precision: number;
  recall: number;
}

/**
 * Precision@k (positives among the k highest scores, over k) and recall@k (over all positives; 0 without any):
 * a review queue's view. Ties at the cut go in index order.
 */
export function computePrecisionAtK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
): TopKScore {
  const positives = checkBinaryInputs('Precision@k', scores, labels);
  if (!Number.isInteger(k) || k < 1 || k > scores.length) {
    throw new NonRetryableError(`Precision@k: k is ${k}, with ${scores.length} scores`, {
      code: 'GNN_CONFIG_INVALID',
      details: `Expected an integer k from 1 to the number of scores (${scores.length}).`,
    });
  }
  const order = sortByScore(scores);
  let truePositives = 0;
  for (let i = 0; i < k; i += 1) truePositives += labels[order[i]!]!;
  return { k, precision: truePositives / k, recall: positives === 0 ? 0 : truePositives / positives };
}
