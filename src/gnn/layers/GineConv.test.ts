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
import { GineConv } from './GineConv.js';

const logger = createLogger({ level: 'silent' });

/** The dense reference: h = xW; Dᵀ·ReLU(S·h + e·W_edge + b) + (1 + eps)·h_dst, through Linear, ReLU, Linear. */
function denseGine(
  graph: SparseGraph,
  x: tf.Tensor2D,
  edges: tf.Tensor2D,
  layer: GineConv,
  eps: number,
): tf.Tensor {
  const w = layer.weights;
  const h = tf.matMul(x, w.weight!);
  const messages = tf.relu(
    tf
      .matMul(incidence(graph.src, graph.numSources), h)
      .add(tf.matMul(edges, w.edgeWeight!))
      .add(w.messageBias!),
  );
  const summed = tf
    .matMul(incidence(graph.dst, graph.numDestinations), messages, true)
    .add(h.slice(0, graph.numDestinations).mul(1 + eps));
  const hidden = tf.relu(tf.matMul(summed, w['mlp.0.weight']!).add(w['mlp.0.bias']!));
  return tf.matMul(hidden, w['mlp.1.weight']!).add(w['mlp.1.bias']!);
}

describe('GineConv', () => {
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

  it('equals the dense reference on a block, edge features in the messages', () => {
    const graph = buildTestGraph(31, { bipartite: true });
    const layer = new GineConv(5, 4, { edgeChannels: 3, eps: 0.25, rng: createRng(8) });
    tf.tidy(() => layer.weights.messageBias!.assign(randomTensor('b', [4])));
    const [ours, dense, withoutEdges] = tf.tidy(() => {
      const x = randomTensor('x', [graph.numSources, 5]) as tf.Tensor2D;
      const edgeFeatures = randomTensor('e', [graph.numEdges, 3]) as tf.Tensor2D;
      return [
        layer.apply({ graph, edgeFeatures }, x, false).arraySync(),
        denseGine(graph, x, edgeFeatures, layer, 0.25).arraySync(),
        layer.apply({ graph, edgeFeatures: tf.zerosLike(edgeFeatures) }, x, false).arraySync(),
      ];
    });
    expect(ours).toHaveLength(graph.numDestinations);
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-5);
    expect(maxRelativeError(ours, withoutEdges)).toBeGreaterThan(1e-3);
    tf.dispose(Object.values(layer.weights));
  });

  it('passes gradients to x and the edge features (matching numerical ones) and to every weight', () => {
    const graph = buildTestGraph(32, { bipartite: true });
    const layer = new GineConv(4, 3, { edgeChannels: 2, rng: createRng(9) });
    const x = randomTensor('x', [graph.numSources, 4]);
    const edges = randomTensor('e', [graph.numEdges, 2]);
    const { analytic, numeric } = compareGradients(
      (a, e) => layer.apply({ graph, edgeFeatures: e as tf.Tensor2D }, a as tf.Tensor2D, false),
      [x, edges],
    );
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
    const grads = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () =>
          layer
            .apply({ graph, edgeFeatures: edges as tf.Tensor2D }, x as tf.Tensor2D, false)
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
      ['edgeWeight', [2, 3]],
      ['messageBias', [3]],
      ['mlp.0.weight', [3, 3]],
      ['mlp.0.bias', [3]],
      ['mlp.1.weight', [3, 3]],
      ['mlp.1.bias', [3]],
    ]);
    for (const [, , largest] of grads) expect(largest).toBeGreaterThan(0);
    tf.dispose([x, edges, ...Object.values(layer.weights)]);
  });

  it('prints its edge channels and refuses a block without fitting edge features', () => {
    const graph = buildTestGraph(33);
    const layer = new GineConv(8, 32, { edgeChannels: 3 });
    expect(String(layer)).toBe('GineConv(8, 32, edgeChannels=3)');
    tf.tidy(() => {
      const x = tf.zeros([7, 8]) as tf.Tensor2D;
      expect(() => layer.apply({ graph }, x, false)).toThrow(
        /GineConv\(8, 32, edgeChannels=3\): the block has no edge features/,
      );
      expect(() => layer.apply({ graph, edgeFeatures: tf.zeros([19, 2]) as tf.Tensor2D }, x, false)).toThrow(
        /edgeFeatures is float32 \[19, 2\], expected float32 \[19, 3\]/,
      );
    });
    tf.dispose(Object.values(layer.weights));
  });
});
