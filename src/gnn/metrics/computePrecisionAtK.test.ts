import { describe, expect, it } from 'vitest';
import { computePrecisionAtK } from './computePrecisionAtK.js';

describe('computePrecisionAtK', () => {
  it('counts positives among the k highest scores, over k and over all positives', () => {
    const scores = [0.2, 0.9, 0.5, 0.7, 0.1];
    const labels = [0, 1, 0, 1, 1];
    expect(computePrecisionAtK(scores, labels, 2)).toEqual({ k: 2, precision: 1, recall: 2 / 3 });
    expect(computePrecisionAtK(scores, labels, 3)).toEqual({ k: 3, precision: 2 / 3, recall: 2 / 3 });
    expect(computePrecisionAtK(scores, labels, 5)).toEqual({ k: 5, precision: 3 / 5, recall: 1 });
  });

  it('breaks ties at the cut in index order and refuses k outside 1..n', () => {
    expect(computePrecisionAtK([0.5, 0.5, 0.5], [0, 1, 1], 1).precision).toBe(0);
    expect(() => computePrecisionAtK([0.5, 0.4], [0, 1], 3)).toThrow(/k is 3, with 2 scores/);
  });
});
