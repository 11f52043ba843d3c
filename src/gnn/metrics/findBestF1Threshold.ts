import { NonRetryableError } from '../../internal/errors.js';
import { checkBinaryInputs } from './checkBinaryInputs.js';
import { type F1Score, toF1 } from './computeF1.js';
import { forEachTieGroup } from './sortByScore.js';

/** The threshold with the best F1, and that F1. */
export interface F1Threshold extends F1Score {
  threshold: number;
}

/**
 * The score threshold (call positive at or above it) that maximizes F1 on these scores, tried at every distinct
 * score; on equal F1 the highest threshold. Choose it on validation, then apply it to test with computeF1.
 */
export function findBestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): F1Threshold {
  const positives = checkBinaryInputs('F1 threshold', scores, labels);
  if (positives === 0) {
    throw new NonRetryableError('No F1 threshold without positive labels', {
      code: 'GNN_METRIC_UNDEFINED',
      details: 'Expected at least one positive label in the split the threshold is chosen on.',
    });
  }
  let best: F1Threshold = { threshold: Number.POSITIVE_INFINITY, precision: 0, recall: 0, f1: 0 };
  let truePositives = 0;
  forEachTieGroup(scores, labels, (threshold, _start, end, groupPositives) => {
    truePositives += groupPositives;
    const score = toF1(truePositives, end, positives);
    if (score.f1 > best.f1) best = { threshold, ...score };
  });
  return best;
}
