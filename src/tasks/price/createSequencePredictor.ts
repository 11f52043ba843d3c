import { NonRetryableError } from '../../internal/errors.js';
import { createRng } from '../../utils/createRng.js';
import { applyPriceSequenceModel } from './applyPriceSequenceModel.js';
import { buildPriceSequences, type PriceSequenceQuery } from './buildPriceSequences.js';
import { fitPriceNormalization, type PriceNormalization } from './fitPriceNormalization.js';
import type { PricePrediction, PricePredictor, PriceRows, PriceTrainingSet } from './PricePredictor.js';
import { PriceSequenceModel, priceSequenceOutputs } from './PriceSequenceModel.js';
import type { PriceSequenceModelConfigInput } from './priceSequenceModelConfig.js';
import {
  parseSequencePredictorSettings,
  type SequencePredictorSettings,
} from './sequencePredictorSettings.js';
import {
  type PriceSequenceData,
  type PriceSequenceTrainingReport,
  trainPriceSequenceModel,
} from './trainPriceSequenceModel.js';

/** A fitted sequence predictor: what saving needs and what restoring takes. */
export interface SequencePredictorState {
  model: PriceSequenceModel;
  /** The feature columns it reads, in order. */
  featureNames: readonly string[];
  normalization: PriceNormalization;
}

/** Options of {@link createSequencePredictor}: training settings (defaults in sequencePredictorSettings.ts) and more. */
export interface SequencePredictorOptions extends Partial<SequencePredictorSettings> {
  /** Model hyperparameters to change (inChannels comes from the training set's features). */
  model?: Omit<PriceSequenceModelConfigInput, 'inChannels' | 'architecture'>;
  /** Progress after every epoch of a fit (validationLoss NaN when nothing is held out). */
  onEpoch?: (epoch: number, epochs: number, trainLoss: number, validationLoss: number) => void;
  /** A fitted state (e.g. a loaded model) to predict from without fitting; the predictor takes ownership of it. */
  state?: SequencePredictorState;
}

/** The tcn predictor: a {@link PricePredictor} whose fitted state can be saved and whose weights can be freed. */
export interface SequencePredictor extends PricePredictor {
  readonly settings: SequencePredictorSettings;
  fit(train: PriceTrainingSet): Promise<void>;
  predict(rows: PriceRows, history: PriceRows): PricePrediction[];
  /** The fitted model, features and normalization (owned by the predictor: do not dispose the model). */
  state(): SequencePredictorState;
  /** How the last fit went (undefined before any fit, e.g. when restored). */
  lastFit(): PriceSequenceTrainingReport | undefined;
  /** Frees the model's weights; the predictor must be fitted again before predicting. */
  dispose(): void;
}

/**
 * The sequence (temporal convolution) predictor. fit standardises the features and targets on the training set,
 * builds for every row with a target its token's window sequence ending at that row, and trains the model with
 * early stopping on the latest `validationShare` of the training windows. A refit with the same features warm-starts
 * from the previous weights (with a fresh normalization and optimizer; the starting weights are kept unless
 * validation improves on them), so a walk-forward backtest need not retrain from scratch at every step. predict
 * builds each row's sequence from `history` (rows at or before the row's window only). Seeded: the same seed and
 * the same fits give the same predictions.
 */
export function createSequencePredictor(options: SequencePredictorOptions = {}): SequencePredictor {
  const settings = parseSequencePredictorSettings(options);
  const rng = createRng(`SequencePredictor/${settings.seed}`);
  let fitted = options.state && checkState(options.state);
  let report: PriceSequenceTrainingReport | undefined;
  const requireFitted = (): SequencePredictorState => {
    if (fitted) return fitted;
    throw new NonRetryableError('The tcn predictor is not fitted', {
      code: 'PRICE_PREDICTOR_NOT_FITTED',
      details:
        'Expected fit with a training set first (runWalkForward does), or a saved state (loadPriceModel) to predict from.',
    });
  };
  return {
    name: 'tcn',
    settings,
    fit: async (train) => {
      const previous = fitted;
      const warm =
        previous !== undefined && sameNames(previous.featureNames, train.featureNames)
          ? previous.model
          : undefined;
      const model =
        warm ??
        new PriceSequenceModel({
          seed: settings.seed,
          ...options.model,
          inChannels: train.featureNames.length,
        });
      if (previous && !warm) previous.model.dispose();
      fitted = undefined;
      try {
        const normalization = fitPriceNormalization(train);
        const { trainData, validationData } = buildTrainingData(train, model, normalization, settings);
        report = trainPriceSequenceModel(model, trainData, validationData, {
          ...settings,
          rng,
          onEpoch: options.onEpoch,
        });
        fitted = { model, featureNames: [...train.featureNames], normalization };
      } catch (error) {
        model.dispose();
        throw error;
      }
    },
    predict: (rows, history) => {
      const state = requireFitted();
      for (const set of [rows, history]) checkFeatureNames(state.featureNames, set.featureNames);
      const queries = toQueries(rows, Array.from(rows.tokenIds.keys()));
      const { model, normalization } = state;
      const sequences = buildPriceSequences(history, queries, model.config.lookback, normalization);
      const outputs = applyPriceSequenceModel(model, sequences, queries.length);
      return queries.map((_, row) => toPrediction(outputs, row, normalization.targetScale));
    },
    state: requireFitted,
    lastFit: () => report,
    dispose: () => {
      fitted?.model.dispose();
      fitted = undefined;
    },
  };
}

/** The standardised training and validation sequences: validation = rows of the latest windows, by time. */
function buildTrainingData(
  train: PriceTrainingSet,
  model: PriceSequenceModel,
  normalization: PriceNormalization,
  settings: SequencePredictorSettings,
): { trainData: PriceSequenceData; validationData: PriceSequenceData | undefined } {
  const usable = Array.from(train.targets.keys()).filter((row) => Number.isFinite(train.targets[row]!));
  if (usable.length === 0) {
    throw new NonRetryableError('The tcn predictor has no training row with a target', {
      code: 'PRICE_TRAINING_EMPTY',
      details: `Of ${train.targets.length} training rows none has a finite target (the next window's return). Expected at least one; raise minTrainWindows.`,
    });
  }
  const starts = [...new Set(usable.map((row) => train.windowStarts[row]!))].sort((a, b) => a - b);
  const held = Math.min(starts.length - 1, Math.ceil(starts.length * settings.validationShare));
  const cut = held > 0 ? starts[starts.length - held]! : Number.POSITIVE_INFINITY;
  const toData = (rows: number[]): PriceSequenceData => ({
    sequences: buildPriceSequences(train, toQueries(train, rows), model.config.lookback, normalization),
    targets: Float32Array.from(rows, (row) => train.targets[row]! / normalization.targetScale),
  });
  const validationRows = usable.filter((row) => train.windowStarts[row]! >= cut);
  return {
    trainData: toData(usable.filter((row) => train.windowStarts[row]! < cut)),
    validationData: validationRows.length > 0 ? toData(validationRows) : undefined,
  };
}

/** The sequence queries of `rows`' entries at `indices`. */
function toQueries(rows: PriceRows, indices: readonly number[]): PriceSequenceQuery[] {
  return indices.map((row) => ({
    token: rows.tokens[rows.tokenIds[row]!]!,
    windowStart: rows.windowStarts[row]!,
  }));
}

/** Row `row` of the raw outputs as a forecast in returns, the interval ordered around the mean. */
function toPrediction(outputs: Float32Array, row: number, targetScale: number): PricePrediction {
  const at = (column: number) => outputs[row * priceSequenceOutputs.length + column]!;
  const predictedReturn = at(0) * targetScale;
  const bounds = [at(1) * targetScale, at(2) * targetScale];
  return {
    predictedReturn,
    lower: Math.min(predictedReturn, ...bounds),
    upper: Math.max(predictedReturn, ...bounds),
    directionProb: 1 / (1 + Math.exp(-at(3))),
  };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

function checkFeatureNames(expected: readonly string[], got: readonly string[]): void {
  if (sameNames(expected, got)) return;
  throw new NonRetryableError('The tcn predictor was fitted on other features than these', {
    code: 'PRICE_FEATURES_MISMATCH',
    details: `Fitted on [${expected.join(', ')}]; got [${got.join(', ')}]. Expected the same features, in order.`,
  });
}

/** `state` if its model, features and normalization agree on the number of features. */
function checkState(state: SequencePredictorState): SequencePredictorState {
  const width = state.featureNames.length;
  const { means, scales, targetScale } = state.normalization;
  if (
    state.model.config.inChannels === width &&
    means.length === width &&
    scales.length === width &&
    [...means, ...scales, targetScale].every(Number.isFinite) &&
    [...scales, targetScale].every((scale) => scale > 0)
  ) {
    return state;
  }
  throw new NonRetryableError('The tcn predictor state is inconsistent', {
    code: 'PRICE_PREDICTOR_STATE_INVALID',
    details: `${width} feature names, a model of ${state.model.config.inChannels} input channels, ${means.length} means and ${scales.length} scales (target scale ${targetScale}); expected one each per feature, all finite, scales positive.`,
  });
}
