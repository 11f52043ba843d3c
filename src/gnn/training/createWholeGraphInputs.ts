import * as tf from '@tensorflow/tfjs';
import type { NodeModel } from '../models/NodeModel.js';
import type { NodeDataset } from './NodeDataset.js';
import type { TrainingStepInputs } from './runTrainingStep.js';
import { toGraphBlock } from './toGraphBlock.js';
import { toTargetTensor } from './toTargetTensor.js';

/**
 * The whole-graph training step's tensors, made once for a run (the caller disposes them): one block for every
 * layer, every node's row, `lossWeights` per node.
 */
export function createWholeGraphInputs(
  model: NodeModel,
  dataset: NodeDataset,
  lossWeights: Float32Array,
): TrainingStepInputs {
  const { graph, features } = dataset;
  const block = toGraphBlock(
    { graph },
    undefined,
    model.readsEdgeFeatures ? dataset.edgeFeatures : undefined,
  );
  return {
    blocks: model.convs.map(() => block),
    x: tf.tensor2d(features.values, [graph.numDestinations, features.channels]),
    targets: toTargetTensor(model, dataset.targets, undefined),
    weights: tf.tensor1d(lossWeights),
  };
}
