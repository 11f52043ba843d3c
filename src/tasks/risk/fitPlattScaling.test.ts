import { describe, expect, it } from 'vitest';
import { createRng } from '../../utils/createRng.js';
import { computeCalibrationError } from './computeCalibrationError.js';
import { applyPlattScaling, fitPlattScaling } from './fitPlattScaling.js';

/** Margins of an overconfident model: the true log-odds are 0.5 · margin − 1. */
function overconfident(n: number, seed: number) {
  const rng = createRng(seed);
  const margins = Float64Array.from({ length: n }, () => 3 * rng.normal());
  const labels = Int32Array.from(margins, (z) => (rng.next() < 1 / (1 + Math.exp(-(0.5 * z - 1))) ? 1 : 0));
  return { margins, labels };
}

describe('fitPlattScaling', () => {
  it('recovers the temperature and bias that make the probabilities match the outcomes', () => {
    const { margins, labels } = overconfident(20_000, 1);
    const fitted = fitPlattScaling(margins, labels);
    expect(fitted.a).toBeCloseTo(0.5, 1);
    expect(fitted.b).toBeCloseTo(-1, 1);
    // On fresh nodes: the raw sigmoid of the margin is badly calibrated, the fitted one is not.
    const fresh = overconfident(20_000, 2);
    const raw = computeCalibrationError(
      Array.from(fresh.margins, (z) => applyPlattScaling({ method: 'platt', a: 1, b: 0 }, z)),
      fresh.labels,
    );
    const calibrated = computeCalibrationError(
      Array.from(fresh.margins, (z) => applyPlattScaling(fitted, z)),
      fresh.labels,
    );
    expect(raw.ece).toBeGreaterThan(0.1);
    expect(calibrated.ece).toBeLessThan(0.02);
    expect(calibrated.brier).toBeLessThan(raw.brier);
  });

  it('stays finite on a perfectly separated validation set, and keeps the ranking', () => {
    const margins = [-5, -4, -3, -2, 2, 3, 4, 5];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const fitted = fitPlattScaling(margins, labels);
    expect(Number.isFinite(fitted.a) && fitted.a > 0).toBe(true);
    const scores = margins.map((z) => applyPlattScaling(fitted, z));
    expect(scores).toEqual([...scores].sort((x, y) => x - y));
    // Smoothed targets: (4 + 1) / (4 + 2) at most.
    expect(Math.max(...scores)).toBeLessThan(0.9);
  });

  it('gives the base rate to a model that ranks validation backwards', () => {
    const fitted = fitPlattScaling([3, 2, 1, -1, -2, -3], [0, 0, 0, 1, 1, 1]);
    expect(fitted.a).toBe(0);
    expect(applyPlattScaling(fitted, 10)).toBeCloseTo(0.5, 10);
  });

  it('refuses a validation set without both classes', () => {
    expect(() => fitPlattScaling([1, 2], [1, 1])).toThrow(/both classes[\s\S]*2 positive and 0 negative/);
  });
});

describe('computeCalibrationError', () => {
  it('bins scores by width and weighs each bin’s gap by its share', () => {
    const report = computeCalibrationError([0.05, 0.15, 0.95, 0.95, 1], [0, 1, 1, 1, 0]);
    expect(report.bins.map((b) => [b.from, b.count, b.positiveRate])).toEqual([
      [0, 1, 0],
      [0.1, 1, 1],
      [0.9, 3, 2 / 3],
    ]);
    const expected = (1 / 5) * 0.05 + (1 / 5) * 0.85 + (3 / 5) * Math.abs((0.95 + 0.95 + 1) / 3 - 2 / 3);
    expect(report.ece).toBeCloseTo(expected, 12);
    expect(report.brier).toBeCloseTo((0.05 ** 2 + 0.85 ** 2 + 0.05 ** 2 * 2 + 1) / 5, 12);
  });
});
