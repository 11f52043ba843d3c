// Test support for the sparse ops' tests (no test framework here, so it can live beside them): small random
// graphs with the awkward cases, one-hot incidence matrices for dense references, and numerical gradients.
import * as tf from '@tensorflow/tfjs';
import { buildSparseGraph, type SparseGraph } from '../../src/gnn/sparse/buildSparseGraph.js';
import { createRng } from '../../src/utils/createRng.js';

/**
 * A small random graph whose destination 0 has no in-edges and which has a self loop and a repeated edge;
 * `bipartite` makes sources and destinations different node sets (6 and 4).
 */
export function buildTestGraph(
  seed: number,
  options: { bipartite?: boolean; edges?: number } = {},
): SparseGraph {
  const rng = createRng(`test-graph/${seed}`);
  const [numSources, numDestinations] = options.bipartite ? [6, 4] : [7, 7];
  const src: number[] = [];
  const dst: number[] = [];
  for (let e = 0; e < (options.edges ?? 16); e += 1) {
    src.push(rng.int(0, numSources - 1));
    dst.push(rng.int(1, numDestinations - 1));
  }
  src.push(2, 1, 1);
  dst.push(2, 3, 3);
  return buildSparseGraph({
    src: Uint32Array.from(src),
    dst: Uint32Array.from(dst),
    numSources,
    numDestinations,
  });
}

/** A graph with nodes and no edges. */
export function buildEdgelessGraph(numNodes: number): SparseGraph {
  return buildSparseGraph({ src: new Uint32Array(0), dst: new Uint32Array(0), numNodes });
}

/** A seeded float32 tensor of the given shape, uniform in [-1, 1). */
export function randomTensor(seed: string, shape: number[]): tf.Tensor {
  const rng = createRng(seed);
  const values = new Float32Array(tf.util.sizeFromShape(shape)).map(() => rng.next() * 2 - 1);
  return tf.tensor(values, shape, 'float32');
}

/** The one-hot incidence matrix [numEdges, count] of `index` (row e has a 1 in column index[e]). */
export function incidence(index: Uint32Array, count: number): tf.Tensor2D {
  return tf.tidy(
    () => tf.oneHot(tf.tensor1d(Int32Array.from(index), 'int32'), count).toFloat() as tf.Tensor2D,
  );
}

/**
 * Gradients of Σ op(inputs) · probe by central differences (step `eps`) with the loss summed in float64, next
 * to tfjs's analytic gradients of the same loss; everything returned as plain arrays, no tensors left behind.
 */
export function compareGradients(
  op: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  eps = 1e-3,
): { analytic: number[][]; numeric: number[][] } {
  return tf.tidy(() => {
    const probe = randomTensor('probe', op(...inputs).shape);
    const probeValues = probe.dataSync();
    const analytic = tf
      .grads((...xs: tf.Tensor[]) =>
        op(...xs)
          .mul(probe)
          .sum(),
      )(inputs)
      .map((grad) => Array.from(grad.dataSync()));
    const loss = (values: Float32Array[]): number =>
      tf.tidy(() => {
        const output = op(...values.map((v, i) => tf.tensor(v, inputs[i]!.shape, 'float32'))).dataSync();
        let sum = 0;
        for (let k = 0; k < output.length; k += 1) sum += output[k]! * probeValues[k]!;
        return sum;
      });
    const base = inputs.map((input) => Float32Array.from(input.dataSync()));
    const numeric = base.map((values, i) => {
      const grad: number[] = [];
      for (let k = 0; k < values.length; k += 1) {
        const shifted = base.map((v) => Float32Array.from(v));
        const up = Math.fround(values[k]! + eps);
        const down = Math.fround(values[k]! - eps);
        shifted[i]![k] = up;
        const lossUp = loss(shifted);
        shifted[i]![k] = down;
        grad[k] = (lossUp - loss(shifted)) / (up - down);
      }
      return grad;
    });
    return { analytic, numeric };
  });
}

/** The largest |a - b| / max(1, |b|) over two equally nested arrays of numbers (Infinity if they differ in size). */
export function maxRelativeError(actual: unknown, expected: unknown): number {
  const a = [actual].flat(Number.POSITIVE_INFINITY) as number[];
  const b = [expected].flat(Number.POSITIVE_INFINITY) as number[];
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  return a.reduce(
    (worst, value, i) => Math.max(worst, Math.abs(value - b[i]!) / Math.max(1, Math.abs(b[i]!))),
    0,
  );
}
