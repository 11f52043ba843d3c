import { describe, expect, it } from 'vitest';
import { computeAveragePrecision } from './computeAveragePrecision.js';
import { computePrecisionRecallCurve } from './computePrecisionRecallCurve.js';

describe('computePrecisionRecallCurve', () => {
  it('gives one point per distinct score, from the highest down, ties entering together', () => {
    const curve = computePrecisionRecallCurve([0.9, 0.8, 0.8, 0.3, 0.1], [1, 0, 1, 0, 1]);
    expect(curve).toEqual([
      { threshold: 0.9, precision: 1, recall: 1 / 3 },
      { threshold: 0.8, precision: 2 / 3, recall: 2 / 3 },
      { threshold: 0.3, precision: 2 / 4, recall: 2 / 3 },
      { threshold: 0.1, precision: 3 / 5, recall: 1 },
    ]);
  });

  it('has the steps whose area is the average precision', () => {
    const scores = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const labels = scores.map((s, i) => (s + Math.cos(i * 78.233) * 0.4 > 0.6 ? 1 : 0));
    const curve = computePrecisionRecallCurve(scores, labels);
    let area = 0;
    let recalled = 0;
    for (const point of curve) {
      area += (point.recall - recalled) * point.precision;
      recalled = point.recall;
    }
    expect(area).toBeCloseTo(computeAveragePrecision(scores, labels), 12);
    expect(curve.at(-1)!.recall).toBe(1);
  });

  it('refuses labels without a positive', () => {
    expect(() => computePrecisionRecallCurve([0.2, 0.4], [0, 0])).toThrow(/without positive labels/);
  });
});
