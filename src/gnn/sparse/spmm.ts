import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import type { Csr } from '../../types/graph.js';
import { assertTensor } from './assertTensor.js';
import type { SparseGraph } from './buildSparseGraph.js';
import type { SlotWeights } from './csrSpmm.js';
import { parallelCsrSpmm } from './parallelCsrSpmm.js';
import { runTypedOp } from './runTypedOp.js';

/**
 * Constant factors per node of the product in {@link spmm}: A[d][s] times `destinations[d]` and `sources[s]` (1 when
 * absent). A mean (1 / in-degree per destination) or a symmetric normalization this way costs no per-edge lookup.
 */
export interface NodeScales {
  destinations?: Float32Array | undefined;
  sources?: Float32Array | undefined;
}

/**
 * The sparse × dense product out = A·x, A[d][s] = Σ weights of the edges s→d (1 without weights): each
 * destination sums its in-neighbours' rows of `x` [numSources, width] into [numDestinations, width]. `weights`
 * are constants (a Float32Array per edge, or per edge and head), a tensor [numEdges] / [numEdges, heads] that
 * gets a gradient too (attention), or constant {@link NodeScales}; with heads, head h scales the h-th block of
 * width / heads columns. Large products without per-edge weights share their rows with a helper thread
 * (parallelCsrSpmm).
 */
export function spmm(
  graph: SparseGraph,
  x: tf.Tensor2D,
  weights?: tf.Tensor | Float32Array | NodeScales,
): tf.Tensor2D {
  assertTensor('spmm', 'x', x, [graph.numSources, null], `one row per source node (${graph.numSources})`);
  const width = x.shape[1];
  const { byDestination, bySource } = graph;
  const trained = weights instanceof tf.Tensor ? weights : undefined;
  const constant = weights instanceof Float32Array ? weights : undefined;
  const scales = weights instanceof tf.Tensor || weights instanceof Float32Array ? undefined : weights;
  if (scales !== undefined) checkScales(graph, scales);
  const heads = trained !== undefined ? tensorHeads(graph, trained) : constantHeads(graph, constant);
  if (heads < 1 || width % heads !== 0) {
    throw new NonRetryableError(`spmm: ${heads} weight heads do not divide x's ${width} columns`, {
      code: 'GNN_SHAPE_MISMATCH',
      details: 'With weights per edge and head, x must have heads × (columns per head) columns.',
    });
  }
  /** The weights as csrSpmm reads them through `csr`'s slots (none when unweighted). */
  const through = (csr: Csr, values: Float32Array | undefined): SlotWeights | undefined =>
    values === undefined ? undefined : { values, heads, edges: csr.edges };
  return runTypedOp(trained !== undefined ? [x, trained] : [x], {
    outputShape: [graph.numDestinations, width],
    forward: ([xs, ws], out) => {
      const values = trained !== undefined ? ws : constant;
      parallelCsrSpmm({
        ...rowsOf(byDestination),
        x: xs!,
        width,
        out,
        weights: through(byDestination, values),
        rowScale: scales?.destinations,
        gatherScale: scales?.sources,
      });
    },
    saves: trained !== undefined ? [0, 1] : [],
    backward: (dy, [xs, ws], [dx, dw]) => {
      const values = trained !== undefined ? ws : constant;
      parallelCsrSpmm({
        ...rowsOf(bySource),
        x: dy,
        width,
        out: dx!,
        weights: through(bySource, values),
        rowScale: scales?.sources,
        gatherScale: scales?.destinations,
      });
      if (trained !== undefined) computeEdgeDots(graph, dy, xs!, width, heads, dw!);
    },
  }) as tf.Tensor2D;
}

/** Throws unless each node scale has one factor per destination / source. */
function checkScales(graph: SparseGraph, scales: NodeScales): void {
  for (const [side, count] of [
    ['destinations', graph.numDestinations],
    ['sources', graph.numSources],
  ] as const) {
    const factors = scales[side];
    if (factors !== undefined && factors.length !== count) {
      throw new NonRetryableError(`spmm: ${factors.length} ${side} scales for ${count} ${side}`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: `NodeScales.${side}: one factor per ${side === 'destinations' ? 'destination' : 'source'} node.`,
      });
    }
  }
}

/** Heads of a weights tensor [numEdges] or [numEdges, heads], after checking its shape. */
function tensorHeads(graph: SparseGraph, weights: tf.Tensor): number {
  const shape = weights.rank === 2 ? [graph.numEdges, null] : [graph.numEdges];
  const meaning = `one weight per edge (${graph.numEdges}), or per edge and head [numEdges, heads]`;
  assertTensor('spmm', 'weights', weights, shape, meaning);
  return weights.rank === 2 ? weights.shape[1]! : 1;
}

/** Heads of constant weights (edge-major, per edge and head), 1 without weights. */
function constantHeads(graph: SparseGraph, weights: Float32Array | undefined): number {
  if (weights === undefined || graph.numEdges === 0) return 1;
  const heads = weights.length / graph.numEdges;
  if (Number.isInteger(heads) && heads >= 1) return heads;
  throw new NonRetryableError(
    `spmm: weights has ${weights.length} values for ${graph.numEdges} edges, expected a multiple`,
    {
      code: 'GNN_SHAPE_MISMATCH',
      details: 'weights: one value per edge, or per edge and head (edge-major).',
    },
  );
}

/** A CSR's rows as csrSpmm reads them: each slot gathers its neighbour's row. */
function rowsOf(csr: Csr): { offsets: Uint32Array; gather: Uint32Array } {
  return { offsets: csr.offsets, gather: csr.targets };
}

/** The weights' gradient: dw[e, h] = dy[dst e] · x[src e] over head h's columns. */
function computeEdgeDots(
  graph: SparseGraph,
  dy: Float32Array,
  x: Float32Array,
  width: number,
  heads: number,
  dw: Float32Array,
): void {
  const headWidth = width / heads;
  for (let e = 0; e < graph.numEdges; e += 1) {
    const d = graph.dst[e]! * width;
    const s = graph.src[e]! * width;
    for (let h = 0; h < heads; h += 1) {
      let dot = 0;
      for (let c = h * headWidth; c < (h + 1) * headWidth; c += 1) dot += dy[d + c]! * x[s + c]!;
      dw[e * heads + h] = dot;
    }
  }
}
