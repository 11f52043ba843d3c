import { NonRetryableError } from '../../internal/errors.js';

/**
 * The β minimising ‖Xβ − y‖² + λ‖β‖² for X (rows × `columns`, row-major), by the normal equations
 * (XᵀX + λI)β = Xᵀy and a Cholesky factorisation; λ > 0 makes the system positive definite.
 */
export function solveRidge(x: Float64Array, y: Float64Array, columns: number, lambda: number): Float64Array {
  const rows = y.length;
  if (x.length !== rows * columns) {
    throw new NonRetryableError(`Ridge: ${x.length} design values for ${rows} rows × ${columns} columns`, {
      code: 'PRICE_SHAPE_MISMATCH',
      details: 'Expected x to hold rows × columns values, row-major, one row per target.',
    });
  }
  const a = new Float64Array(columns * columns);
  const b = new Float64Array(columns);
  for (let r = 0; r < rows; r += 1) {
    const offset = r * columns;
    for (let i = 0; i < columns; i += 1) {
      const xi = x[offset + i]!;
      b[i]! += xi * y[r]!;
      for (let j = 0; j <= i; j += 1) a[i * columns + j]! += xi * x[offset + j]!;
    }
  }
  for (let i = 0; i < columns; i += 1) a[i * columns + i]! += lambda;
  // In place: the lower triangle of `a` becomes L with LLᵀ = XᵀX + λI.
  for (let j = 0; j < columns; j += 1) {
    let pivot = a[j * columns + j]!;
    for (let k = 0; k < j; k += 1) pivot -= a[j * columns + k]! ** 2;
    if (!(pivot > 0)) {
      throw new NonRetryableError('Ridge: the normal equations are not positive definite', {
        code: 'PRICE_RIDGE_SINGULAR',
        details: `Column ${j} is a linear combination of earlier ones (or holds NaN) and λ = ${lambda}. Use λ > 0 and finite features.`,
      });
    }
    const diagonal = Math.sqrt(pivot);
    a[j * columns + j] = diagonal;
    for (let i = j + 1; i < columns; i += 1) {
      let value = a[i * columns + j]!;
      for (let k = 0; k < j; k += 1) value -= a[i * columns + k]! * a[j * columns + k]!;
      a[i * columns + j] = value / diagonal;
    }
  }
  const z = new Float64Array(columns);
  for (let i = 0; i < columns; i += 1) {
    let value = b[i]!;
    for (let k = 0; k < i; k += 1) value -= a[i * columns + k]! * z[k]!;
    z[i] = value / a[i * columns + i]!;
  }
  const beta = new Float64Array(columns);
  for (let i = columns - 1; i >= 0; i -= 1) {
    let value = z[i]!;
    for (let k = i + 1; k < columns; k += 1) value -= a[k * columns + i]! * beta[k]!;
    beta[i] = value / a[i * columns + i]!;
  }
  return beta;
}
