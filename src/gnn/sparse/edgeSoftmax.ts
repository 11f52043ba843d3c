import type * as tf from '@tensorflow/tfjs';
import { assertTensor } from './assertTensor.js';
import type { SparseGraph } from './buildSparseGraph.js';
import { runTypedOp } from './runTypedOp.js';

/**
 * Softmax of edge scores over each destination's in-edges (attention): `scores` [numEdges] or [numEdges, heads],
 * each head normalized on its own; the result has the scores' shape and sums to 1 per destination and head.
 */
export function edgeSoftmax<T extends tf.Tensor1D | tf.Tensor2D>(graph: SparseGraph, scores: T): T {
  const shape = scores.rank === 2 ? [graph.numEdges, null] : [graph.numEdges];
  const meaning = `one score per edge (${graph.numEdges}), or per edge and head [numEdges, heads]`;
  assertTensor('edgeSoftmax', 'scores', scores, shape, meaning);
  const heads = scores.rank === 2 ? scores.shape[1]! : 1;
  const { offsets, edges } = graph.byDestination;
  return runTypedOp([scores], {
    outputShape: scores.shape,
    forward: ([s], out) => softmaxForward(offsets, edges, heads, s!, out),
    saves: ['output'],
    backward: (dy, [attention], [grad]) => softmaxBackward(offsets, edges, heads, attention!, dy, grad!),
  }) as T;
}

/** a[e] = exp(s[e] - max) / Σ exp(s - max) over each row's slots, per head. */
function softmaxForward(
  offsets: Uint32Array,
  edges: Uint32Array,
  heads: number,
  scores: Float32Array,
  out: Float32Array,
): void {
  for (let r = 0; r + 1 < offsets.length; r += 1) {
    const begin = offsets[r]!;
    const end = offsets[r + 1]!;
    for (let h = 0; h < heads; h += 1) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = begin; j < end; j += 1) max = Math.max(max, scores[edges[j]! * heads + h]!);
      let sum = 0;
      for (let j = begin; j < end; j += 1) {
        const i = edges[j]! * heads + h;
        const exp = Math.exp(scores[i]! - max);
        out[i] = exp;
        sum += exp;
      }
      for (let j = begin; j < end; j += 1) out[edges[j]! * heads + h]! /= sum;
    }
  }
}

/** ds[e] = a[e] · (dy[e] - Σ a · dy over e's row), per head. */
function softmaxBackward(
  offsets: Uint32Array,
  edges: Uint32Array,
  heads: number,
  attention: Float32Array,
  dy: Float32Array,
  grad: Float32Array,
): void {
  for (let r = 0; r + 1 < offsets.length; r += 1) {
    const begin = offsets[r]!;
    const end = offsets[r + 1]!;
    for (let h = 0; h < heads; h += 1) {
      let weighted = 0;
      for (let j = begin; j < end; j += 1) {
        const i = edges[j]! * heads + h;
        weighted += attention[i]! * dy[i]!;
      }
      for (let j = begin; j < end; j += 1) {
        const i = edges[j]! * heads + h;
        grad[i] = attention[i]! * (dy[i]! - weighted);
      }
    }
  }
}
