import type * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';

/**
 * Throws a NonRetryableError unless `tensor` is float32 with `shape` (`null`: any size on that axis); the message
 * names the op, the operand, what came and what was expected (`meaning` says why, e.g. one row per node).
 */
export function assertTensor(
  op: string,
  name: string,
  tensor: tf.Tensor,
  shape: readonly (number | null)[],
  meaning: string,
): void {
  const fits =
    tensor.rank === shape.length && shape.every((size, axis) => size === null || tensor.shape[axis] === size);
  if (fits && tensor.dtype === 'float32') return;
  const expected = `[${shape.map((size) => size ?? '*').join(', ')}]`;
  throw new NonRetryableError(
    `${op}: ${name} is ${tensor.dtype} [${tensor.shape.join(', ')}], expected float32 ${expected}`,
    { code: 'GNN_SHAPE_MISMATCH', details: `${name}: ${meaning}.` },
  );
}
