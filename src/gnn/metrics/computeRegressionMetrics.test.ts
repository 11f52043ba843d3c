import { describe, expect, it } from 'vitest';
import { computeAccuracy } from './computeAccuracy.js';
import { computeRegressionMetrics } from './computeRegressionMetrics.js';

describe('computeRegressionMetrics', () => {
  it('gives MAE, RMSE and the share of predictions with the right sign', () => {
    // Errors -1, -1, 1, 0; signs (1, -1, 1, 0) against (1, -1, -1, 0).
    const metrics = computeRegressionMetrics([1, -2, 0.5, 0], Float32Array.of(2, -1, -0.5, 0));
    expect(metrics.mae).toBe(0.75);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(metrics.directionalAccuracy).toBe(0.75);
  });

  it('refuses mismatched or empty inputs', () => {
    expect(() => computeRegressionMetrics([1], [1, 2])).toThrow('1 predictions for 2 actual values');
    expect(() => computeRegressionMetrics([], [])).toThrow('0 predictions for 0 actual values');
  });
});

describe('computeAccuracy', () => {
  it('is the share of predicted classes equal to the labels', () => {
    expect(computeAccuracy([0, 2, 1, 1], Int32Array.of(0, 1, 1, 1))).toBe(0.75);
  });
});
