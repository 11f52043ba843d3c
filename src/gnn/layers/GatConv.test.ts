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
import { GatConv } from './GatConv.js';

const logger = createLogger({ level: 'silent' });

/**
 * The dense reference, per head: scores LeakyReLU(a_src·h_s + a_dst·h_d) on a [destinations, sources] grid, a
 * softmax over each row weighted by the edge counts of A + I (repeated edges count twice), times h.
 */
function denseGat(graph: SparseGraph, x: tf.Tensor2D, layer: GatConv): tf.Tensor {
  const { weight, attentionSource, attentionDestination, bias } = layer.weights;
  const { heads, outChannels: c } = layer;
  const counts = tf
    .matMul(incidence(graph.dst, graph.numDestinations), incidence(graph.src, graph.numSources), true)
    .add(tf.eye(graph.numDestinations, graph.numSources));
  const h = tf.matMul(x, weight!).reshape([graph.numSources, heads, c]);
  const perHead = Array.from({ length: heads }, (_, k) => {
    const hk = h.slice([0, k, 0], [-1, 1, -1]).reshape([graph.numSources, c]);
    const source = tf.matMul(hk, attentionSource!.slice([0, k, 0], [1, 1, -1]).reshape([c, 1]));
    const destination = tf.matMul(
      hk.slice(0, graph.numDestinations),
      attentionDestination!.slice([0, k, 0], [1, 1, -1]).reshape([c, 1]),
    );
    const scores = tf.leakyRelu(destination.add(source.reshape([1, -1])), 0.2);
    const masked = tf.where(counts.greater(0), scores, -1e9);
    const weights = masked.sub(masked.max(1, true)).exp().mul(counts);
    return tf.matMul(weights.div(weights.sum(1, true)), hk);
  });
  const merged = layer.concat ? tf.concat(perHead, 1) : tf.stack(perHead).mean(0);
  return merged.add(bias!);
}

describe('GatConv', () => {
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

  it.each([true, false])('equals the dense multi-head reference (concat: %s) on a block', (concat) => {
    const graph = buildTestGraph(21, { bipartite: true });
    const layer = new GatConv(5, 3, { heads: 2, concat, rng: createRng(5) });
    tf.tidy(() => layer.weights.bias!.assign(randomTensor('b', [concat ? 6 : 3])));
    const [ours, dense] = tf.tidy(() => {
      const x = randomTensor('x', [graph.numSources, 5]) as tf.Tensor2D;
      return [layer.apply({ graph }, x, false).arraySync(), denseGat(graph, x, layer).arraySync()];
    });
    expect(ours).toHaveLength(graph.numDestinations);
    expect((ours as number[][])[0]).toHaveLength(concat ? 6 : 3);
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-5);
    tf.dispose(Object.values(layer.weights));
  });

  it('drops attention only while training, with masks from its seed', () => {
    const graph = buildTestGraph(22);
    const run = (training: boolean) => {
      const layer = new GatConv(4, 2, { heads: 2, dropout: 0.5, rng: createRng(6) });
      const out = tf.tidy(() =>
        layer.apply({ graph }, randomTensor('x', [7, 4]) as tf.Tensor2D, training).arraySync(),
      );
      tf.dispose(Object.values(layer.weights));
      return out;
    };
    const evaluation = run(false);
    expect(run(true)).toEqual(run(true));
    expect(maxRelativeError(run(true), evaluation)).toBeGreaterThan(1e-3);
  });

  it('passes gradients to x (matching numerical ones) and to every weight', () => {
    const graph = buildTestGraph(23, { bipartite: true });
    const layer = new GatConv(4, 2, { heads: 3, rng: createRng(7) });
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
      ['weight', [4, 6]],
      ['attentionSource', [1, 3, 2]],
      ['attentionDestination', [1, 3, 2]],
      ['bias', [6]],
    ]);
    for (const [, , largest] of grads) expect(largest).toBeGreaterThan(0);
    tf.dispose([x, ...Object.values(layer.weights)]);
  });

  it('prints like PyG', () => {
    const layers = [new GatConv(8, 16, { heads: 4 }), new GatConv(8, 16, { heads: 2, concat: false })];
    expect(layers.map(String)).toEqual(['GatConv(8, 16, heads=4)', 'GatConv(8, 16, heads=2, concat=false)']);
    tf.dispose(layers.flatMap((layer) => Object.values(layer.weights)));
  });
});
