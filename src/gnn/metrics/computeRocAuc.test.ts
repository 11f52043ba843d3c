import { describe, expect, it } from 'vitest';
import { computeRocAuc } from './computeRocAuc.js';

describe('computeRocAuc', () => {
  it('counts a tied positive–negative pair as one half', () => {
    // Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4: pairs won 1, 0, 1, 1, 1, ½ of 6.
    expect(computeRocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1])).toBeCloseTo(4.5 / 6, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and ½ when every score ties', () => {
    expect(computeRocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(computeRocAuc(Float32Array.of(0.1, 0.2, 0.8, 0.9), Int32Array.of(1, 1, 0, 0))).toBe(0);
    expect(computeRocAuc([0.5, 0.5, 0.5], [1, 0, 1])).toBe(0.5);
  });

  it('refuses one-class labels, non-binary labels and mismatched lengths', () => {
    expect(() => computeRocAuc([0.2, 0.3], [1, 1])).toThrow(
      'ROC-AUC is undefined with 2 positives and 0 negatives',
    );
    expect(() => computeRocAuc([0.2, 0.3], [1, 2])).toThrow('ROC-AUC: label 1 is 2');
    expect(() => computeRocAuc([0.2], [1, 0])).toThrow('ROC-AUC: 1 scores for 2 labels');
    expect(() => computeRocAuc([0.2, Number.NaN], [1, 0])).toThrow('ROC-AUC: score 1 is NaN');
  });
});
