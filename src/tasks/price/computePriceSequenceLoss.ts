import * as tf from '@tensorflow/tfjs';
import { priceSequenceOutputs, priceSequenceQuantiles } from './PriceSequenceModel.js';

/** The mean head's Huber loss is quadratic within this many target standard deviations, linear beyond. */
const huberDelta = 1;

/**
 * The training loss of a price sequence model's raw outputs [batch, 4] against standardised targets [batch]: the
 * mean output's squared error, the pinball losses of the lower (q 0.1) and upper (q 0.9) outputs, and the binary
 * cross-entropy of the direction logit against (target > 0), each averaged over the batch, summed.
 */
export function computePriceSequenceLoss(output: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [mean, lower, upper, logit] = tf.split(output, priceSequenceOutputs.length, 1) as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
  ];
  const y = targets.reshape<tf.Tensor2D>([-1, 1]);
  const pinball = (quantile: tf.Tensor2D, q: number) => {
    const residual = y.sub(quantile);
    return residual
      .relu()
      .mul(q)
      .add(
        residual
          .neg()
          .relu()
          .mul(1 - q),
      )
      .mean();
  };
  // softplus(x) − x·z is the cross-entropy of sigmoid(x) against the label z, without overflow.
  const up = tf.cast(tf.greater(y, 0), 'float32');
  const crossEntropy = tf.softplus(logit).sub(logit.mul(up)).mean();
  const error = mean.sub(y).abs();
  const quadratic = error.minimum(huberDelta);
  const huber = quadratic.square().mul(0.5).add(error.sub(quadratic).mul(huberDelta)).mean();
  return huber
    .add(pinball(lower, priceSequenceQuantiles.lower))
    .add(pinball(upper, priceSequenceQuantiles.upper))
    .add(crossEntropy) as tf.Scalar;
}
