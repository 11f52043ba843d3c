import type * as tf from '@tensorflow/tfjs';
import { assertTensor } from './assertTensor.js';
import type { SparseGraph } from './buildSparseGraph.js';
import { csrSpmm } from './csrSpmm.js';
import { gatherRows } from './gatherRows.js';
import { runTypedOp } from './runTypedOp.js';

/**
 * Per-edge rows of node rows: out[e] = x[src e] (or x[dst e] with side `destination`), [numEdges, width]. The
 * gradient scatter-adds each edge's row back onto its node (a segment sum over the node's edges).
 */
export function gatherByEdge(
  graph: SparseGraph,
  x: tf.Tensor2D,
  side: 'source' | 'destination' = 'source',
): tf.Tensor2D {
  const [nodes, index, csr] =
    side === 'source'
      ? [graph.numSources, graph.src, graph.bySource]
      : [graph.numDestinations, graph.dst, graph.byDestination];
  assertTensor('gatherByEdge', 'x', x, [nodes, null], `one row per ${side} node (${nodes})`);
  const width = x.shape[1];
  return runTypedOp([x], {
    outputShape: [graph.numEdges, width],
    forward: ([xs], out) => gatherRows(index, xs!, width, out),
    backward: (dy, _, [dx]) => csrSpmm({ offsets: csr.offsets, gather: csr.edges, x: dy, width, out: dx! }),
  }) as tf.Tensor2D;
}
