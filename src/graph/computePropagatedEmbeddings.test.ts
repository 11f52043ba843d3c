import { describe, expect, it } from 'vitest';
import { randomSnapshot } from '../../test/setup/randomSnapshot.js';
import type { GraphEdges, GraphSnapshot } from '../types/graph.js';
import { createRng } from '../utils/createRng.js';
import { buildCsr } from './buildCsr.js';
import { computePropagatedEmbeddings } from './computePropagatedEmbeddings.js';

/** The path 0 → 1 → 2 and an isolated node 3. */
function pathSnapshot(): GraphSnapshot {
  const edges: GraphEdges = {
    src: Uint32Array.of(0, 1),
    dst: Uint32Array.of(1, 2),
    type: Uint8Array.of(0, 0),
    token: Uint32Array.of(0xffff_ffff, 0xffff_ffff),
    count: Uint32Array.of(1, 1),
    logTotal: new Float32Array(2),
    logMax: new Float32Array(2),
    firstBlock: new Uint32Array(2),
    lastBlock: new Uint32Array(2),
  };
  return {
    id: 'path',
    point: { chainId: 1, asOfBlock: 1, asOfTime: 0, fromBlock: 0 },
    nodes: { addresses: ['0xa', '0xb', '0xc', '0xd'], kind: new Uint8Array(4) },
    edges,
    ...buildCsr(edges, 4),
  };
}

const column = (values: Float32Array, width: number, c: number) =>
  Array.from({ length: values.length / width }, (_, v) => values[v * width + c]!);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const covariance = (a: number[], b: number[]) => {
  const [ma, mb] = [mean(a), mean(b)];
  return mean(a.map((x, i) => (x - ma) * (b[i]! - mb)));
};

describe('computePropagatedEmbeddings', () => {
  it('keeps the hand-computed [X, ÂX] geometry when it keeps every component', () => {
    // X = [1, 2, 3, 4]; ÂX = neighbour means = [2, (1 + 3) / 2, 2, 0] (node 3 has no neighbours).
    const { embeddings, projection } = computePropagatedEmbeddings(
      pathSnapshot(),
      Float32Array.of(1, 2, 3, 4),
      { hops: 1, dims: 2 },
    );
    const standardise = (xs: number[]) => {
      const m = mean(xs);
      const s = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
      return xs.map((x) => (x - m) / s);
    };
    const z = [standardise([1, 2, 3, 4]), standardise([2, 2, 2, 0])];
    // With both components the projection is a rotation: every inner product between nodes is unchanged.
    for (let u = 0; u < 4; u += 1) {
      for (let v = 0; v < 4; v += 1) {
        const ours =
          embeddings[u * 2]! * embeddings[v * 2]! + embeddings[u * 2 + 1]! * embeddings[v * 2 + 1]!;
        expect(ours).toBeCloseTo(z[0]![u]! * z[0]![v]! + z[1]![u]! * z[1]![v]!, 5);
      }
    }
    const [first, second] = projection.explainedVariance as [number, number];
    expect(first + second).toBeCloseTo(1, 6);
    expect(first).toBeGreaterThanOrEqual(second);
  });

  it('returns uncorrelated components in decreasing order of the variance they keep', () => {
    const snapshot = randomSnapshot(300, 1_200, 5);
    const width = 6;
    const rng = createRng('features');
    const features = Float32Array.from({ length: 300 * width }, () => rng.normal());
    const { embeddings, projection, dims } = computePropagatedEmbeddings(snapshot, features, {
      hops: 2,
      dims: 4,
    });
    const { explainedVariance } = projection;
    expect(dims).toBe(4);
    const columns = Array.from({ length: 4 }, (_, k) => column(embeddings, 4, k));
    const variances = columns.map((c) => covariance(c, c));
    // 18 standardised columns in all: each component's variance is its share of their total, 18.
    for (const [k, variance] of variances.entries())
      expect(variance).toBeCloseTo(explainedVariance[k]! * 18, 3);
    for (let k = 1; k < 4; k += 1) expect(variances[k]!).toBeLessThanOrEqual(variances[k - 1]! + 1e-9);
    for (let a = 0; a < 4; a += 1) {
      for (let b = a + 1; b < 4; b += 1)
        expect(Math.abs(covariance(columns[a]!, columns[b]!))).toBeLessThan(1e-3);
    }
    expect(explainedVariance.reduce((sum, share) => sum + share, 0)).toBeLessThan(1);
  });

  it('gives the same embeddings for the same snapshot, features and seed', () => {
    const snapshot = randomSnapshot(200, 800, 9);
    const rng = createRng('same');
    const features = Float32Array.from({ length: 200 * 3 }, () => rng.normal());
    const first = computePropagatedEmbeddings(snapshot, features);
    const second = computePropagatedEmbeddings(snapshot, features);
    expect(second.embeddings).toEqual(first.embeddings);
  });

  it('applies a projection fitted on one snapshot unchanged to another, and refuses one for other features', () => {
    const rng = createRng('projection');
    const fitted = randomSnapshot(200, 800, 11);
    const later = randomSnapshot(250, 1_000, 12);
    const features = (n: number, width: number) =>
      Float32Array.from({ length: n * width }, () => rng.normal());
    const { projection } = computePropagatedEmbeddings(fitted, features(200, 3));
    const laterFeatures = features(250, 3);
    const applied = computePropagatedEmbeddings(later, laterFeatures, { projection, dims: 7, hops: 5 });
    expect(applied.projection).toBe(projection);
    expect(applied.dims).toBe(4);
    const refitted = computePropagatedEmbeddings(later, laterFeatures);
    expect(applied.embeddings).not.toEqual(refitted.embeddings);
    expect(() => computePropagatedEmbeddings(later, features(250, 2), { projection })).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_PROJECTION_MISMATCH' }),
    );
  });
});
