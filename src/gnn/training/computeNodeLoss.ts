import * as tf from '@tensorflow/tfjs';

/** Which loss {@link computeNodeLoss} computes. */
export type NodeLoss =
  | { kind: 'crossEntropy' }
  /** Focal loss (Lin et al.): cross-entropy times (1 − p_true)^gamma, down-weighting easy nodes. */
  | { kind: 'focal'; gamma: number }
  | { kind: 'meanSquaredError' };

/**
 * The weighted mean loss Σ wᵢ · lossᵢ / Σ wᵢ over output rows: `output` holds logits (cross-entropy, focal) or
 * values, `targets` one-hot classes or values in the same shape, `weights` [rows] each row's weight (0 leaves a
 * row out; class weights go here, so with focal they act as its alpha).
 */
export function computeNodeLoss(
  output: tf.Tensor2D,
  targets: tf.Tensor2D,
  weights: tf.Tensor1D,
  loss: NodeLoss,
): tf.Scalar {
  let perRow: tf.Tensor1D;
  if (loss.kind === 'meanSquaredError') {
    perRow = tf.squaredDifference(output, targets).mean(1);
  } else {
    const logProbability = tf.logSoftmax(output).mul(targets).sum(1) as tf.Tensor1D;
    perRow = logProbability.neg();
    if (loss.kind === 'focal') {
      const miss = tf.scalar(1).sub(logProbability.exp()).clipByValue(0, 1);
      perRow = perRow.mul(miss.pow(loss.gamma));
    }
  }
  return perRow.mul(weights).sum().div(weights.sum());
}
