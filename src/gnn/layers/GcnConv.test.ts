import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestGraph,
  compareGradients,
  maxRelativeError,
  randomTensor,
} from '../../../test/setup/sparseTestSupport.js';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';
import { GcnConv } from './GcnConv.js';

const logger = createLogger({ level: 'silent' });

/** 5 nodes, undirected edges 0-1, 0-2, 0-3, 3-4 (both directions): degrees with self loops 4, 2, 2, 3, 2. */
const graph = buildSparseGraph({
  src: Uint32Array.of(0, 1, 0, 2, 0, 3, 3, 4),
  dst: Uint32Array.of(1, 0, 2, 0, 3, 0, 4, 3),
  numNodes: 5,
});

/** D^-1/2 (A + I) D^-1/2 by hand: entry (i, j) is 1 / √(dᵢ · dⱼ) where i = j or i, j are neighbours. */
const s = Math.sqrt;
const normalized = [
  [1 / 4, 1 / s(8), 1 / s(8), 1 / s(12), 0],
  [1 / s(8), 1 / 2, 0, 0, 0],
  [1 / s(8), 0, 1 / 2, 0, 0],
  [1 / s(12), 0, 0, 1 / 3, 1 / s(6)],
  [0, 0, 0, 1 / s(6), 1 / 2],
];

/** The plain matrix product of two number[][]. */
function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * b[k]![j]!, 0)));
}

describe('GcnConv', () => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked').toBe(tensorsBefore);
  });

  it.each([
    ['aggregating first', 2, 3],
    ['transforming first', 3, 2],
  ])('equals the hand-computed dense result on a 5-node graph (%s)', (_, inChannels, outChannels) => {
    const layer = new GcnConv(inChannels, outChannels, { rng: createRng(1) });
    const x = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: inChannels }, (_, c) => i - 2 * c + 0.5),
    );
    const w = Array.from({ length: inChannels }, (_, i) =>
      Array.from({ length: outChannels }, (_, j) => i - j / 2),
    );
    const b = Array.from({ length: outChannels }, (_, j) => j / 10);
    tf.tidy(() => {
      layer.weights.weight!.assign(tf.tensor2d(w));
      layer.weights.bias!.assign(tf.tensor1d(b));
    });
    const ours = tf.tidy(() => layer.apply({ graph }, tf.tensor2d(x), false).arraySync());
    const expected = multiply(multiply(normalized, x), w).map((row) => row.map((v, j) => v + b[j]!));
    expect(maxRelativeError(ours, expected)).toBeLessThan(1e-6);
    tf.dispose(Object.values(layer.weights));
  });

  it('normalizes a block by the whole-graph out-degrees it carries', () => {
    // Destinations 0, 1 of the 5-node graph: sources 0, 1 (themselves), then 2, 3 (in-neighbours of 0).
    const block = buildSparseGraph({
      src: Uint32Array.of(1, 2, 3, 0),
      dst: Uint32Array.of(0, 0, 0, 1),
      numSources: 4,
      numDestinations: 2,
    });
    const layer = new GcnConv(1, 1, { bias: false });
    tf.tidy(() => layer.weights.weight!.assign(tf.tensor2d([[1]])));
    const x = [[1], [2], [3], [4]];
    const ours = tf.tidy(() =>
      layer
        .apply({ graph: block, sourceOutDegrees: Uint32Array.of(3, 1, 1, 2) }, tf.tensor2d(x), false)
        .arraySync(),
    );
    // Rows 0 and 1 of the whole graph's normalized matrix times x of nodes 0..3.
    const expected = multiply(
      normalized.slice(0, 2).map((row) => row.slice(0, 4)),
      x,
    );
    expect(maxRelativeError(ours, expected)).toBeLessThan(1e-6);
    tf.dispose(Object.values(layer.weights));
  });

  it('passes gradients to x (matching numerical ones) and to every weight', () => {
    const block = buildTestGraph(3, { bipartite: true });
    const layer = new GcnConv(4, 3, { rng: createRng(2) });
    const x = randomTensor('x', [block.numSources, 4]);
    const { analytic, numeric } = compareGradients(
      (a) => layer.apply({ graph: block }, a as tf.Tensor2D, false),
      [x],
    );
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
    const grads = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () =>
          layer
            .apply({ graph: block }, x as tf.Tensor2D, false)
            .square()
            .sum() as tf.Scalar,
        Object.values(layer.weights),
      );
      return Object.values(layer.weights).map((v) => [
        grads[v.name]!.shape,
        grads[v.name]!.abs().max().arraySync(),
      ]);
    });
    expect(grads).toEqual([
      [[4, 3], expect.any(Number)],
      [[3], expect.any(Number)],
    ]);
    for (const [, largest] of grads) expect(largest).toBeGreaterThan(0);
    tf.dispose([x, ...Object.values(layer.weights)]);
  });

  it('prints like PyG and refuses x of the wrong width, naming the layer', () => {
    const layer = new GcnConv(8, 32);
    expect(String(layer)).toBe('GcnConv(8, 32)');
    tf.tidy(() => {
      expect(() => layer.apply({ graph }, tf.zeros([5, 7]) as tf.Tensor2D, false)).toThrow(
        /GcnConv\(8, 32\): x is float32 \[5, 7\], expected float32 \[5, 8\]/,
      );
    });
    expect(() => new GcnConv(0, 3)).toThrow('GcnConv: inChannels must be a positive integer, got 0');
    tf.dispose(Object.values(layer.weights));
  });
});
