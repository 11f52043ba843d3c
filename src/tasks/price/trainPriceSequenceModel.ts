import * as tf from '@tensorflow/tfjs';
import { AdamW } from '../../gnn/training/AdamW.js';
import type { Rng } from '../../utils/createRng.js';
import { applyPriceSequenceModel } from './applyPriceSequenceModel.js';
import { computePriceSequenceLoss } from './computePriceSequenceLoss.js';
import { type PriceSequenceModel, priceSequenceOutputs } from './PriceSequenceModel.js';

/** Standardised sequences (count × lookback × features, row-major) and their standardised targets. */
export interface PriceSequenceData {
  sequences: Float32Array;
  targets: Float32Array;
}

/** How {@link trainPriceSequenceModel} trains. */
export interface PriceSequenceTrainingOptions {
  epochs: number;
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  /** Stops when this many epochs bring no better validation loss. */
  patience: number;
  /** Shuffles the training sequences every epoch. */
  rng: Rng;
  /** Called after every epoch (validationLoss NaN without validation data). */
  onEpoch?: ((epoch: number, epochs: number, trainLoss: number, validationLoss: number) => void) | undefined;
}

/** How training went; the model holds the weights of `bestEpoch` (0: the weights it started with). */
export interface PriceSequenceTrainingReport {
  epochsRun: number;
  bestEpoch: number;
  /** The validation loss at bestEpoch (NaN without validation data). */
  bestValidationLoss: number;
  /** The mean training loss of the last epoch run. */
  trainLoss: number;
}

/**
 * Trains `model` with AdamW on shuffled mini-batches of `train`; with `validation`, scores it after every epoch,
 * stops after `patience` epochs without improvement and restores the best weights (the starting weights count as
 * epoch 0, so a warm start never ends worse than it began). Leaves no tensor behind.
 */
export function trainPriceSequenceModel(
  model: PriceSequenceModel,
  train: PriceSequenceData,
  validation: PriceSequenceData | undefined,
  options: PriceSequenceTrainingOptions,
): PriceSequenceTrainingReport {
  const { epochs, batchSize, patience, rng, onEpoch } = options;
  const { lookback, inChannels } = model.config;
  const size = lookback * inChannels;
  const count = train.targets.length;
  const optimizer = new AdamW(model.variables, options);
  let best = validation ? computeLoss(model, validation) : Number.NaN;
  let bestEpoch = 0;
  let bestWeights: tf.NamedTensorMap | undefined = validation ? cloneWeights(model) : undefined;
  let epochsRun = 0;
  let trainLoss = Number.NaN;
  try {
    for (let epoch = 1; epoch <= epochs; epoch += 1) {
      const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
      let total = 0;
      for (let start = 0; start < count; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const sequences = new Float32Array(batch.length * size);
        const targets = new Float32Array(batch.length);
        batch.forEach((row, i) => {
          sequences.set(train.sequences.subarray(row * size, (row + 1) * size), i * size);
          targets[i] = train.targets[row]!;
        });
        total += runStep(model, optimizer, { sequences, targets }) * batch.length;
      }
      epochsRun = epoch;
      trainLoss = total / count;
      const validationLoss = validation ? computeLoss(model, validation) : Number.NaN;
      onEpoch?.(epoch, epochs, trainLoss, validationLoss);
      if (!validation) continue;
      if (validationLoss < best) {
        best = validationLoss;
        bestEpoch = epoch;
        tf.dispose(bestWeights);
        bestWeights = cloneWeights(model);
      } else if (epoch - bestEpoch >= patience) break;
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    tf.dispose(bestWeights);
    optimizer.dispose();
  }
  return { epochsRun, bestEpoch: validation ? bestEpoch : epochsRun, bestValidationLoss: best, trainLoss };
}

/** One AdamW step on a batch; returns the batch's loss before the step. */
function runStep(model: PriceSequenceModel, optimizer: AdamW, batch: PriceSequenceData): number {
  const { lookback, inChannels } = model.config;
  return tf.tidy(() => {
    const x = tf.tensor3d(batch.sequences, [batch.targets.length, lookback, inChannels]);
    const y = tf.tensor1d(batch.targets);
    const { value, grads } = tf.variableGrads(
      () => computePriceSequenceLoss(model.apply(x, true), y),
      model.variables,
    );
    optimizer.applyGradients(grads);
    return value.dataSync()[0]!;
  });
}

/** The loss of the model (inference mode) on `data`. */
function computeLoss(model: PriceSequenceModel, data: PriceSequenceData): number {
  const count = data.targets.length;
  const outputs = applyPriceSequenceModel(model, data.sequences, count);
  return tf.tidy(
    () =>
      computePriceSequenceLoss(
        tf.tensor2d(outputs, [count, priceSequenceOutputs.length]),
        tf.tensor1d(data.targets),
      ).dataSync()[0]!,
  );
}

/** A copy of every weight, by name. */
function cloneWeights(model: PriceSequenceModel): tf.NamedTensorMap {
  return Object.fromEntries(
    Object.entries(model.getWeights()).map(([name, variable]) => [name, tf.clone(variable)]),
  );
}
