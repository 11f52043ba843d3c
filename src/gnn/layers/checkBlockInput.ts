import type * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { assertTensor } from '../sparse/assertTensor.js';
import type { GraphBlock } from './GraphBlock.js';
import type { GraphConv } from './GraphConv.js';

/**
 * Throws a NonRetryableError naming the layer unless `block` keeps its destinations among its first sources and
 * `x` is float32 [numSources, inChannels].
 */
export function checkBlockInput(layer: GraphConv, block: GraphBlock, x: tf.Tensor2D): void {
  const { numSources, numDestinations } = block.graph;
  if (numDestinations > numSources) {
    throw new NonRetryableError(
      `${layer}: the block has ${numDestinations} destinations but only ${numSources} sources`,
      {
        code: 'GNN_SHAPE_MISMATCH',
        details:
          'Expected a block whose destinations are its first numDestinations sources (destination i is source i).',
      },
    );
  }
  if (block.sourceOutDegrees !== undefined && block.sourceOutDegrees.length !== numSources) {
    throw new NonRetryableError(
      `${layer}: sourceOutDegrees has ${block.sourceOutDegrees.length} entries for ${numSources} sources`,
      { code: 'GNN_SHAPE_MISMATCH', details: 'Expected one whole-graph out-degree per source of the block.' },
    );
  }
  assertTensor(
    String(layer),
    'x',
    x,
    [numSources, layer.inChannels],
    `one row of ${layer.inChannels} input channels per source of the block (${numSources})`,
  );
}
