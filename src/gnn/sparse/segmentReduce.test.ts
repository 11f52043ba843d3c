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
import { buildSparseGraph, type SparseGraph } from './buildSparseGraph.js';
import { type SegmentReducer, segmentReduce } from './segmentReduce.js';

const logger = createLogger({ level: 'silent' });
const reducers: SegmentReducer[] = ['sum', 'mean', 'max'];

/** The dense reference: Dᵀ·values, divided by the in-degree for mean, a masked max for max; 0 without in-edges. */
function denseSegment(graph: SparseGraph, values: tf.Tensor, reducer: SegmentReducer): tf.Tensor {
  const d = incidence(graph.dst, graph.numDestinations);
  const degree = d.sum(0).reshape([-1, 1]);
  if (reducer === 'sum') return tf.matMul(d, values, true, false);
  if (reducer === 'mean') return tf.matMul(d, values, true, false).div(tf.maximum(degree, 1));
  const [edges, width] = values.shape as [number, number];
  const nodes = graph.numDestinations;
  const mask = d.transpose().reshape([nodes, edges, 1]).tile([1, 1, width]).greater(0);
  const expanded = values.reshape([1, edges, width]).tile([nodes, 1, 1]);
  const masked = tf.where(mask, expanded, tf.fill([nodes, edges, width], -1e30));
  return masked.max(1).mul(degree.greater(0).toFloat());
}

describe.each(['wasm', 'cpu'] as const)('segmentReduce on %s', (backend) => {
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

  it.each(reducers)('%s equals the dense reduction, 0 for a destination without in-edges', (reducer) => {
    for (const bipartite of [false, true]) {
      const graph = buildTestGraph(11, { bipartite });
      const [ours, dense] = tf.tidy(() => {
        const values = randomTensor('values', [graph.numEdges, 5]) as tf.Tensor2D;
        return [
          segmentReduce(graph, values, reducer).arraySync(),
          denseSegment(graph, values, reducer).arraySync(),
        ];
      });
      expect(ours).toHaveLength(graph.numDestinations);
      expect((ours as number[][])[0]).toEqual([0, 0, 0, 0, 0]);
      expect(maxRelativeError(ours, dense)).toBeLessThan(1e-6);
    }
  });

  it.each(reducers)('%s has the dense reference gradient and matches numerical gradients', (reducer) => {
    const graph = buildTestGraph(12);
    const values = randomTensor('values', [graph.numEdges, 3]);
    const [ours, dense] = tf.tidy(() => {
      const probe = randomTensor('probe', [graph.numDestinations, 3]);
      const grad = (f: typeof denseSegment) =>
        tf
          .grad((v: tf.Tensor) =>
            f(graph, v as tf.Tensor2D, reducer)
              .mul(probe)
              .sum(),
          )(values)
          .arraySync();
      return [grad(segmentReduce as typeof denseSegment), grad(denseSegment)];
    });
    expect(maxRelativeError(ours, dense)).toBeLessThan(1e-6);
    const { analytic, numeric } = compareGradients(
      (v) => segmentReduce(graph, v as tf.Tensor2D, reducer),
      [values],
    );
    values.dispose();
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-3);
  });

  it('max sends each column gradient to the one edge holding the maximum (the first on ties)', () => {
    // Destination 1 gets edges 0 and 2, destination 0 gets edge 1; column 2 ties between edges 0 and 2.
    const graph = buildSparseGraph({
      src: Uint32Array.of(0, 0, 1),
      dst: Uint32Array.of(1, 0, 1),
      numNodes: 2,
    });
    const grad = tf.tidy(() => {
      const values = tf.tensor2d([
        [1, 5, 4],
        [7, 7, 7],
        [3, 2, 4],
      ]);
      return tf
        .grad((v: tf.Tensor) => segmentReduce(graph, v as tf.Tensor2D, 'max').sum())(values)
        .arraySync();
    });
    expect(grad).toEqual([
      [0, 1, 1],
      [1, 1, 1],
      [1, 0, 0],
    ]);
  });

  it('gives zeros on a graph without edges', () => {
    const graph = buildEdgelessGraph(2);
    for (const reducer of reducers) {
      const out = tf.tidy(() => segmentReduce(graph, tf.zeros([0, 3]) as tf.Tensor2D, reducer).arraySync());
      expect(out).toEqual([
        [0, 0, 0],
        [0, 0, 0],
      ]);
    }
  });

  it('refuses values that are not one row per edge', () => {
    const graph = buildTestGraph(14);
    tf.tidy(() => {
      expect(() => segmentReduce(graph, tf.zeros([3, 2]) as tf.Tensor2D, 'sum')).toThrow(
        /segmentReduce: values is float32 \[3, 2\], expected float32 \[19, \*\]/,
      );
    });
  });
});
