import type { GraphBlock } from '../layers/GraphBlock.js';

/**
 * A mini-batch of blocks, as a neighbour sampler returns it: one block per message-passing layer, input layer
 * first. Block l + 1's sources are block l's destinations and each block's destinations are its first sources,
 * so the output nodes (the seeds) are the first entries of `inputNodes`.
 */
export interface NodeBatch {
  /** One block per message-passing layer; training adds edge features through `edgeIds` when the model reads them. */
  blocks: readonly GraphBlock[];
  /** Whole-graph id of each source of `blocks[0]`: the feature rows the batch reads (the seeds without blocks). */
  inputNodes: Uint32Array;
  /** Whole-graph ids of the last block's destinations: the nodes the batch predicts and learns from. */
  outputNodes: Uint32Array;
  /** Whole-graph id of each edge of each block, per block. */
  edgeIds: readonly Uint32Array[];
}
