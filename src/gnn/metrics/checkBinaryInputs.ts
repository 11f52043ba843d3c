import { NonRetryableError } from '../../internal/errors.js';

/**
 * Throws a NonRetryableError naming the metric unless `scores` and `labels` have the same length, every score is
 * a number and every label is 0 or 1; returns how many labels are 1.
 */
export function checkBinaryInputs(
  metric: string,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): number {
  if (scores.length !== labels.length) {
    throw new NonRetryableError(`${metric}: ${scores.length} scores for ${labels.length} labels`, {
      code: 'GNN_SHAPE_MISMATCH',
      details: 'Expected one score per label.',
    });
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i]!;
    if (label !== 0 && label !== 1) {
      throw new NonRetryableError(`${metric}: label ${i} is ${label}`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: 'Expected binary labels: 1 for positive, 0 for negative.',
      });
    }
    if (Number.isNaN(scores[i]!)) {
      throw new NonRetryableError(`${metric}: score ${i} is NaN`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: 'Expected a number for every score (a NaN usually means the model diverged).',
      });
    }
    positives += label;
  }
  return positives;
}
