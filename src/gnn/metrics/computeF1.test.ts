import { describe, expect, it } from 'vitest';
import { computeF1 } from './computeF1.js';
import { findBestF1Threshold } from './findBestF1Threshold.js';

describe('F1 at the best validation threshold', () => {
  it('chooses the threshold on validation and applies it unchanged to test', () => {
    // Validation F1 at thresholds 0.9, 0.8, 0.5, 0.3: 1/2, 2/3, 4/7, 3/4.
    const best = findBestF1Threshold([0.9, 0.8, 0.8, 0.5, 0.3], [1, 0, 1, 0, 1]);
    expect(best).toMatchObject({ threshold: 0.3, precision: 0.6, recall: 1 });
    expect(best.f1).toBeCloseTo(0.75, 12);
    // Test: 0.35 and 0.6 are at or above 0.3; one of them is positive, of two positives.
    expect(computeF1([0.2, 0.35, 0.6, 0.1], [1, 1, 0, 0], best.threshold)).toEqual({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
  });

  it('keeps the highest threshold among equal F1, and gives 0 when nothing is called positive', () => {
    expect(findBestF1Threshold([0.9, 0.6, 0.4, 0.2], [1, 0, 0, 1]).threshold).toBe(0.9);
    expect(computeF1([0.1, 0.2], [1, 0], 0.5)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('refuses to choose a threshold without positives', () => {
    expect(() => findBestF1Threshold([0.3], [0])).toThrow('No F1 threshold without positive labels');
  });
});
