import type * as tf from '@tensorflow/tfjs';
import { assertTensor } from './assertTensor.js';
import type { SparseGraph } from './buildSparseGraph.js';
import { csrSpmm } from './csrSpmm.js';
import { gatherRows } from './gatherRows.js';
import { runTypedOp } from './runTypedOp.js';

/** How {@link segmentReduce} combines a destination's in-edge rows. */
export type SegmentReducer = 'sum' | 'mean' | 'max';

/**
 * Reduces per-edge rows `values` [numEdges, width] by destination into [numDestinations, width]: the sum, mean
 * or (column-wise) max of each destination's in-edges; 0 for a destination without in-edges. The max routes
 * each column's gradient to the edge that held it (the first such edge on ties).
 */
export function segmentReduce(graph: SparseGraph, values: tf.Tensor2D, reducer: SegmentReducer): tf.Tensor2D {
  assertTensor(
    'segmentReduce',
    'values',
    values,
    [graph.numEdges, null],
    `one row per edge (${graph.numEdges})`,
  );
  const width = values.shape[1];
  const { offsets, edges } = graph.byDestination;
  const outputShape = [graph.numDestinations, width];
  if (reducer === 'max') {
    let argmax = new Int32Array(0);
    return runTypedOp([values], {
      outputShape,
      forward: ([vs], out) => {
        argmax = new Int32Array(out.length);
        segmentMax(offsets, edges, vs!, width, out, argmax);
      },
      backward: (dy, _, [grad]) => {
        grad!.fill(0);
        for (let i = 0; i < argmax.length; i += 1) {
          const e = argmax[i]!;
          if (e >= 0) grad![e * width + (i % width)] = dy[i]!;
        }
      },
    }) as tf.Tensor2D;
  }
  const inverseDegree = reducer === 'mean' ? inverseDegrees(offsets) : undefined;
  return runTypedOp([values], {
    outputShape,
    forward: ([vs], out) => {
      csrSpmm({ offsets, gather: edges, x: vs!, width, out });
      if (inverseDegree !== undefined) scaleRows(out, width, inverseDegree);
    },
    backward: (dy, _, [grad]) => gatherRows(graph.dst, dy, width, grad!, inverseDegree),
  }) as tf.Tensor2D;
}

/** Column-wise max of each row's slots, with the edge id that held it (-1 and a 0 output for empty rows). */
function segmentMax(
  offsets: Uint32Array,
  edges: Uint32Array,
  values: Float32Array,
  width: number,
  out: Float32Array,
  argmax: Int32Array,
): void {
  for (let r = 0; r + 1 < offsets.length; r += 1) {
    const begin = offsets[r]!;
    const end = offsets[r + 1]!;
    const o = r * width;
    if (begin === end) {
      out.fill(0, o, o + width);
      argmax.fill(-1, o, o + width);
      continue;
    }
    const first = edges[begin]!;
    for (let c = 0; c < width; c += 1) {
      out[o + c] = values[first * width + c]!;
      argmax[o + c] = first;
    }
    for (let j = begin + 1; j < end; j += 1) {
      const e = edges[j]!;
      const s = e * width;
      for (let c = 0; c < width; c += 1) {
        const v = values[s + c]!;
        if (v > out[o + c]!) {
          out[o + c] = v;
          argmax[o + c] = e;
        }
      }
    }
  }
}

/** 1 / in-degree of each CSR row (0 for rows without slots). */
function inverseDegrees(offsets: Uint32Array): Float32Array {
  const inverse = new Float32Array(offsets.length - 1);
  for (let r = 0; r < inverse.length; r += 1) {
    const degree = offsets[r + 1]! - offsets[r]!;
    inverse[r] = degree === 0 ? 0 : 1 / degree;
  }
  return inverse;
}

/** Multiplies each row of `rows` by its factor. */
function scaleRows(rows: Float32Array, width: number, factors: Float32Array): void {
  for (let r = 0; r < factors.length; r += 1) {
    const factor = factors[r]!;
    for (let c = r * width; c < (r + 1) * width; c += 1) rows[c]! *= factor;
  }
}
