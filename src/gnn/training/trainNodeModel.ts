import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import type { NodeModel } from '../models/NodeModel.js';
import { gatherRows } from '../sparse/gatherRows.js';
import { startSpmmHelper } from '../sparse/parallelCsrSpmm.js';
import type { NodeSplit } from '../splits/NodeSplit.js';
import { AdamW } from './AdamW.js';
import { buildNodeLossWeights, type ClassWeights } from './buildNodeLossWeights.js';
import { checkNodeInputs } from './checkNodeInputs.js';
import type { NodeLoss } from './computeNodeLoss.js';
import {
  chooseValidationMetric,
  computeValidationMetric,
  isHigherBetter,
  type ValidationMetric,
} from './computeValidationMetric.js';
import { createWholeGraphInputs } from './createWholeGraphInputs.js';
import type { NodeBatch } from './NodeBatch.js';
import type { NodeDataset } from './NodeDataset.js';
import { predictNodes } from './predictNodes.js';
import { runTrainingStep } from './runTrainingStep.js';
import { toGraphBlock } from './toGraphBlock.js';
import { toTargetTensor } from './toTargetTensor.js';

/** Options for {@link trainNodeModel}. */
export interface TrainNodeModelOptions {
  model: NodeModel;
  dataset: NodeDataset;
  /** Train nodes feed the loss, validation nodes early stopping; test nodes are not read. */
  split: NodeSplit;
  /** The most epochs to run (default 200). */
  epochs?: number;
  /** Adam's step size (default 0.01). */
  learningRate?: number;
  /** Decoupled weight decay (AdamW; default 5e-4). */
  weightDecay?: number;
  /** Epochs without a better validation value before stopping (default 20). */
  patience?: number;
  /** Watched on validation (default: rocAuc for 2 classes, accuracy for more, mae for regression). */
  monitor?: ValidationMetric;
  /** Classification loss (default crossEntropy); focal down-weights easy nodes, for rare classes. */
  loss?: 'crossEntropy' | 'focal';
  /** Focal loss exponent (default 2). */
  focalGamma?: number;
  /** Per-class loss weights for imbalanced classes (default none). */
  classWeights?: ClassWeights;
  /** Mini-batches of each epoch (from 1), e.g. a neighbour sampler over the train nodes; whole graph when absent. */
  batches?: (epoch: number) => Iterable<NodeBatch>;
  /**
   * Nodes per step of the validation inference (see predictNodes). Default: the whole graph at once when training
   * on it (its step already holds every node's activations), predictNodes' own default with mini-batches.
   */
  predictBatchSize?: number;
  /** Called after every epoch (a progress bar). */
  onEpoch?: (progress: EpochProgress) => void;
  /** Stops after the current epoch, keeping the best weights so far. */
  signal?: AbortSignal;
}

/** One epoch's figures. */
export interface EpochProgress {
  /** From 1. */
  epoch: number;
  /** The most epochs the run may take. */
  epochs: number;
  /** Mean training loss over the epoch. */
  loss: number;
  metric: ValidationMetric;
  /** The metric on the validation nodes after this epoch. */
  validation: number;
  /** The best validation value so far, and its epoch. */
  best: number;
  bestEpoch: number;
  /** Since training started. */
  seconds: number;
}

/** How training went; the model holds the weights of `bestEpoch`. */
export interface TrainNodeModelResult {
  history: EpochProgress[];
  metric: ValidationMetric;
  best: number;
  bestEpoch: number;
  /** Whether patience ran out (or the signal fired) before the last epoch. */
  stoppedEarly: boolean;
}

/**
 * Trains `model` in place with AdamW on the whole graph (one step per epoch) or on mini-batches of blocks; after
 * each epoch it predicts every node, scores the validation nodes, and stops when `patience` epochs bring no
 * improvement, restoring the best weights. Seeded (the model's seed, and the batches' own), so a run repeats.
 */
export async function trainNodeModel(options: TrainNodeModelOptions): Promise<TrainNodeModelResult> {
  const { model, dataset, split } = options;
  const settings = {
    epochs: options.epochs ?? 200,
    learningRate: options.learningRate ?? 0.01,
    weightDecay: options.weightDecay ?? 5e-4,
    patience: options.patience ?? 20,
    focalGamma: options.focalGamma ?? 2,
  };
  checkSettings(settings);
  checkNodeInputs(model, dataset);
  const numNodes = dataset.graph.numDestinations;
  checkSplit(split, numNodes);
  const metric = chooseValidationMetric(model.config, options.monitor);
  const higherIsBetter = isHigherBetter(metric);
  const lossWeights = buildNodeLossWeights(
    model.config,
    dataset.targets,
    numNodes,
    split.train,
    options.classWeights ?? 'none',
  );
  const loss: NodeLoss =
    model.config.task === 'regression'
      ? { kind: 'meanSquaredError' }
      : options.loss === 'focal'
        ? { kind: 'focal', gamma: settings.focalGamma }
        : { kind: 'crossEntropy' };
  const edgeFeatures = model.readsEdgeFeatures ? dataset.edgeFeatures : undefined;
  await startSpmmHelper(dataset.graph.byDestination.targets.length * dataset.features.channels);
  const optimizer = new AdamW(model.variables, settings);
  const whole =
    options.batches === undefined ? createWholeGraphInputs(model, dataset, lossWeights) : undefined;
  const predictBatchSize = options.predictBatchSize ?? (whole !== undefined ? numNodes : undefined);
  const predictOptions = predictBatchSize === undefined ? {} : { batchSize: predictBatchSize };
  const history: EpochProgress[] = [];
  const started = performance.now();
  let best = Number.NaN;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch += 1) {
      const epochLoss =
        whole !== undefined
          ? runTrainingStep(model, optimizer, whole, loss)
          : runBatches(model, optimizer, dataset, options.batches!(epoch), lossWeights, edgeFeatures, loss);
      const predictions = predictNodes(model, dataset, predictOptions);
      const validation = computeValidationMetric(metric, predictions, dataset.targets, split.validation);
      if (
        Number.isFinite(validation) &&
        (bestEpoch === 0 || (higherIsBetter ? validation > best : validation < best))
      ) {
        best = validation;
        bestEpoch = epoch;
        tf.dispose(bestWeights);
        bestWeights = model.variables.map((variable) => tf.clone(variable));
      }
      const progress = {
        epoch,
        epochs: settings.epochs,
        loss: epochLoss,
        metric,
        validation,
        best,
        bestEpoch,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(progress);
      options.onEpoch?.(progress);
      if (epoch - bestEpoch >= settings.patience || options.signal?.aborted) break;
      // Lets timers and signal handlers run between epochs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (bestWeights !== undefined) {
      const saved = bestWeights;
      for (const [i, variable] of model.variables.entries()) variable.assign(saved[i]!);
    }
  } finally {
    tf.dispose(bestWeights);
    optimizer.dispose();
    if (whole !== undefined) {
      tf.dispose([whole.x, whole.targets, whole.weights, whole.blocks[0]?.edgeFeatures]);
    }
  }
  return { history, metric, best, bestEpoch, stoppedEarly: history.length < settings.epochs };
}

/** One step per batch (batches without train nodes skipped); returns the loss averaged over their train nodes' weight. */
function runBatches(
  model: NodeModel,
  optimizer: AdamW,
  dataset: NodeDataset,
  batches: Iterable<NodeBatch>,
  lossWeights: Float32Array,
  edgeFeatures: NodeDataset['edgeFeatures'],
  loss: NodeLoss,
): number {
  const { features } = dataset;
  let weighted = 0;
  let total = 0;
  for (const batch of batches) {
    checkBatch(batch, model.convs.length);
    const weights = Float32Array.from(batch.outputNodes, (node) => lossWeights[node]!);
    const weight = weights.reduce((sum, w) => sum + w, 0);
    if (weight === 0) continue;
    const value = tf.tidy(() => {
      const x = new Float32Array(batch.inputNodes.length * features.channels);
      gatherRows(batch.inputNodes, features.values, features.channels, x);
      return runTrainingStep(
        model,
        optimizer,
        {
          blocks: batch.blocks.map((block, l) => toGraphBlock(block, batch.edgeIds[l], edgeFeatures)),
          x: tf.tensor2d(x, [batch.inputNodes.length, features.channels]),
          targets: toTargetTensor(model, dataset.targets, batch.outputNodes),
          weights: tf.tensor1d(weights),
        },
        loss,
      );
    });
    weighted += value * weight;
    total += weight;
  }
  return total === 0 ? Number.NaN : weighted / total;
}

/** Throws unless the batch has one block per layer and its output nodes are the last block's destinations. */
function checkBatch(batch: NodeBatch, numLayers: number): void {
  const last = batch.blocks.at(-1)?.graph;
  const outputs = last === undefined ? batch.inputNodes.length : last.numDestinations;
  const inputs = batch.blocks[0]?.graph.numSources ?? batch.inputNodes.length;
  if (
    batch.blocks.length === numLayers &&
    batch.edgeIds.length === numLayers &&
    batch.outputNodes.length === outputs &&
    batch.inputNodes.length === inputs
  ) {
    return;
  }
  throw new NonRetryableError('A mini-batch does not fit the model', {
    code: 'GNN_SHAPE_MISMATCH',
    details:
      `Got ${batch.blocks.length} blocks, ${batch.edgeIds.length} edge id lists, ${batch.inputNodes.length} input ` +
      `and ${batch.outputNodes.length} output nodes; expected ${numLayers} blocks and edge id lists (one per ` +
      `message-passing layer), ${inputs} input nodes (the first block's sources) and ${outputs} output nodes ` +
      '(the last block’s destinations).',
  });
}

/** Throws unless every training setting is in range. */
function checkSettings(settings: {
  epochs: number;
  learningRate: number;
  weightDecay: number;
  patience: number;
  focalGamma: number;
}): void {
  const problems = [
    Number.isInteger(settings.epochs) && settings.epochs >= 1
      ? ''
      : `epochs ${settings.epochs}: expected a positive integer`,
    settings.learningRate > 0 ? '' : `learningRate ${settings.learningRate}: expected > 0`,
    settings.weightDecay >= 0 ? '' : `weightDecay ${settings.weightDecay}: expected >= 0`,
    Number.isInteger(settings.patience) && settings.patience >= 1
      ? ''
      : `patience ${settings.patience}: expected a positive integer`,
    settings.focalGamma >= 0 ? '' : `focalGamma ${settings.focalGamma}: expected >= 0`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new NonRetryableError(`Invalid training settings: ${problems.length} problem(s)`, {
      code: 'GNN_CONFIG_INVALID',
      details: problems.map((problem) => `  - ${problem}`).join('\n'),
    });
  }
}

/** Throws unless the split names nodes of the graph and has train and validation nodes. */
function checkSplit(split: NodeSplit, numNodes: number): void {
  for (const part of ['train', 'validation', 'test'] as const) {
    const outside = split[part].find((node) => node >= numNodes);
    if (outside !== undefined || (part !== 'test' && split[part].length === 0)) {
      throw new NonRetryableError(
        outside === undefined ? `The ${part} split is empty` : `The ${part} split names node ${outside}`,
        {
          code: 'GNN_SHAPE_MISMATCH',
          details: `Expected node ids below ${numNodes}, and at least one train and one validation node.`,
        },
      );
    }
  }
}
