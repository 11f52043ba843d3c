import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfBackend } from '../../gnn/createTfBackend.js';
import { computeRegressionMetrics } from '../../gnn/metrics/computeRegressionMetrics.js';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { buildPriceSequences } from './buildPriceSequences.js';
import { createLinearPredictor } from './createLinearPredictor.js';
import { createSequencePredictor, type SequencePredictorOptions } from './createSequencePredictor.js';
import { loadPriceModel } from './loadPriceModel.js';
import type { PricePrediction, PriceRows, PriceTrainingSet } from './PricePredictor.js';
import { runWalkForward } from './runWalkForward.js';
import { savePriceModel } from './savePriceModel.js';

const logger = createLogger({ level: 'silent' });
const windowSeconds = 3600;
const featureNames = ['a', 'b', 'noise'];

/** One token's synthetic windows: features per window (featureNames order) and each window's target. */
interface SyntheticSeries {
  features: number[][];
  targets: number[];
}

/**
 * The series pooled as runWalkForward pools them (ordered by window start, then token); token k starts at window
 * 3k, so the series begin at different times and the first rows of each need zero padding.
 */
function pool(series: readonly SyntheticSeries[]): PriceTrainingSet {
  const order = series
    .flatMap((s, token) => s.targets.map((_, t) => ({ token, t, window: 3 * token + t })))
    .sort((x, y) => x.window - y.window || x.token - y.token);
  return {
    featureNames,
    features: Float32Array.from(order.flatMap(({ token, t }) => series[token]!.features[t]!)),
    targets: Float32Array.from(order, ({ token, t }) => series[token]!.targets[t]!),
    tokenIds: Int32Array.from(order, ({ token }) => token),
    tokens: series.map((_, token) => `0x${String(token).padStart(40, '0')}`),
    windowStarts: Float64Array.from(order, ({ window }) => window * windowSeconds),
  };
}

/** The rows of `set` for which `keep(row)` holds, in order. */
function selectRows(set: PriceTrainingSet, keep: (row: number) => boolean): PriceTrainingSet {
  const rows = Array.from(set.targets.keys()).filter(keep);
  const width = set.featureNames.length;
  return {
    ...set,
    features: Float32Array.from(
      rows.flatMap((row) => Array.from(set.features.subarray(row * width, (row + 1) * width))),
    ),
    targets: Float32Array.from(rows, (row) => set.targets[row]!),
    tokenIds: Int32Array.from(rows, (row) => set.tokenIds[row]!),
    windowStarts: Float64Array.from(rows, (row) => set.windowStarts[row]!),
  };
}

/** `set` without its targets, as a predictor sees rows and history. */
function withoutTargets(set: PriceTrainingSet): PriceRows {
  const { targets: _targets, ...rows } = set;
  return rows;
}

/**
 * A planted lagged signal: features a, b (on another scale) and noise (NaN in each token's first window); the target
 * of window t is 0.01 · (0.5·a(t) + 0.3·b(t − 2) + 0.05·ε), with b(t − 2) of the same token.
 */
function buildLaggedSignal(tokens: number, windows: number, seed: string): PriceTrainingSet {
  const rng = createRng(seed);
  return pool(
    Array.from({ length: tokens }, () => {
      const a = Array.from({ length: windows }, () => rng.normal());
      const b = Array.from({ length: windows + 2 }, () => rng.normal());
      return {
        features: a.map((value, t) => [value, 1000 + 50 * b[t + 2]!, t === 0 ? Number.NaN : rng.normal()]),
        targets: a.map((value, t) => 0.01 * (0.5 * value + 0.3 * b[t]! + 0.05 * rng.normal())),
      };
    }),
  );
}

/** Pure noise features, and the target of window t is feature a of window t + 1: only the future would help. */
function buildFutureOnlySignal(tokens: number, windows: number): PriceTrainingSet {
  const rng = createRng('future-only');
  return pool(
    Array.from({ length: tokens }, () => {
      const features = Array.from({ length: windows }, () => [rng.normal(), rng.normal(), rng.normal()]);
      return { features, targets: features.map((_, t) => features[t + 1]?.[0] ?? Number.NaN) };
    }),
  );
}

/** The predictor's scores on the rows of `set` from window `from` on that have a target. */
async function scoreLater(
  predict: (rows: PriceRows, history: PriceRows) => PricePrediction[] | Promise<PricePrediction[]>,
  set: PriceTrainingSet,
  from: number,
) {
  const test = selectRows(set, (row) => set.windowStarts[row]! >= from && Number.isFinite(set.targets[row]!));
  const predictions = await predict(withoutTargets(test), withoutTargets(set));
  const actual = Array.from(test.targets);
  return {
    predictions,
    actual,
    metrics: computeRegressionMetrics(
      predictions.map((p) => p.predictedReturn),
      actual,
    ),
    count: actual.length,
  };
}

const quick: SequencePredictorOptions = {
  epochs: 6,
  batchSize: 32,
  model: { hiddenChannels: 8, lookback: 6 },
};

describe('createSequencePredictor', () => {
  let dataDir: string;
  const small = buildLaggedSignal(3, 40, 'small');

  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
    dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-price-models-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('learns a lagged signal of the same token that a linear model on the current row misses', async () => {
    const data = buildLaggedSignal(8, 150, 'lagged');
    const cut = 110 * windowSeconds;
    const train = selectRows(data, (row) => data.windowStarts[row]! < cut);
    const epochs: number[] = [];
    const tcn = createSequencePredictor({ seed: 1, onEpoch: (epoch) => epochs.push(epoch) });
    await tcn.fit(train);
    const linear = createLinearPredictor();
    linear.fit(train);
    const model = await scoreLater(tcn.predict, data, cut);
    const baseline = await scoreLater(linear.predict, data, cut);
    const zero = await scoreLater(
      (rows) => Array.from(rows.tokenIds, () => ({ predictedReturn: 0 })),
      data,
      cut,
    );
    expect(model.count).toBeGreaterThan(250);
    expect(model.metrics.directionalAccuracy).toBeGreaterThan(0.85);
    expect(model.metrics.mae).toBeLessThan(0.6 * zero.metrics.mae);
    expect(model.metrics.mae).toBeLessThan(0.8 * baseline.metrics.mae);
    expect(epochs[0]).toBe(1);
    // Intervals are ordered around the forecast and cover roughly the 0.1..0.9 band; the direction head agrees
    // with the mean head on most rows.
    for (const p of model.predictions) {
      expect(p.lower!).toBeLessThanOrEqual(p.predictedReturn);
      expect(p.upper!).toBeGreaterThanOrEqual(p.predictedReturn);
    }
    const covered = model.predictions.filter(
      (p, i) => model.actual[i]! >= p.lower! && model.actual[i]! <= p.upper!,
    ).length;
    const agreeing = model.predictions.filter((p) => p.directionProb! > 0.5 === p.predictedReturn > 0).length;
    expect(agreeing / model.count).toBeGreaterThan(0.8);
    expect(covered / model.count).toBeGreaterThan(0.5);
    tcn.dispose();
  });

  it('never reads a later window: a target only the future predicts stays at chance', async () => {
    const data = buildFutureOnlySignal(8, 150);
    const cut = 100 * windowSeconds;
    const tcn = createSequencePredictor({ seed: 2, epochs: 30 });
    await tcn.fit(selectRows(data, (row) => data.windowStarts[row]! < cut));
    // The history handed over holds every row, the future included: only the sequence builder keeps it out.
    const { metrics, count } = await scoreLater(tcn.predict, data, cut);
    expect(count).toBeGreaterThan(300);
    expect(metrics.directionalAccuracy).toBeGreaterThan(0.35);
    expect(metrics.directionalAccuracy).toBeLessThan(0.65);
    tcn.dispose();
  });

  it('builds each sequence from same-token rows at or before the row, oldest first, zero-padded', () => {
    const data = pool(
      Array.from({ length: 3 }, (_, token) => ({
        features: Array.from({ length: 7 }, (_, t) => [
          token * 1000 + 3 * token + t + 1,
          t === 2 ? Number.NaN : 1,
          0,
        ]),
        targets: Array.from({ length: 7 }, () => 0),
      })),
    );
    // Shuffled history: the builder must not rely on the pooled order.
    const order = createRng('shuffle').shuffle(Array.from(data.targets.keys()));
    const history = withoutTargets(selectRows(data, () => true));
    const shuffled: PriceRows = {
      ...history,
      features: Float32Array.from(
        order.flatMap((row) => Array.from(data.features.subarray(row * 3, row * 3 + 3))),
      ),
      tokenIds: Int32Array.from(order, (row) => data.tokenIds[row]!),
      windowStarts: Float64Array.from(order, (row) => data.windowStarts[row]!),
    };
    const lookback = 4;
    const queries = Array.from(data.targets.keys(), (row) => ({
      token: data.tokens[data.tokenIds[row]!]!,
      windowStart: data.windowStarts[row]!,
    }));
    const sequences = buildPriceSequences(shuffled, queries, lookback, {
      means: [0, 0, 0],
      scales: [1000, 2, 1],
    });
    // Standardised values beyond ±5 are clipped (here feature a, unscaled, for every row past the first four).
    const unscaled = buildPriceSequences(shuffled, queries, lookback, {
      means: [0, 0, 0],
      scales: [1, 1, 1],
    });
    expect(Math.max(...unscaled)).toBe(5);
    queries.forEach(({ token, windowStart }, q) => {
      const tokenId = data.tokens.indexOf(token);
      const window = windowStart / windowSeconds;
      const position = window - 3 * tokenId;
      const values = Array.from({ length: lookback }, (_, s) => sequences[(q * lookback + s) * 3]!);
      const expected = Array.from({ length: lookback }, (_, s) => {
        const t = position - (lookback - 1 - s);
        return t < 0 ? 0 : Math.fround((tokenId * 1000 + 3 * tokenId + t + 1) / 1000);
      });
      // Feature a encodes (token, window) in thousandths: every value is this token's, at or before the row's window.
      expect(values).toEqual(expected);
      const second = Array.from({ length: lookback }, (_, s) => sequences[(q * lookback + s) * 3 + 1]!);
      expect(second).toEqual(
        expected.map((value, s) => (value === 0 || position - (lookback - 1 - s) === 2 ? 0 : 0.5)),
      );
    });
    // A window past a token's last row takes its latest rows; an unknown token is all padding.
    const [late, unknown] = [
      buildPriceSequences(history, [{ token: data.tokens[0]!, windowStart: 99 * windowSeconds }], 2, {
        means: [0, 0, 0],
        scales: [2, 1, 1],
      }),
      buildPriceSequences(history, [{ token: '0xunknown', windowStart: 5 * windowSeconds }], 2, {
        means: [0, 0, 0],
        scales: [1, 1, 1],
      }),
    ];
    expect([late[0], late[3]]).toEqual([3, 3.5]);
    expect(Array.from(unknown)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('repeats its predictions for the same seed, and changes them for another', async () => {
    const cut = 30 * windowSeconds;
    const train = selectRows(small, (row) => small.windowStarts[row]! < cut);
    const runs = [];
    for (const seed of [5, 5, 6]) {
      const tcn = createSequencePredictor({ ...quick, seed });
      await tcn.fit(train);
      runs.push((await scoreLater(tcn.predict, small, cut)).predictions);
      tcn.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });

  it('saves and loads a fitted model with identical predictions, refusing corrupt files and other features', async () => {
    const cut = 30 * windowSeconds;
    const tcn = createSequencePredictor({ ...quick, seed: 3 });
    await tcn.fit(selectRows(small, (row) => small.windowStarts[row]! < cut));
    const saved = await savePriceModel(dataDir, tcn, {
      metrics: { mae: 0.01 },
      split: { kind: 'time', cut },
      snapshotId: 'synthetic',
    });
    const before = tf.memory().numTensors;
    const loaded = await loadPriceModel(dataDir, { featureNames });
    expect(loaded.card).toMatchObject({
      task: 'price',
      version: saved.version,
      model: { architecture: 'tcn', inChannels: 3, hiddenChannels: 8, lookback: 6 },
      featureNames,
      normalization: tcn.state().normalization,
      metrics: { mae: 0.01 },
      training: { epochs: 6, batchSize: 32, seed: 3 },
    });
    expect((await scoreLater(loaded.predictor.predict, small, cut)).predictions).toEqual(
      (await scoreLater(tcn.predict, small, cut)).predictions,
    );
    loaded.predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tcn.dispose();
    await expect(loadPriceModel(dataDir, { featureNames: ['a', 'b'] })).rejects.toMatchObject({
      code: 'MODEL_FEATURES_MISMATCH',
    });
    const weights = join(saved.dir, 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(weights, bytes);
    await expect(loadPriceModel(dataDir)).rejects.toMatchObject({
      code: 'MODEL_FILE_INVALID',
      message: expect.stringMatching(/checksum does not match/),
    });
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(weights, bytes);
    const cardPath = join(saved.dir, 'card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    writeFileSync(
      cardPath,
      JSON.stringify({ ...card, normalization: { means: [0], scales: [1], targetScale: 1 } }),
    );
    await expect(loadPriceModel(dataDir)).rejects.toMatchObject({
      code: 'MODEL_FILE_INVALID',
      message: expect.stringMatching(/not a price sequence model card/),
    });
    expect(tf.memory().numTensors).toBe(before - saved.card.weights.manifest[0]!.weights.length);
  });

  it('leaves no tensor behind across fits, predictions and dispose, and refits in a walk-forward backtest', async () => {
    const before = tf.memory().numTensors;
    const tcn = createSequencePredictor({ ...quick, seed: 4 });
    await tcn.fit(selectRows(small, (row) => small.windowStarts[row]! < 20 * windowSeconds));
    const fitted = tf.memory().numTensors;
    await scoreLater(tcn.predict, small, 20 * windowSeconds);
    await tcn.fit(selectRows(small, (row) => small.windowStarts[row]! < 30 * windowSeconds));
    await scoreLater(tcn.predict, small, 30 * windowSeconds);
    expect(tf.memory().numTensors).toBe(fitted);
    expect(tcn.lastFit()).toMatchObject({ epochsRun: expect.any(Number) });
    tcn.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const walking = createSequencePredictor({ ...quick, epochs: 2 });
    const report = await runWalkForward({
      series: small.tokens.map((token, id) => {
        const rows = selectRows(small, (row) => small.tokenIds[row] === id);
        return {
          token,
          windowStarts: Array.from(rows.windowStarts),
          features: rows.features,
          targets: rows.targets,
        };
      }),
      predictors: [walking],
      featureNames,
      windowSeconds,
      minTrainWindows: 30,
      refitEvery: 5,
      feePerTrade: 0,
    });
    expect(report.settings.fits).toBeGreaterThan(1);
    expect(report.results[0]).toMatchObject({ predictor: 'tcn', count: expect.any(Number) });
    walking.dispose();
  });

  it('refuses to predict before fit, and to fit without a target', async () => {
    const tcn = createSequencePredictor();
    const rows = withoutTargets(small);
    expect(() => tcn.predict(rows, rows)).toThrow(
      expect.objectContaining({ code: 'PRICE_PREDICTOR_NOT_FITTED' }),
    );
    await expect(tcn.fit({ ...small, targets: small.targets.map(() => Number.NaN) })).rejects.toMatchObject({
      code: 'PRICE_TRAINING_EMPTY',
    });
    expect(() => tcn.state()).toThrow(expect.objectContaining({ code: 'PRICE_PREDICTOR_NOT_FITTED' }));
  });
});
