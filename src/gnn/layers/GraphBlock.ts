import type * as tf from '@tensorflow/tfjs';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';

/**
 * The graph one message-passing layer runs on (a DGL-style block): messages flow from its sources to its
 * destinations, and destination `i` is source `i` (the destinations are the first `numDestinations` sources), so
 * a layer can read each destination's own row. The whole graph is the block whose sources and destinations are
 * all its nodes; a sampled mini-batch has one block per layer.
 */
export interface GraphBlock {
  graph: SparseGraph;
  /** Edge features [graph.numEdges, edgeChannels], row `e` for edge `e`; read by edge-feature-aware layers. */
  edgeFeatures?: tf.Tensor2D | undefined;
  /**
   * Each source's out-degree in the whole graph, when the block holds only some of its out-edges (GcnConv
   * normalizes by it); counted in the block when absent.
   */
  sourceOutDegrees?: Uint32Array | undefined;
}
