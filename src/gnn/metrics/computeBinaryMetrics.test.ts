import { describe, expect, it } from 'vitest';
import { computeBinaryMetrics } from './computeBinaryMetrics.js';

describe('computeBinaryMetrics', () => {
  it('reports test ROC-AUC, PR-AUC, F1 at the validation threshold and the top k', () => {
    const validation = { scores: [0.9, 0.8, 0.8, 0.5, 0.3], labels: [1, 0, 1, 0, 1] };
    const test = { scores: [0.2, 0.35, 0.6, 0.1], labels: [1, 1, 0, 0] };
    expect(computeBinaryMetrics(validation, test, 2)).toEqual({
      // Positives 0.2, 0.35 beat negative 0.1 and lose to 0.6: 2 of 4 pairs.
      rocAuc: 0.5,
      // Ranked 0.6 (neg), 0.35 (pos): R ½ at P ½; 0.2 (pos): R 1 at P ⅔.
      prAuc: 0.5 * 0.5 + 0.5 * (2 / 3),
      threshold: 0.3,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      atK: { k: 2, precision: 0.5, recall: 0.5 },
    });
  });
});
