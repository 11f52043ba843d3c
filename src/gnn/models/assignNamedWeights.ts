import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';

/**
 * Assigns every variable of `own` from `weights` by name, after checking them all: refuses (GNN_WEIGHTS_MISMATCH,
 * naming the weights) missing, extra or misshapen ones, so a refused call changes nothing. `model` names the model
 * in the message.
 */
export function assignNamedWeights(
  own: Readonly<Record<string, tf.Variable>>,
  weights: tf.NamedTensorMap,
  model: string,
): void {
  const missing = Object.keys(own).filter((name) => !(name in weights));
  const extra = Object.keys(weights).filter((name) => !(name in own));
  if (missing.length > 0 || extra.length > 0) {
    throw new NonRetryableError(`The weights do not fit this ${model}`, {
      code: 'GNN_WEIGHTS_MISMATCH',
      details: [
        missing.length > 0 ? `Missing: ${missing.join(', ')}.` : '',
        extra.length > 0 ? `Not in the model: ${extra.join(', ')}.` : '',
        `Expected exactly: ${Object.keys(own).join(', ')}.`,
      ]
        .filter(Boolean)
        .join('\n'),
    });
  }
  for (const [name, variable] of Object.entries(own)) {
    const value = weights[name]!;
    if (value.dtype !== 'float32' || !tf.util.arraysEqual(value.shape, variable.shape)) {
      throw new NonRetryableError(`Weight ${name} does not fit this ${model}`, {
        code: 'GNN_WEIGHTS_MISMATCH',
        details: `Got ${value.dtype} [${value.shape.join(', ')}], expected float32 [${variable.shape.join(', ')}].`,
      });
    }
  }
  for (const [name, variable] of Object.entries(own)) variable.assign(weights[name]!);
}
