import { NonRetryableError } from '../internal/errors.js';
import { orderStatistic } from '../utils/orderStatistic.js';

/** A fitted feature normalizer: per feature, the median and interquartile range of the sign-preserving log1p. */
export interface Normalizer {
  names: string[];
  median: number[];
  iqr: number[];
}

/** Sign-preserving log1p: compresses heavy tails (values, counts) while keeping 0 at 0. */
const squash = (x: number) => Math.sign(x) * Math.log1p(Math.abs(x));

/** Fits a normalizer on a row-major matrix (rows × names.length), usually the training snapshot's features. */
export function fitNormalizer(matrix: Float64Array, names: readonly string[]): Normalizer {
  const width = names.length;
  const rows = checkShape(matrix, width);
  const median: number[] = [];
  const iqr: number[] = [];
  const column = new Float64Array(rows);
  for (let j = 0; j < width; j += 1) {
    for (let i = 0; i < rows; i += 1) column[i] = squash(matrix[i * width + j]!);
    column.sort();
    const at = (q: number) => orderStatistic(column, q);
    median.push(at(0.5));
    const spread = at(0.75) - at(0.25);
    iqr.push(spread > 0 ? spread : 1);
  }
  return { names: [...names], median, iqr };
}

/** Applies a fitted normalizer unchanged: (log1p(x) − median) / IQR per feature, as Float32 for the models. */
export function applyNormalizer(
  normalizer: Normalizer,
  matrix: Float64Array,
  names: readonly string[],
): Float32Array {
  if (names.length !== normalizer.names.length || names.some((name, j) => name !== normalizer.names[j])) {
    throw new NonRetryableError('The features do not match the ones the normalizer was fitted on', {
      code: 'NORMALIZER_MISMATCH',
      details: `Fitted on [${normalizer.names.join(', ')}]; got [${names.join(', ')}].`,
    });
  }
  const width = names.length;
  const rows = checkShape(matrix, width);
  const out = new Float32Array(rows * width);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < width; j += 1) {
      out[i * width + j] = (squash(matrix[i * width + j]!) - normalizer.median[j]!) / normalizer.iqr[j]!;
    }
  }
  return out;
}

function checkShape(matrix: Float64Array, width: number): number {
  if (width === 0 || matrix.length % width !== 0) {
    throw new NonRetryableError(
      `A feature matrix of ${matrix.length} values is not rows × ${width} features`,
      {
        code: 'FEATURES_SHAPE',
        details: 'Expected a row-major matrix whose length is a multiple of the number of feature names.',
      },
    );
  }
  return matrix.length / width;
}
