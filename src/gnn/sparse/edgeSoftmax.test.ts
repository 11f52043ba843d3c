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
import { edgeSoftmax } from './edgeSoftmax.js';

const logger = createLogger({ level: 'silent' });

/**
 * The dense reference: per head, a softmax over each destination's row of a [destinations, edges] matrix holding
 * the scores where the edge enters it and -1e9 elsewhere, read back at each edge's own destination.
 */
function denseSoftmax(graph: SparseGraph, scores: tf.Tensor): tf.Tensor {
  const d = incidence(graph.dst, graph.numDestinations);
  const columns = scores.rank === 2 ? scores : scores.reshape([-1, 1]);
  const heads = columns.shape[1]!;
  const perHead = Array.from({ length: heads }, (_, h) => {
    const s = columns.slice([0, h], [-1, 1]).reshape([1, -1]);
    const rows = tf.where(d.transpose().greater(0), s.tile([graph.numDestinations, 1]), -1e9);
    return tf.softmax(rows).mul(d.transpose()).sum(0).reshape([-1, 1]);
  });
  const out = tf.concat(perHead, 1);
  return scores.rank === 2 ? out : out.reshape([-1]);
}

describe.each(['wasm', 'cpu'] as const)('edgeSoftmax on %s', (backend) => {
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

  it.each([
    ['[numEdges]', 0],
    ['[numEdges, 3]', 3],
  ] as const)('equals the dense softmax per destination for scores %s, summing to 1', (_, heads) => {
    const graph = buildTestGraph(31, { bipartite: true });
    const shape = heads ? [graph.numEdges, heads] : [graph.numEdges];
    const [ours, dense, sums] = tf.tidy(() => {
      // Large scores check the max shift: exp(60) alone would overflow float32 sums of a few.
      const scores = randomTensor('scores', shape).mul(60) as tf.Tensor1D;
      const attention = edgeSoftmax(graph, scores);
      const perDestination = tf.matMul(
        incidence(graph.dst, graph.numDestinations),
        attention.reshape([graph.numEdges, -1]),
        true,
      );
      return [attention.arraySync(), denseSoftmax(graph, scores).arraySync(), perDestination.arraySync()];
    });
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-6);
    const width = heads || 1;
    expect(
      maxRelativeError(sums, [
        Array(width).fill(0),
        ...Array(graph.numDestinations - 1).fill(Array(width).fill(1)),
      ]),
    ).toBeLessThan(1e-6);
  });

  it.each([
    ['[numEdges]', 0],
    ['[numEdges, 2]', 2],
  ] as const)(
    'has the dense reference gradient and matches numerical gradients for scores %s',
    (_, heads) => {
      const graph = buildTestGraph(32);
      const scores = randomTensor('scores', heads ? [graph.numEdges, heads] : [graph.numEdges]);
      const [ours, dense] = tf.tidy(() => {
        const probe = randomTensor('probe', scores.shape);
        const grad = (f: typeof denseSoftmax) =>
          tf
            .grad((s: tf.Tensor) => f(graph, s).mul(probe).sum())(scores)
            .arraySync();
        return [grad(edgeSoftmax as typeof denseSoftmax), grad(denseSoftmax)];
      });
      expect(maxRelativeError(ours, dense)).toBeLessThan(1e-6);
      const { analytic, numeric } = compareGradients((s) => edgeSoftmax(graph, s as tf.Tensor1D), [scores]);
      scores.dispose();
      expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
    },
  );

  it('gives an empty result on a graph without edges', () => {
    const graph = buildEdgelessGraph(2);
    const shape = tf.tidy(() => edgeSoftmax(graph, tf.zeros([0]) as tf.Tensor1D).shape);
    expect(shape).toEqual([0]);
  });

  it('refuses scores that are not one per edge', () => {
    const graph = buildTestGraph(33);
    tf.tidy(() => {
      expect(() => edgeSoftmax(graph, tf.zeros([4, 2]) as tf.Tensor2D)).toThrow(
        /edgeSoftmax: scores is float32 \[4, 2\], expected float32 \[19, \*\]/,
      );
    });
  });
});
