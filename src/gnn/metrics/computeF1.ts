import { checkBinaryInputs } from './checkBinaryInputs.js';

/** Precision, recall and F1 of a binary decision. */
export interface F1Score {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 when every score at or above `threshold` is called positive (0 where undefined). */
export function computeF1(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): F1Score {
  const positives = checkBinaryInputs('F1', scores, labels);
  let truePositives = 0;
  let called = 0;
  for (let i = 0; i < scores.length; i += 1) {
    if (scores[i]! >= threshold) {
      called += 1;
      truePositives += labels[i]!;
    }
  }
  return toF1(truePositives, called, positives);
}

/** Precision, recall and F1 from counts (0 where a denominator is 0). */
export function toF1(truePositives: number, called: number, positives: number): F1Score {
  const precision = called === 0 ? 0 : truePositives / called;
  const recall = positives === 0 ? 0 : truePositives / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
