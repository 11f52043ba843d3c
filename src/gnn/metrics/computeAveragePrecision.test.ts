import { describe, expect, it } from 'vitest';
import { computeAveragePrecision } from './computeAveragePrecision.js';

describe('computeAveragePrecision', () => {
  it('sums recall steps times precision at each distinct threshold, ties entering together', () => {
    // Thresholds 0.9: R 1/3, P 1; 0.8 (a tie): R 2/3, P 2/3; 0.5: R 2/3; 0.3: R 1, P 3/5.
    const ap = computeAveragePrecision([0.9, 0.8, 0.8, 0.5, 0.3], [1, 0, 1, 0, 1]);
    expect(ap).toBeCloseTo(1 / 3 + (1 / 3) * (2 / 3) + (1 / 3) * (3 / 5), 12);
  });

  it('is 1 when every positive outranks every negative, the positive share when all scores tie', () => {
    expect(computeAveragePrecision([0.9, 0.7, 0.2], [1, 1, 0])).toBe(1);
    expect(computeAveragePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBe(0.25);
  });

  it('refuses labels without a positive', () => {
    expect(() => computeAveragePrecision([0.1, 0.2], [0, 0])).toThrow(
      'Average precision is undefined without positive labels',
    );
  });
});
