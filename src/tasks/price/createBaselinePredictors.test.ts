import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { createLinearPredictor } from './createLinearPredictor.js';
import { createMomentumPredictor } from './createMomentumPredictor.js';
import { createZeroReturnPredictor } from './createZeroReturnPredictor.js';
import type { PriceRows, PriceTrainingSet } from './PricePredictor.js';

/** Rows of one token with the given feature rows (and targets, for a training set). */
function rowsOf(featureNames: string[], features: number[][]): PriceRows {
  return {
    featureNames,
    features: Float32Array.from(features.flat()),
    tokenIds: new Int32Array(features.length),
    tokens: ['0xa'],
    windowStarts: Float64Array.from(features, (_, i) => i * 3600),
  };
}
const trainingOf = (names: string[], features: number[][], targets: number[]): PriceTrainingSet => ({
  ...rowsOf(names, features),
  targets: Float32Array.from(targets),
});

describe('baseline predictors', () => {
  it('zero-return forecasts 0 and momentum forecasts return_1 (0 where it is unknown)', () => {
    const rows = rowsOf(
      ['swaps', 'return_1'],
      [
        [5, 0.25],
        [7, Number.NaN],
        [1, -0.5],
      ],
    );
    expect(createZeroReturnPredictor().predict(rows, rows)).toEqual(
      [0, 0, 0].map((p) => ({ predictedReturn: p })),
    );
    const momentum = createMomentumPredictor().predict(rows, rows) as { predictedReturn: number }[];
    expect(momentum.map((p) => p.predictedReturn)).toEqual([0.25, 0, -0.5]);
    const noReturn = rowsOf(['swaps'], [[1]]);
    expect(thrown(() => createMomentumPredictor().predict(noReturn, noReturn)).code).toBe(
      'PRICE_FEATURE_MISSING',
    );
  });

  it('linear recovers an exact linear relation and skips rows with a NaN feature or target', () => {
    const names = ['a', 'b'];
    const features: number[][] = [];
    const targets: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const [a, b] = [Math.sin(i), Math.cos(3 * i)];
      features.push([a, b]);
      targets.push(0.5 + 2 * a - b);
    }
    features.push([1000, Number.NaN], [1000, 1000]);
    targets.push(-1000, Number.NaN);
    const linear = createLinearPredictor({ lambdaPerRow: 1e-12 });
    linear.fit(trainingOf(names, features, targets));
    const probe = rowsOf(names, [
      [0.3, -0.2],
      [0.1, Number.NaN],
    ]);
    const [exact, imputed] = linear.predict(probe, probe) as Required<{ predictedReturn: number }>[];
    expect(exact!.predictedReturn).toBeCloseTo(0.5 + 0.6 + 0.2, 5);
    const meanB = features.slice(0, 30).reduce((sum, [, b]) => sum + b!, 0) / 30;
    expect(imputed!.predictedReturn).toBeCloseTo(0.5 + 0.2 - meanB, 5);
  });

  it('linear gives an interval and direction probability from the training residuals', () => {
    // The target is noise around 0.1 that no feature explains: residuals are the noise, the forecast ~0.1.
    const noise = [-0.3, -0.2, -0.15, -0.05, 0, 0.05, 0.1, 0.2, 0.25, 0.1];
    const features = noise.map(() => [1]);
    const linear = createLinearPredictor();
    linear.fit(
      trainingOf(
        ['constant'],
        features,
        noise.map((n) => 0.1 + n),
      ),
    );
    const rows = rowsOf(['constant'], [[1]]);
    const [p] = linear.predict(rows, rows) as Required<{
      predictedReturn: number;
      lower: number;
      upper: number;
      directionProb: number;
    }>[];
    expect(p!.predictedReturn).toBeCloseTo(0.1, 6);
    const sorted = [...noise].sort((a, b) => a - b);
    expect(p!.lower).toBeCloseTo(0.1 + sorted[0]! + 0.9 * (sorted[1]! - sorted[0]!), 6);
    expect(p!.upper).toBeCloseTo(0.1 + sorted[8]! + 0.1 * (sorted[9]! - sorted[8]!), 6);
    // Positive where 0.1 + residual > 0: every residual above −0.1.
    expect(p!.directionProb).toBeCloseTo(noise.filter((n) => n > -0.1).length / noise.length, 12);
  });

  it('linear refuses to predict before fit and to fit without a complete row', () => {
    const linear = createLinearPredictor();
    const rows = rowsOf(['a'], [[1]]);
    expect(thrown(() => linear.predict(rows, rows)).code).toBe('PRICE_PREDICTOR_NOT_FITTED');
    const empty = trainingOf(['a'], [[Number.NaN], [1]], [0.1, Number.NaN]);
    expect(thrown(() => linear.fit(empty)).code).toBe('PRICE_TRAINING_EMPTY');
  });
});
