import { NonRetryableError } from '../internal/errors.js';
import type { GraphSnapshot } from '../types/graph.js';
import { createRng } from '../utils/createRng.js';
import { buildSimpleUndirected } from './buildSimpleUndirected.js';

/** Options for {@link computePropagatedEmbeddings}. */
export interface PropagatedEmbeddingOptions {
  /** Rounds of neighbour averaging (default 2): [X, ÂX, Â²X]. */
  hops?: number;
  /** Embedding width (default 4): the leading principal components. */
  dims?: number;
  /** Seeds the power iteration's start vectors (default 1). */
  seed?: number;
  /** A projection fitted on another snapshot (its hops, standardisation and components), applied unchanged. */
  projection?: EmbeddingProjection;
}

/** What maps propagated features to embeddings: fitted once, reusable on later snapshots with the same features. */
export interface EmbeddingProjection {
  hops: number;
  /** Per propagated column ([X, ÂX, …] in order): the mean subtracted and the factor applied after. */
  means: number[];
  scales: number[];
  /** The principal directions, one per embedding dimension. */
  components: number[][];
  /** The share of the fitted snapshot's standardised variance each component kept. */
  explainedVariance: number[];
}

/** Node embeddings, row-major (nodes × dims), and the projection that made them. */
export interface PropagatedEmbeddings {
  dims: number;
  embeddings: Float32Array;
  projection: EmbeddingProjection;
}

/**
 * Untrained graph-neural embeddings (SGC, Wu et al. 2019, followed by PCA): each node's features, its neighbours'
 * mean features (Â = mean over distinct undirected neighbours), their neighbours' means, and so on for `hops`
 * rounds, concatenated, standardised per column and projected on their `dims` leading principal components (or
 * through a given projection fitted on an earlier snapshot). The same snapshot, features and seed give the same
 * embeddings (each component's sign: largest loading positive).
 */
export function computePropagatedEmbeddings(
  snapshot: GraphSnapshot,
  features: Float32Array,
  options: PropagatedEmbeddingOptions = {},
): PropagatedEmbeddings {
  const { projection: given, seed = 1 } = options;
  const hops = given?.hops ?? options.hops ?? 2;
  const n = snapshot.nodes.addresses.length;
  const width = n > 0 ? features.length / n : 0;
  if (given && given.means.length !== width * (hops + 1)) {
    throw new NonRetryableError('The embedding projection does not fit these features', {
      code: 'EMBEDDING_PROJECTION_MISMATCH',
      details: `It was fitted on ${given.means.length / (hops + 1)} features per node; this snapshot has ${width}. Use a snapshot with the features it was fitted on, or fit a new one.`,
    });
  }
  const neighbours = buildSimpleUndirected(snapshot);
  const blocks: Float64Array[] = [Float64Array.from(features)];
  for (let hop = 0; hop < hops; hop += 1) blocks.push(averageNeighbours(blocks[hop]!, neighbours, n, width));
  const columns = width * blocks.length;
  const z = new Float64Array(n * columns);
  blocks.forEach((block, b) => {
    for (let v = 0; v < n; v += 1) {
      for (let c = 0; c < width; c += 1) z[v * columns + b * width + c] = block[v * width + c]!;
    }
  });
  const projection = given ?? fitProjection(z, n, columns, hops, options.dims ?? 4, seed);
  const dims = projection.components.length;
  applyStandardisation(z, n, columns, projection);
  const embeddings = new Float32Array(n * dims);
  for (let v = 0; v < n; v += 1) {
    projection.components.forEach((vector, k) => {
      let dot = 0;
      for (let i = 0; i < columns; i += 1) dot += z[v * columns + i]! * vector[i]!;
      embeddings[v * dims + k] = dot;
    });
  }
  return { dims, embeddings, projection };
}

/** Fits the standardisation of every propagated column and the principal directions of the result. */
function fitProjection(
  z: Float64Array,
  n: number,
  columns: number,
  hops: number,
  dims: number,
  seed: number,
): EmbeddingProjection {
  const means = new Array<number>(columns).fill(0);
  const scales = new Array<number>(columns).fill(0);
  for (let c = 0; c < columns; c += 1) {
    for (let v = 0; v < n; v += 1) means[c]! += z[v * columns + c]! / n;
    let variance = 0;
    for (let v = 0; v < n; v += 1) variance += (z[v * columns + c]! - means[c]!) ** 2 / n;
    scales[c] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
  }
  const standardised = Float64Array.from(z);
  applyStandardisation(standardised, n, columns, { means, scales });
  const covariance = new Float64Array(columns * columns);
  for (let v = 0; v < n; v += 1) {
    const row = v * columns;
    for (let i = 0; i < columns; i += 1) {
      const zi = standardised[row + i]!;
      if (zi === 0) continue;
      for (let j = 0; j < columns; j += 1) covariance[i * columns + j]! += (zi * standardised[row + j]!) / n;
    }
  }
  let total = 0;
  for (let i = 0; i < columns; i += 1) total += covariance[i * columns + i]!;
  const pairs = leadingEigenvectors(covariance, columns, Math.min(dims, columns), seed);
  return {
    hops,
    means,
    scales,
    components: pairs.map(({ vector }) => Array.from(vector)),
    explainedVariance: pairs.map(({ value }) => (total > 0 ? value / total : 0)),
  };
}

/** Per node, the mean of its distinct undirected neighbours' rows (zeros without neighbours). */
function averageNeighbours(
  values: Float64Array,
  neighbours: { offsets: Uint32Array; targets: Uint32Array },
  n: number,
  width: number,
): Float64Array {
  const out = new Float64Array(n * width);
  for (let v = 0; v < n; v += 1) {
    const from = neighbours.offsets[v]!;
    const to = neighbours.offsets[v + 1]!;
    if (to === from) continue;
    for (let i = from; i < to; i += 1) {
      const u = neighbours.targets[i]!;
      for (let c = 0; c < width; c += 1) out[v * width + c]! += values[u * width + c]!;
    }
    for (let c = 0; c < width; c += 1) out[v * width + c]! /= to - from;
  }
  return out;
}

/** Subtracts each column's mean and multiplies by its scale, in place. */
function applyStandardisation(
  z: Float64Array,
  n: number,
  columns: number,
  { means, scales }: Pick<EmbeddingProjection, 'means' | 'scales'>,
): void {
  for (let v = 0; v < n; v += 1) {
    for (let c = 0; c < columns; c += 1) z[v * columns + c] = (z[v * columns + c]! - means[c]!) * scales[c]!;
  }
}

/** The `count` leading eigenpairs of a symmetric matrix, by power iteration with deflation. */
function leadingEigenvectors(
  matrix: Float64Array,
  size: number,
  count: number,
  seed: number,
): { value: number; vector: Float64Array }[] {
  const rng = createRng(`computePropagatedEmbeddings/${seed}`);
  const deflated = Float64Array.from(matrix);
  const pairs: { value: number; vector: Float64Array }[] = [];
  for (let k = 0; k < count; k += 1) {
    let vector = Float64Array.from({ length: size }, () => rng.next() - 0.5);
    let value = 0;
    for (let iteration = 0; iteration < 500; iteration += 1) {
      const next = new Float64Array(size);
      for (let i = 0; i < size; i += 1) {
        let sum = 0;
        for (let j = 0; j < size; j += 1) sum += deflated[i * size + j]! * vector[j]!;
        next[i] = sum;
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      for (let i = 0; i < size; i += 1) next[i]! /= norm;
      const change = next.reduce((worst, x, i) => Math.max(worst, Math.abs(x - vector[i]!)), 0);
      vector = next;
      value = norm;
      if (change < 1e-10) break;
    }
    const largest = vector.reduce((best, x, i) => (Math.abs(x) > Math.abs(vector[best]!) ? i : best), 0);
    if (vector[largest]! < 0) for (let i = 0; i < size; i += 1) vector[i] = -vector[i]!;
    for (let i = 0; i < size; i += 1) {
      for (let j = 0; j < size; j += 1) deflated[i * size + j]! -= value * vector[i]! * vector[j]!;
    }
    pairs.push({ value, vector });
  }
  return pairs;
}
