import * as tf from '@tensorflow/tfjs';
import type { NodeModel } from '../models/NodeModel.js';

/** The targets of `nodes` (all when undefined) as rows: one-hot classes, or values (non-finite ones as 0, unread). */
export function toTargetTensor(
  model: NodeModel,
  targets: Int32Array | Float32Array,
  nodes: Uint32Array | undefined,
): tf.Tensor2D {
  const { outChannels, task } = model.config;
  const count = nodes?.length ?? targets.length / (task === 'classification' ? 1 : outChannels);
  const rows = new Float32Array(count * outChannels);
  for (let i = 0; i < count; i += 1) {
    const node = nodes?.[i] ?? i;
    if (task === 'classification') {
      const label = targets[node]!;
      if (label >= 0 && label < outChannels) rows[i * outChannels + label] = 1;
    } else {
      for (let c = 0; c < outChannels; c += 1) {
        const value = targets[node * outChannels + c]!;
        rows[i * outChannels + c] = Number.isFinite(value) ? value : 0;
      }
    }
  }
  return tf.tensor2d(rows, [count, outChannels]);
}
