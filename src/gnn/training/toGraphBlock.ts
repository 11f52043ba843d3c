import * as tf from '@tensorflow/tfjs';
import type { GraphBlock } from '../layers/GraphBlock.js';
import { gatherRows } from '../sparse/gatherRows.js';
import type { FeatureMatrix } from './NodeDataset.js';

/**
 * `block` with the rows of the whole graph's `edgeFeatures` for its edges (`edgeIds`, or the whole graph's own
 * edges when absent) as a tensor the caller disposes; `block` itself without edge features.
 */
export function toGraphBlock(
  block: GraphBlock,
  edgeIds: Uint32Array | undefined,
  edgeFeatures: FeatureMatrix | undefined,
): GraphBlock {
  if (edgeFeatures === undefined) return block;
  const { channels } = edgeFeatures;
  let values = edgeFeatures.values;
  if (edgeIds !== undefined) {
    values = new Float32Array(edgeIds.length * channels);
    gatherRows(edgeIds, edgeFeatures.values, channels, values);
  }
  return { ...block, edgeFeatures: tf.tensor2d(values, [block.graph.numEdges, channels]) };
}
