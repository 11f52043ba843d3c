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
import { gatherByEdge } from './gatherByEdge.js';

const logger = createLogger({ level: 'silent' });
const sides = ['source', 'destination'] as const;

/** The dense reference: the one-hot incidence of the side's endpoints times x. */
function denseGather(graph: SparseGraph, x: tf.Tensor, side: (typeof sides)[number]): tf.Tensor {
  return side === 'source'
    ? tf.matMul(incidence(graph.src, graph.numSources), x)
    : tf.matMul(incidence(graph.dst, graph.numDestinations), x);
}

describe.each(['wasm', 'cpu'] as const)('gatherByEdge on %s', (backend) => {
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

  it.each(sides)('gives each edge its %s row and scatter-adds the gradient back', (side) => {
    const graph = buildTestGraph(21, { bipartite: true });
    const nodes = side === 'source' ? graph.numSources : graph.numDestinations;
    const x = randomTensor('x', [nodes, 9]);
    const [ours, dense] = tf.tidy(() => {
      const probe = randomTensor('probe', [graph.numEdges, 9]);
      const run = (f: typeof denseGather) => [
        f(graph, x, side).arraySync(),
        tf
          .grad((a: tf.Tensor) =>
            f(graph, a as tf.Tensor2D, side)
              .mul(probe)
              .sum(),
          )(x)
          .arraySync(),
      ];
      return [run(gatherByEdge as typeof denseGather), run(denseGather)];
    });
    expect(ours[0]).toHaveLength(graph.numEdges);
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-6);
    const { analytic, numeric } = compareGradients((a) => gatherByEdge(graph, a as tf.Tensor2D, side), [x]);
    x.dispose();
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
  });

  it('gives an empty result and zero gradients on a graph without edges', () => {
    const graph = buildEdgelessGraph(2);
    const [out, grad] = tf.tidy(() => {
      const x = tf.ones([2, 3]);
      const f = (a: tf.Tensor) => gatherByEdge(graph, a as tf.Tensor2D);
      return [
        f(x).shape,
        tf
          .grad((a: tf.Tensor) => f(a).sum())(x)
          .arraySync(),
      ];
    });
    expect(out).toEqual([0, 3]);
    expect(grad).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('refuses x that is not one row per node of the side', () => {
    const graph = buildTestGraph(22, { bipartite: true });
    tf.tidy(() => {
      const x = tf.zeros([graph.numSources, 2]) as tf.Tensor2D;
      expect(() => gatherByEdge(graph, x, 'destination')).toThrow(
        /gatherByEdge: x is float32 \[6, 2\], expected float32 \[4, \*\]/,
      );
    });
  });
});
