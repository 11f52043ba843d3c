import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestGraph,
  compareGradients,
  incidence,
  maxRelativeError,
  randomTensor,
} from '../../../test/setup/sparseTestSupport.js';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';
import { type SageAggregation, SageConv } from './SageConv.js';

const logger = createLogger({ level: 'silent' });

/**
 * The dense reference: the mean (A / in-degree, A counting repeated edges) or the masked column max (0 without
 * in-neighbours) of the sources' rows, times W, plus the destinations' own rows times W_root, plus b.
 */
function denseSage(graph: SparseGraph, x: tf.Tensor2D, layer: SageConv): tf.Tensor {
  const { weight, rootWeight, bias } = layer.weights;
  const adjacency = tf.matMul(
    incidence(graph.dst, graph.numDestinations),
    incidence(graph.src, graph.numSources),
    true,
  );
  const degree = adjacency.sum(1, true);
  const aggregated =
    layer.aggregation === 'mean'
      ? tf.matMul(adjacency.div(degree.maximum(1)), x)
      : tf
          .where(
            adjacency.expandDims(2).tile([1, 1, x.shape[1]]).greater(0),
            x.expandDims(0).tile([graph.numDestinations, 1, 1]),
            -1e9,
          )
          .max(1)
          .mul(degree.greater(0).toFloat());
  const own = x.slice(0, graph.numDestinations);
  return tf.matMul(aggregated, weight!).add(tf.matMul(own, rootWeight!)).add(bias!);
}

describe('SageConv', () => {
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
    ['mean', 3, 5],
    ['mean', 5, 3],
    ['max', 5, 3],
  ] as const)(
    'equals the dense reference (%s, %i → %i) on a block with empty rows, self loops and repeated edges',
    (aggregation: SageAggregation, inChannels, outChannels) => {
      const graph = buildTestGraph(11, { bipartite: true });
      const layer = new SageConv(inChannels, outChannels, { aggregation, rng: createRng(3) });
      tf.tidy(() => layer.weights.bias!.assign(randomTensor('b', [outChannels])));
      const [ours, dense] = tf.tidy(() => {
        const x = randomTensor('x', [graph.numSources, inChannels]) as tf.Tensor2D;
        return [layer.apply({ graph }, x, false).arraySync(), denseSage(graph, x, layer).arraySync()];
      });
      expect(ours).toHaveLength(graph.numDestinations);
      expect(maxRelativeError(ours, dense)).toBeLessThan(1e-5);
      tf.dispose(Object.values(layer.weights));
    },
  );

  it.each(['mean', 'max'] as const)(
    'passes gradients to x (matching numerical ones) and to every weight (%s)',
    (aggregation) => {
      const graph = buildTestGraph(12, { bipartite: true });
      const layer = new SageConv(4, 3, { aggregation, rng: createRng(4) });
      const x = randomTensor('x', [graph.numSources, 4]);
      const { analytic, numeric } = compareGradients(
        (a) => layer.apply({ graph }, a as tf.Tensor2D, false),
        [x],
      );
      expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
      const grads = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            layer
              .apply({ graph }, x as tf.Tensor2D, false)
              .square()
              .sum() as tf.Scalar,
          Object.values(layer.weights),
        );
        return Object.entries(layer.weights).map(([name, v]) => [
          name,
          grads[v.name]!.shape,
          grads[v.name]!.abs().max().arraySync(),
        ]);
      });
      expect(grads.map(([name, shape]) => [name, shape])).toEqual([
        ['weight', [4, 3]],
        ['rootWeight', [4, 3]],
        ['bias', [3]],
      ]);
      for (const [, , largest] of grads) expect(largest).toBeGreaterThan(0);
      tf.dispose([x, ...Object.values(layer.weights)]);
    },
  );

  it('keeps the mean of a constant training input: the same outputs and gradients as without it, freed by dispose', () => {
    const graph = buildTestGraph(14, { bipartite: true });
    const layer = new SageConv(4, 4, { rng: createRng(5) });
    const weights = Object.values(layer.weights);
    const x = randomTensor('x', [graph.numSources, 4]) as tf.Tensor2D;
    const input = tf.variable(x);
    /** The output, the weights' gradients and x's gradient, as arrays. */
    const run = (a: tf.Tensor2D, training: boolean) =>
      tf.tidy(() => {
        const loss = () => layer.apply({ graph }, a, training).square().sum() as tf.Scalar;
        const { grads } = tf.variableGrads(loss, weights);
        const dx = tf.grad((b: tf.Tensor) =>
          layer
            .apply({ graph }, b as tf.Tensor2D, training)
            .square()
            .sum(),
        )(a);
        return [layer.apply({ graph }, a, training), ...weights.map((w) => grads[w.name]!), dx].map((t) =>
          t.arraySync(),
        );
      });
    const tensors = tf.memory().numTensors;
    const plain = run(x, false);
    expect(tf.memory().numTensors).toBe(tensors);
    // A trainable variable may receive a gradient: nothing is kept for it.
    expect(run(input, true)).toEqual(plain);
    expect(tf.memory().numTensors).toBe(tensors);
    // The first training call keeps the mean, later ones (and inference on the same tensor) reuse it.
    for (let call = 0; call < 3; call += 1) expect(run(x, true)).toEqual(plain);
    expect(run(x, false)).toEqual(plain);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, input, ...weights]);
  });

  it('prints like PyG, leaves out the root weight on request, and refuses a block with too few sources', () => {
    const layer = new SageConv(8, 32);
    expect(String(layer)).toBe('SageConv(8, 32)');
    const max = new SageConv(8, 32, { aggregation: 'max', rootWeight: false, bias: false });
    expect(String(max)).toBe('SageConv(8, 32, aggr=max)');
    expect(Object.keys(max.weights)).toEqual(['weight']);
    const graph = buildTestGraph(13, { bipartite: true });
    const flipped = { ...graph, numSources: graph.numDestinations, numDestinations: graph.numSources };
    tf.tidy(() => {
      expect(() => layer.apply({ graph: flipped }, tf.zeros([4, 8]) as tf.Tensor2D, false)).toThrow(
        /SageConv\(8, 32\): the block has 6 destinations but only 4 sources/,
      );
    });
    tf.dispose([...Object.values(layer.weights), ...Object.values(max.weights)]);
  });
});
