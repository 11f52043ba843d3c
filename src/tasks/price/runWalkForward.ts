import {
  computeRegressionMetrics,
  type RegressionMetrics,
} from '../../gnn/metrics/computeRegressionMetrics.js';
import { NonRetryableError } from '../../internal/errors.js';
import { upperBound } from '../../utils/upperBound.js';
import { type PriceFeatureSeries, priceFeatureNames } from './buildPriceFeatures.js';
import { computeLongFlatMetrics, type LongFlatMetrics } from './computeLongFlatMetrics.js';
import type { PricePrediction, PricePredictor, PriceTrainingSet } from './PricePredictor.js';

/** What runWalkForward backtests and how. */
export interface WalkForwardOptions {
  series: readonly PriceFeatureSeries[];
  predictors: readonly PricePredictor[];
  /** The columns of the series' features (default priceFeatureNames). */
  featureNames?: readonly string[];
  /** The window length of every series (their window starts are this far apart). */
  windowSeconds: number;
  /** Distinct windows before the first predicted one. */
  minTrainWindows: number;
  /** Refit the predictors every this many predicted windows (1 = before every prediction). */
  refitEvery: number;
  /** Fraction of the position paid on each entry and each exit of the long/flat rule. */
  feePerTrade: number;
  /** The long/flat rule goes long when the forecast is above this (default 2 × feePerTrade, a round trip). */
  longThreshold?: number;
  /** Progress after each predicted window (1-based step of `steps`). */
  onStep?: (step: number, steps: number) => void;
}

/** One predictor's forecast for a row, beside the return that followed. */
export interface WalkForwardPrediction extends PricePrediction {
  predictor: string;
  token: string;
  /** The row's window: the forecast is for the next window's log return. */
  windowStart: number;
  /** The next window's log return; NaN where the series ends (not scored). */
  actualReturn: number;
}

/** A predictor's scores over every prediction with a known outcome. */
export interface WalkForwardResult extends RegressionMetrics, LongFlatMetrics {
  predictor: string;
  /** Predictions scored. */
  count: number;
}

/** The settings used, the scores of each predictor (in the order given) and every prediction. */
export interface WalkForwardReport {
  settings: Required<Omit<WalkForwardOptions, 'series' | 'predictors' | 'onStep'>> & {
    /** The first and last predicted row windows. */
    firstWindow: number;
    lastWindow: number;
    /** Distinct windows predicted and the number of fits per predictor. */
    steps: number;
    fits: number;
  };
  results: WalkForwardResult[];
  predictions: WalkForwardPrediction[];
}

/**
 * Walk-forward backtest over the tokens' pooled windows in time order. A row's target is the next window's
 * return, known once that window ends, so to forecast from window t a predictor is fitted only on rows of
 * windows ≤ t − windowSeconds (whose target windows end by the end of t). Directional accuracy counts a zero
 * forecast as right only when the return is exactly zero (computeRegressionMetrics), so zero-return scores ~0.
 */
export async function runWalkForward(options: WalkForwardOptions): Promise<WalkForwardReport> {
  const { series, predictors, windowSeconds, minTrainWindows, refitEvery, feePerTrade } = options;
  const featureNames = options.featureNames ?? priceFeatureNames;
  const longThreshold = options.longThreshold ?? 2 * feePerTrade;
  checkOptions(options, featureNames);
  const pooled = poolRows(series, featureNames);
  const starts = [...new Set(pooled.windowStarts)];
  if (starts.length <= minTrainWindows) {
    throw new NonRetryableError('Too few windows for the walk-forward backtest', {
      code: 'PRICE_WALK_FORWARD_SHORT',
      details: `There are ${starts.length} distinct windows and minTrainWindows is ${minTrainWindows}: nothing is left to predict.`,
    });
  }
  const width = featureNames.length;
  const predictions: WalkForwardPrediction[] = [];
  let fits = 0;
  let begin = pooled.windowStarts.indexOf(starts[minTrainWindows]!);
  for (let step = minTrainWindows; step < starts.length; step += 1) {
    const start = starts[step]!;
    let end = begin;
    while (end < pooled.windowStarts.length && pooled.windowStarts[end] === start) end += 1;
    if ((step - minTrainWindows) % refitEvery === 0) {
      const known = upperBound(pooled.windowStarts, start - windowSeconds);
      const train = slicePriceRows(pooled, 0, known, width);
      for (const predictor of predictors) await predictor.fit(train);
      fits += 1;
    }
    // What a predictor sees at prediction time carries no targets: the target of window t is the future.
    const { targets: _future, ...rows } = slicePriceRows(pooled, begin, end, width);
    const { targets: _alsoFuture, ...history } = slicePriceRows(pooled, 0, end, width);
    for (const predictor of predictors) {
      const forecasts = await predictor.predict(rows, history);
      checkForecasts(predictor.name, forecasts, end - begin, start);
      forecasts.forEach((forecast, i) => {
        predictions.push({
          ...forecast,
          predictor: predictor.name,
          token: pooled.tokens[pooled.tokenIds[begin + i]!]!,
          windowStart: start,
          actualReturn: pooled.targets[begin + i]!,
        });
      });
    }
    begin = end;
    options.onStep?.(step - minTrainWindows + 1, starts.length - minTrainWindows);
  }
  const settings = { featureNames, windowSeconds, minTrainWindows, refitEvery, feePerTrade, longThreshold };
  const results = predictors.map((predictor) => {
    const scored = predictions.filter(
      (p) => p.predictor === predictor.name && Number.isFinite(p.actualReturn),
    );
    if (scored.length === 0) {
      throw new NonRetryableError('No prediction of the walk-forward backtest has a known outcome', {
        code: 'PRICE_WALK_FORWARD_SHORT',
        details: `Every predicted window from ${starts[minTrainWindows]} on is a series' last. Lower minTrainWindows or add windows.`,
      });
    }
    return {
      predictor: predictor.name,
      count: scored.length,
      ...computeRegressionMetrics(
        scored.map((p) => p.predictedReturn),
        scored.map((p) => p.actualReturn),
      ),
      ...computeLongFlatMetrics(scored, settings),
    };
  });
  return {
    settings: {
      ...settings,
      firstWindow: starts[minTrainWindows]!,
      lastWindow: starts[starts.length - 1]!,
      steps: starts.length - minTrainWindows,
      fits,
    },
    results,
    predictions,
  };
}

/** Every series' rows in one set, ordered by window start (then by token, as given). */
export function poolRows(
  series: readonly PriceFeatureSeries[],
  featureNames: readonly string[],
): PriceTrainingSet {
  const width = featureNames.length;
  const order = series
    .flatMap((s, token) => s.windowStarts.map((start, row) => ({ start, token, row })))
    .sort((a, b) => a.start - b.start || a.token - b.token);
  const features = new Float32Array(order.length * width);
  const targets = new Float32Array(order.length);
  const tokenIds = new Int32Array(order.length);
  const windowStarts = new Float64Array(order.length);
  order.forEach(({ start, token, row }, i) => {
    const source = series[token]!;
    features.set(source.features.subarray(row * width, (row + 1) * width), i * width);
    targets[i] = source.targets[row]!;
    tokenIds[i] = token;
    windowStarts[i] = start;
  });
  return { featureNames, features, targets, tokenIds, tokens: series.map((s) => s.token), windowStarts };
}

/** Rows [from, to) of pooled rows, as views (no copy). */
export function slicePriceRows(
  pooled: PriceTrainingSet,
  from: number,
  to: number,
  width: number,
): PriceTrainingSet {
  return {
    featureNames: pooled.featureNames,
    features: pooled.features.subarray(from * width, to * width),
    targets: pooled.targets.subarray(from, to),
    tokenIds: pooled.tokenIds.subarray(from, to),
    tokens: pooled.tokens,
    windowStarts: pooled.windowStarts.subarray(from, to),
  };
}

function checkOptions(options: WalkForwardOptions, featureNames: readonly string[]): void {
  const fail = (field: string, details: string) => {
    throw new NonRetryableError(`Invalid walk-forward option ${field}`, {
      code: 'PRICE_WALK_FORWARD_INVALID',
      details,
    });
  };
  const { windowSeconds, minTrainWindows, refitEvery, feePerTrade, longThreshold = 0 } = options;
  if (!(Number.isInteger(windowSeconds) && windowSeconds > 0))
    fail('windowSeconds', `Got ${windowSeconds}; expected a positive integer.`);
  if (!(Number.isInteger(minTrainWindows) && minTrainWindows >= 1))
    fail('minTrainWindows', `Got ${minTrainWindows}; expected an integer ≥ 1.`);
  if (!(Number.isInteger(refitEvery) && refitEvery >= 1))
    fail('refitEvery', `Got ${refitEvery}; expected an integer ≥ 1.`);
  if (!(feePerTrade >= 0 && feePerTrade < 1))
    fail('feePerTrade', `Got ${feePerTrade}; expected a fraction in [0, 1), e.g. 0.003.`);
  if (!Number.isFinite(longThreshold))
    fail('longThreshold', `Got ${longThreshold}; expected a finite log return.`);
  const names = options.predictors.map((p) => p.name);
  if (names.length === 0 || new Set(names).size !== names.length) {
    fail('predictors', `Got [${names.join(', ')}]; expected at least one predictor, with distinct names.`);
  }
  for (const s of options.series) {
    const rows = s.windowStarts.length;
    if (s.features.length !== rows * featureNames.length || s.targets.length !== rows) {
      fail(
        'series',
        `${s.token}: ${rows} windows, ${s.features.length} feature values, ${s.targets.length} targets; expected ${featureNames.length} features per window and one target.`,
      );
    }
    for (let t = 1; t < rows; t += 1) {
      if (s.windowStarts[t]! - s.windowStarts[t - 1]! !== windowSeconds) {
        fail(
          'series',
          `${s.token}: windows at ${s.windowStarts[t - 1]} and ${s.windowStarts[t]}; expected consecutive windows ${windowSeconds} s apart.`,
        );
      }
    }
  }
}

function checkForecasts(
  name: string,
  forecasts: readonly PricePrediction[],
  rows: number,
  start: number,
): void {
  if (forecasts.length === rows && forecasts.every((f) => Number.isFinite(f.predictedReturn))) return;
  throw new NonRetryableError(`Predictor ${name} gave an invalid forecast`, {
    code: 'PRICE_PREDICTOR_INVALID',
    details: `For the ${rows} rows of window ${start} it returned ${forecasts.length} forecasts; expected one finite predictedReturn per row.`,
  });
}
