import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../../gnn/registry/modelCard.js';
import { saveModel } from '../../gnn/registry/saveModel.js';
import type { SequencePredictor } from './createSequencePredictor.js';
import type { PriceNormalization } from './fitPriceNormalization.js';
import type { PriceSequenceModelConfig } from './priceSequenceModelConfig.js';

/** The registry task the price sequence models are saved under. */
export const priceTaskName = 'price';

/** A saved price model's card: the sequence model's config and the normalization its inputs and outputs use. */
export interface PriceModelCard extends ModelCard<PriceSequenceModelConfig> {
  normalization: PriceNormalization;
}

/** What the caller says about a fitted price model when saving it. */
export interface SavePriceModelInput {
  /** How the model was evaluated: held-out metrics (e.g. a walk-forward backtest's) and the baseline's. */
  metrics: Record<string, number>;
  baseline?: ModelCard['baseline'];
  /** How the training rows were chosen (kind, windows, cut times). */
  split: Record<string, unknown>;
  /** More training facts, merged over the predictor's settings and its last fit's report. */
  training?: Record<string, unknown>;
  /** The data the model was trained on, if it has an id (default ''). */
  snapshotId?: string;
}

/**
 * Saves a fitted sequence predictor as the next version of the `price` model: its weights, and a card with its
 * config, feature names, normalization, training settings and the caller's metrics.
 */
export async function savePriceModel(
  dataDir: string,
  predictor: SequencePredictor,
  input: SavePriceModelInput,
): Promise<{ version: number; dir: string; card: PriceModelCard }> {
  const { model, featureNames, normalization } = predictor.state();
  const saved = await saveModel(dataDir, model, {
    task: priceTaskName,
    training: { ...predictor.settings, ...predictor.lastFit(), ...input.training },
    featureNames: [...featureNames],
    normalization,
    snapshotId: input.snapshotId ?? '',
    split: input.split,
    metrics: input.metrics,
    baseline: input.baseline ?? null,
    backend: tf.getBackend(),
  });
  return { ...saved, card: { ...saved.card, normalization } };
}
