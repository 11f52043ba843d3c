import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { createRng } from '../../utils/createRng.js';
import { solveRidge } from './solveRidge.js';

describe('solveRidge', () => {
  it('matches the explicit inverse of XᵀX + λI on a 3 × 2 case', () => {
    const x = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    const y = [1, 2, 4];
    const lambda = 0.5;
    const dot = (i: number, j: number) => x.reduce((sum, row) => sum + row[i]! * row[j]!, 0);
    const [a, b, d] = [dot(0, 0) + lambda, dot(0, 1), dot(1, 1) + lambda];
    const [u, v] = [0, 1].map((i) => x.reduce((sum, row, r) => sum + row[i]! * y[r]!, 0)) as [number, number];
    const det = a * d - b * b;
    const beta = solveRidge(new Float64Array(x.flat()), new Float64Array(y), 2, lambda);
    expect(beta[0]).toBeCloseTo((d * u - b * v) / det, 12);
    expect(beta[1]).toBeCloseTo((a * v - b * u) / det, 12);
  });

  it('solves the normal equations of a random 40 × 5 case', () => {
    const rng = createRng('ridge');
    const [rows, columns, lambda] = [40, 5, 0.3];
    const x = Float64Array.from({ length: rows * columns }, () => rng.normal());
    const y = Float64Array.from({ length: rows }, () => rng.normal());
    const beta = solveRidge(x, y, columns, lambda);
    for (let i = 0; i < columns; i += 1) {
      let gradient = lambda * beta[i]!;
      for (let r = 0; r < rows; r += 1) {
        let fit = 0;
        for (let j = 0; j < columns; j += 1) fit += x[r * columns + j]! * beta[j]!;
        gradient += x[r * columns + i]! * (fit - y[r]!);
      }
      expect(Math.abs(gradient)).toBeLessThan(1e-10);
    }
  });

  it('recovers exact coefficients with λ = 0 and rejects collinear columns', () => {
    const x = new Float64Array([1, 0, 0, 1, 1, 1, 2, -1]);
    const y = new Float64Array([3, -2, 1, 8]);
    expect([...solveRidge(x, y, 2, 0)].map((b) => Number(b.toFixed(10)))).toEqual([3, -2]);
    const collinear = new Float64Array([1, 2, 2, 4, 3, 6]);
    expect(thrown(() => solveRidge(collinear, new Float64Array(3), 2, 0)).code).toBe('PRICE_RIDGE_SINGULAR');
    expect(thrown(() => solveRidge(collinear, new Float64Array(2), 2, 1)).code).toBe('PRICE_SHAPE_MISMATCH');
  });
});
