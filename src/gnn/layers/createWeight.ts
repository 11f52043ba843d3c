import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../utils/createRng.js';

/** How {@link createWeight} fills a new weight: Glorot (Xavier) uniform over the last two axes, or zeros. */
export type WeightInit = 'glorot' | 'zeros';

/** A trainable float32 variable of `shape` whose initial values come from `rng` (the same on every backend). */
export function createWeight(shape: readonly number[], init: WeightInit, rng: Rng): tf.Variable {
  const values = new Float32Array(shape.reduce((size, axis) => size * axis, 1));
  if (init === 'glorot') {
    const fanIn = shape.at(-2) ?? 1;
    const fanOut = shape.at(-1) ?? 1;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < values.length; i += 1) values[i] = (rng.next() * 2 - 1) * limit;
  }
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}
