import { computeAveragePrecision } from './computeAveragePrecision.js';
import { computeF1 } from './computeF1.js';
import { computePrecisionAtK, type TopKScore } from './computePrecisionAtK.js';
import { computeRocAuc } from './computeRocAuc.js';
import { findBestF1Threshold } from './findBestF1Threshold.js';

/** Scores and 0/1 labels of one evaluation split. */
export interface BinaryScores {
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** A binary classifier's test metrics (the F1 threshold chosen on validation). */
export interface BinaryMetrics {
  rocAuc: number;
  prAuc: number;
  /** Chosen on validation as the best-F1 threshold, applied unchanged to test. */
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  atK: TopKScore;
}

/**
 * Test ROC-AUC, PR-AUC (average precision), precision/recall/F1 at the best validation-F1 threshold, and
 * precision/recall at `k` (at most the number of test scores).
 */
export function computeBinaryMetrics(validation: BinaryScores, test: BinaryScores, k: number): BinaryMetrics {
  const { threshold } = findBestF1Threshold(validation.scores, validation.labels);
  return {
    rocAuc: computeRocAuc(test.scores, test.labels),
    prAuc: computeAveragePrecision(test.scores, test.labels),
    threshold,
    ...computeF1(test.scores, test.labels, threshold),
    atK: computePrecisionAtK(test.scores, test.labels, k),
  };
}
