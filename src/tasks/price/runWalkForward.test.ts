import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { PriceFeatureSeries } from './buildPriceFeatures.js';
import { createLinearPredictor } from './createLinearPredictor.js';
import { createMomentumPredictor } from './createMomentumPredictor.js';
import { createZeroReturnPredictor } from './createZeroReturnPredictor.js';
import type { PricePredictor } from './PricePredictor.js';
import { runWalkForward, type WalkForwardReport } from './runWalkForward.js';

const hour = 3600;
const t0 = 1_699_999_200;

/** A token's series from its per-window feature rows and targets, starting `offset` windows after t0. */
function seriesOf(token: string, rows: number[][], targets: number[], offset = 0): PriceFeatureSeries {
  return {
    token,
    windowStarts: rows.map((_, w) => t0 + (offset + w) * hour),
    features: Float32Array.from(rows.flat()),
    targets: Float32Array.from(targets),
  };
}

/** i.i.d. targets; features: two noise columns and `next_target`, the target of the row after (the future). */
function noiseSeries(rng: Rng, token: string, length: number, offset: number): PriceFeatureSeries {
  const targets = Array.from({ length }, () => 0.01 * rng.normal());
  const rows = targets.map((_, t) => [rng.normal(), rng.normal(), targets[t + 1] ?? 0]);
  targets[length - 1] = Number.NaN;
  return seriesOf(token, rows, targets, offset);
}

const result = (report: WalkForwardReport, name: string) => report.results.find((r) => r.predictor === name)!;

describe('runWalkForward', () => {
  it('gives a linear model no edge on noise, even with a feature holding the following row target', async () => {
    const rng = createRng('noise');
    const series = ['0xa', '0xb', '0xc', '0xd'].map((token, i) => noiseSeries(rng, token, 400, i * 7));
    const report = await runWalkForward({
      series,
      predictors: [createLinearPredictor(), createZeroReturnPredictor()],
      featureNames: ['noise_1', 'noise_2', 'next_target'],
      windowSeconds: hour,
      minTrainWindows: 50,
      refitEvery: 10,
      feePerTrade: 0.003,
    });
    const linear = result(report, 'linear');
    expect(linear.count).toBeGreaterThan(1300);
    expect(Math.abs(linear.directionalAccuracy - 0.5)).toBeLessThan(0.05);
    expect(linear.mae).toBeGreaterThan(0.98 * result(report, 'zero-return').mae);
  });

  it('never trains on a row whose target window ends after the forecast is made', async () => {
    const rng = createRng('memorise');
    const series = ['0xa', '0xb'].map((token, i) => noiseSeries(rng, token, 60, i * 3));
    const trainedOn: { predicted: number; trainStarts: number[] }[] = [];
    let memory = new Map<string, number>();
    // Remembers every training target by token and window: it scores only if the harness leaks the answer.
    const memoriser: PricePredictor = {
      name: 'memoriser',
      fit: (train) => {
        memory = new Map(
          Array.from(train.tokenIds, (id, i) => [`${id}@${train.windowStarts[i]}`, train.targets[i]!]),
        );
        trainedOn.push({ predicted: Number.NaN, trainStarts: [...train.windowStarts] });
      },
      predict: (rows, history) => {
        trainedOn.at(-1)!.predicted = rows.windowStarts[0]!;
        expect(Math.max(...history.windowStarts)).toBe(rows.windowStarts[0]);
        // Nothing handed over at prediction time carries a target (the target of window t is the future).
        expect('targets' in rows || 'targets' in history).toBe(false);
        return Array.from(rows.tokenIds, (id, i) => ({
          predictedReturn: memory.get(`${id}@${rows.windowStarts[i]}`) ?? 0,
        }));
      },
    };
    const report = await runWalkForward({
      series,
      predictors: [memoriser, createZeroReturnPredictor()],
      featureNames: ['noise_1', 'noise_2', 'next_target'],
      windowSeconds: hour,
      minTrainWindows: 5,
      refitEvery: 1,
      feePerTrade: 0,
    });
    expect(result(report, 'memoriser').mae).toBe(result(report, 'zero-return').mae);
    expect(trainedOn).toHaveLength(report.settings.steps);
    for (const { predicted, trainStarts } of trainedOn) {
      // Row s's target window [s + w, s + 2w) must end by the end of the predicted row's window (t + w).
      expect(Math.max(...trainStarts) + 2 * hour).toBeLessThanOrEqual(predicted + hour);
      // …and nothing known is held back: the latest allowed window is in.
      expect(trainStarts).toContain(predicted - hour);
    }
  });

  it('refits every refitEvery steps', async () => {
    const rng = createRng('refit');
    let fits = 0;
    const counting: PricePredictor = {
      ...createZeroReturnPredictor(),
      name: 'counting',
      fit: () => {
        fits += 1;
      },
    };
    const report = await runWalkForward({
      series: [noiseSeries(rng, '0xa', 30, 0)],
      predictors: [counting],
      featureNames: ['noise_1', 'noise_2', 'next_target'],
      windowSeconds: hour,
      minTrainWindows: 10,
      refitEvery: 4,
      feePerTrade: 0,
    });
    expect(report.settings.steps).toBe(20);
    expect(fits).toBe(5);
    expect(report.settings.fits).toBe(5);
  });

  it('lets the linear model beat zero-return and momentum on a real linear signal', async () => {
    const rng = createRng('signal');
    const series = ['0xa', '0xb', '0xc'].map((token) => {
      const signal = Array.from({ length: 300 }, () => 0.01 * rng.normal());
      const targets = signal.map((s) => 0.5 * s + 0.002 * rng.normal());
      const rows = signal.map((s, t) => [t === 0 ? Number.NaN : targets[t - 1]!, s, rng.normal()]);
      targets[299] = Number.NaN;
      return seriesOf(token, rows, targets);
    });
    const report = await runWalkForward({
      series,
      predictors: [createZeroReturnPredictor(), createMomentumPredictor(), createLinearPredictor()],
      featureNames: ['return_1', 'signal', 'noise'],
      windowSeconds: hour,
      minTrainWindows: 30,
      refitEvery: 5,
      feePerTrade: 0.0005,
    });
    const [zero, momentum, linear] = ['zero-return', 'momentum', 'linear'].map((name) =>
      result(report, name),
    );
    expect(linear!.mae).toBeLessThan(0.6 * Math.min(zero!.mae, momentum!.mae));
    expect(linear!.directionalAccuracy).toBeGreaterThan(0.8);
    expect(linear!.directionalAccuracy).toBeGreaterThan(momentum!.directionalAccuracy + 0.2);
    expect(linear!.pnl).toBeGreaterThan(momentum!.pnl);
    const interval = report.predictions.filter((p) => p.predictor === 'linear');
    const covered = interval.filter((p) => p.actualReturn >= p.lower! && p.actualReturn <= p.upper!).length;
    expect(covered / interval.length).toBeGreaterThan(0.7);
  });

  it('scores a tiny hand-computed case exactly and records the unscored last row', async () => {
    const predicted = [0, 0.02, 0.03, -0.01, 0.02, 0.5];
    const echo: PricePredictor = {
      name: 'echo',
      fit: () => {},
      predict: (rows) => Array.from(rows.features, (value) => ({ predictedReturn: value })),
    };
    const report = await runWalkForward({
      series: [
        seriesOf(
          '0xa',
          predicted.map((p) => [p]),
          [0.7, 0.01, -0.02, 0.05, 0.04, Number.NaN],
        ),
      ],
      predictors: [echo],
      featureNames: ['forecast'],
      windowSeconds: hour,
      minTrainWindows: 1,
      refitEvery: 1,
      feePerTrade: 0.001,
    });
    expect(report.predictions.map((p) => p.windowStart)).toEqual([1, 2, 3, 4, 5].map((w) => t0 + w * hour));
    expect(report.predictions.at(-1)!.actualReturn).toBeNaN();
    const [echoed] = report.results;
    expect(echoed!.count).toBe(4);
    expect(echoed!.mae).toBeCloseTo((0.01 + 0.05 + 0.06 + 0.02) / 4, 7);
    expect(echoed!.rmse).toBeCloseTo(Math.sqrt((0.01 ** 2 + 0.05 ** 2 + 0.06 ** 2 + 0.02 ** 2) / 4), 7);
    expect(echoed!.directionalAccuracy).toBe(0.5);
    // Long, long, flat, long with threshold 0.002: entry, exit, entry and the closing exit.
    expect(echoed!.trades).toBe(4);
    expect(echoed!.pnl).toBeCloseTo(0.01 - 0.02 + 0.04 - 4 * 0.001, 7);
    expect(report.settings.longThreshold).toBe(0.002);
  });

  it('rejects bad settings and series that are not consecutive windows', async () => {
    const base = {
      series: [seriesOf('0xa', [[0], [0], [0]], [0, 0, Number.NaN])],
      predictors: [createZeroReturnPredictor()],
      featureNames: ['x'],
      windowSeconds: hour,
      minTrainWindows: 1,
      refitEvery: 1,
      feePerTrade: 0.003,
    };
    await expect(runWalkForward({ ...base, refitEvery: 0 })).rejects.toMatchObject({
      code: 'PRICE_WALK_FORWARD_INVALID',
    });
    await expect(runWalkForward({ ...base, windowSeconds: 2 * hour })).rejects.toMatchObject({
      code: 'PRICE_WALK_FORWARD_INVALID',
    });
    await expect(runWalkForward({ ...base, minTrainWindows: 3 })).rejects.toMatchObject({
      code: 'PRICE_WALK_FORWARD_SHORT',
    });
    await expect(
      runWalkForward({ ...base, predictors: [createZeroReturnPredictor(), createZeroReturnPredictor()] }),
    ).rejects.toMatchObject({
      code: 'PRICE_WALK_FORWARD_INVALID',
    });
  });
});
