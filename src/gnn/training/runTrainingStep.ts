import * as tf from '@tensorflow/tfjs';
import type { GraphBlock } from '../layers/GraphBlock.js';
import type { NodeModel } from '../models/NodeModel.js';
import type { AdamW } from './AdamW.js';
import { computeNodeLoss, type NodeLoss } from './computeNodeLoss.js';

/** The tensors of one training step. */
export interface TrainingStepInputs {
  /** One block per message-passing layer. */
  blocks: readonly GraphBlock[];
  /** The features of the first block's sources. */
  x: tf.Tensor2D;
  /** One row per output node: one-hot classes, or values. */
  targets: tf.Tensor2D;
  /** Each output node's loss weight (0 leaves it out). */
  weights: tf.Tensor1D;
}

/** One AdamW step on the loss of `inputs` (forward, loss, backward, update); returns the loss before the step. */
export function runTrainingStep(
  model: NodeModel,
  optimizer: AdamW,
  inputs: TrainingStepInputs,
  loss: NodeLoss,
): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => computeNodeLoss(model.apply(inputs.blocks, inputs.x, true), inputs.targets, inputs.weights, loss),
      model.variables,
    );
    optimizer.applyGradients(grads);
    return value.dataSync()[0]!;
  });
}
