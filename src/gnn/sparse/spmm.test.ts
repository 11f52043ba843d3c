import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildEdgelessGraph,
  buildTestGraph,
  compareGradients,
  incidence,
  maxRelativeError,
  randomTensor,
} from '../../../test/setup/sparseTestSupport.js';
import { createLogger } from '../../internal/createLogger.js';
import { createTfBackend } from '../createTfBackend.js';
import type { SparseGraph } from './buildSparseGraph.js';
import { spmm } from './spmm.js';

const logger = createLogger({ level: 'silent' });

/** The dense reference: per head h, Dᵀ·diag(w[:, h])·S times head h's block of x (differentiable in x and w). */
function denseSpmm(graph: SparseGraph, x: tf.Tensor, weights?: tf.Tensor): tf.Tensor {
  const d = incidence(graph.dst, graph.numDestinations);
  const s = incidence(graph.src, graph.numSources);
  const w = weights ?? tf.ones([graph.numEdges]);
  const heads = w.rank === 2 ? w.shape[1]! : 1;
  const headWidth = x.shape[1]! / heads;
  const blocks = Array.from({ length: heads }, (_, h) => {
    const column = w.rank === 2 ? w.slice([0, h], [-1, 1]) : w.reshape([-1, 1]);
    const adjacency = tf.matMul(d, s.mul(column), true, false);
    return tf.matMul(adjacency, x.slice([0, h * headWidth], [-1, headWidth]));
  });
  return tf.concat(blocks, 1);
}

describe.each(['wasm', 'cpu'] as const)('spmm on %s', (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    expect((await createTfBackend({ logger, backend })).tf.getBackend()).toBe(backend);
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked').toBe(tensorsBefore);
  });

  it.each([false, true])(
    'equals the dense product (bipartite: %s) with empty rows, self loops, repeated edges',
    (bipartite) => {
      const graph = buildTestGraph(1, { bipartite });
      const [ours, dense] = tf.tidy(() => {
        const x = randomTensor('x', [graph.numSources, 11]) as tf.Tensor2D;
        return [spmm(graph, x).arraySync(), denseSpmm(graph, x).arraySync()];
      });
      expect(ours).toHaveLength(graph.numDestinations);
      expect((ours as number[][])[0]).toEqual(Array(11).fill(0));
      expect(maxRelativeError(ours, dense)).toBeLessThan(1e-5);
    },
  );

  it('weights edges with constants, a tensor, or a tensor per head', () => {
    const graph = buildTestGraph(2);
    tf.tidy(() => {
      const x = randomTensor('x', [graph.numSources, 12]) as tf.Tensor2D;
      const w = randomTensor('w', [graph.numEdges]);
      const perHead = randomTensor('w3', [graph.numEdges, 3]);
      const dense = denseSpmm(graph, x, w).arraySync();
      expect(maxRelativeError(spmm(graph, x, w).arraySync(), dense)).toBeLessThan(1e-5);
      expect(maxRelativeError(spmm(graph, x, w.dataSync() as Float32Array).arraySync(), dense)).toBeLessThan(
        1e-5,
      );
      const denseHeads = denseSpmm(graph, x, perHead).arraySync();
      expect(maxRelativeError(spmm(graph, x, perHead).arraySync(), denseHeads)).toBeLessThan(1e-5);
      expect(
        maxRelativeError(spmm(graph, x, perHead.dataSync() as Float32Array).arraySync(), denseHeads),
      ).toBeLessThan(1e-5);
    });
  });

  it('has the dense reference gradients for x and the weights', () => {
    const graph = buildTestGraph(3, { bipartite: true });
    const [ours, dense] = tf.tidy(() => {
      const x = randomTensor('x', [graph.numSources, 6]);
      const w = randomTensor('w', [graph.numEdges, 2]);
      const probe = randomTensor('probe', [graph.numDestinations, 6]);
      const loss = (f: typeof denseSpmm) => (a: tf.Tensor, b: tf.Tensor) =>
        f(graph, a as tf.Tensor2D, b)
          .mul(probe)
          .sum();
      const grads = (f: typeof denseSpmm) =>
        tf
          .grads(loss(f))([x, w])
          .map((g) => g.arraySync());
      return [grads(spmm as typeof denseSpmm), grads(denseSpmm)];
    });
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-5);
  });

  it.each([
    ['unweighted', 0],
    ['weighted', 1],
    ['two heads', 2],
  ] as const)('matches numerical gradients (%s)', (_, heads) => {
    const graph = buildTestGraph(4, { edges: 10 });
    const x = randomTensor('x', [graph.numSources, 4]);
    const w = randomTensor('w', heads === 2 ? [graph.numEdges, 2] : [graph.numEdges]);
    const inputs = heads === 0 ? [x] : [x, w];
    const { analytic, numeric } = compareGradients((...t) => spmm(graph, t[0] as tf.Tensor2D, t[1]), inputs);
    tf.dispose([x, w]);
    expect(analytic).toHaveLength(inputs.length);
    for (let i = 0; i < analytic.length; i += 1)
      expect(maxRelativeError(analytic[i], numeric[i])).toBeLessThan(2e-3);
  });

  it('scales by constant factors per destination and per source, as the same per-edge weights would', () => {
    const graph = buildTestGraph(6, { bipartite: true });
    const destinations = Float32Array.from({ length: graph.numDestinations }, (_, d) => 0.5 + d / 7);
    const sources = Float32Array.from({ length: graph.numSources }, (_, s) => 1 - s / 11);
    const perEdge = (withSources: boolean) =>
      Float32Array.from(graph.dst, (d, e) => destinations[d]! * (withSources ? sources[graph.src[e]!]! : 1));
    const x = randomTensor('x', [graph.numSources, 10]) as tf.Tensor2D;
    for (const [scales, weights] of [
      [{ destinations, sources }, perEdge(true)],
      [{ destinations }, perEdge(false)],
    ] as const) {
      tf.tidy(() => {
        const dense = denseSpmm(graph, x, tf.tensor1d(weights)).arraySync();
        expect(maxRelativeError(spmm(graph, x, scales).arraySync(), dense)).toBeLessThan(1e-5);
      });
      const ours = compareGradients((t) => spmm(graph, t as tf.Tensor2D, scales), [x]);
      const reference = compareGradients((t) => spmm(graph, t as tf.Tensor2D, weights), [x]);
      expect(maxRelativeError(ours.analytic, reference.analytic)).toBeLessThan(1e-5);
      expect(maxRelativeError(ours.analytic, ours.numeric)).toBeLessThan(2e-3);
    }
    x.dispose();
  });

  it('gives zeros and zero gradients on a graph without edges', () => {
    const graph = buildEdgelessGraph(3);
    const [out, grad] = tf.tidy(() => {
      const x = randomTensor('x', [3, 2]) as tf.Tensor2D;
      return [
        spmm(graph, x).arraySync(),
        tf
          .grad((a: tf.Tensor) => spmm(graph, a as tf.Tensor2D).sum())(x)
          .arraySync(),
      ];
    });
    expect(out).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(grad).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('refuses operands of the wrong shape, saying what it expected', () => {
    const graph = buildTestGraph(5);
    tf.tidy(() => {
      const x = tf.zeros([graph.numSources + 1, 4]) as tf.Tensor2D;
      expect(() => spmm(graph, x)).toThrow(/spmm: x is float32 \[8, 4\], expected float32 \[7, \*\]/);
      const good = tf.zeros([graph.numSources, 4]) as tf.Tensor2D;
      expect(() => spmm(graph, good, tf.zeros([3]))).toThrow(
        /weights is float32 \[3\], expected float32 \[19\]/,
      );
      expect(() => spmm(graph, good, tf.zeros([graph.numEdges, 3]))).toThrow(
        /3 weight heads do not divide x's 4 columns/,
      );
      expect(() => spmm(graph, good, new Float32Array(5))).toThrow(/5 values for 19 edges/);
      expect(() => spmm(graph, good, { sources: new Float32Array(3) })).toThrow(
        /spmm: 3 sources scales for 7 sources/,
      );
      expect(() => spmm(graph, tf.zeros([graph.numSources, 4], 'int32') as tf.Tensor2D)).toThrow(
        /x is int32/,
      );
    });
  });
});
