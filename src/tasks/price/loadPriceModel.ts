import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { type LoadModelOptions, modelFileInvalid, readModelWeights } from '../../gnn/registry/loadModel.js';
import {
  createSequencePredictor,
  type SequencePredictor,
  type SequencePredictorOptions,
} from './createSequencePredictor.js';
import { PriceSequenceModel } from './PriceSequenceModel.js';
import { priceSequenceModelConfigSchema } from './priceSequenceModelConfig.js';
import { type PriceModelCard, priceTaskName } from './savePriceModel.js';

/** Options for {@link loadPriceModel}. */
export interface LoadPriceModelOptions extends LoadModelOptions {
  /** Settings of the returned predictor, should it be refitted (its fitted state comes from the file). */
  predictor?: Omit<SequencePredictorOptions, 'state' | 'model'>;
}

const normalizationSchema = z.object({
  means: z.array(z.number()),
  scales: z.array(z.number().positive()),
  targetScale: z.number().positive(),
});

/**
 * Loads a saved price model (the latest version by default) as a ready sequence predictor. Refuses other features
 * than the model's (MODEL_FEATURES_MISMATCH) and a corrupt weights file or card (MODEL_FILE_INVALID).
 */
export async function loadPriceModel(
  dataDir: string,
  options: LoadPriceModelOptions = {},
): Promise<{ predictor: SequencePredictor; card: PriceModelCard }> {
  const { card, dir, weights } = readModelWeights(dataDir, priceTaskName, options);
  try {
    const config = priceSequenceModelConfigSchema.safeParse(card.model);
    const normalization = normalizationSchema.safeParse(card.normalization);
    const width = card.featureNames.length;
    if (
      !config.success ||
      !normalization.success ||
      config.data.inChannels !== width ||
      normalization.data.means.length !== width ||
      normalization.data.scales.length !== width
    ) {
      throw modelFileInvalid(
        join(dir, 'card.json'),
        `it is not a price sequence model card (expected a tcn config and a normalization for its ${width} features)`,
      );
    }
    const model = new PriceSequenceModel(config.data);
    try {
      model.setWeights(weights);
      const state = { model, featureNames: card.featureNames, normalization: normalization.data };
      const predictor = createSequencePredictor({ ...options.predictor, state });
      return { predictor, card: { ...card, model: config.data, normalization: normalization.data } };
    } catch (error) {
      model.dispose();
      throw error;
    }
  } finally {
    tf.dispose(Object.values(weights));
  }
}
