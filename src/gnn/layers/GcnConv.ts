import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';
import { spmm } from '../sparse/spmm.js';
import { addSelfLoops } from './addSelfLoops.js';
import { checkBlockInput } from './checkBlockInput.js';
import { checkChannels } from './checkChannels.js';
import { createWeight } from './createWeight.js';
import type { GraphBlock } from './GraphBlock.js';
import type { GraphConv } from './GraphConv.js';

/** Options for {@link GcnConv}. */
export interface GcnConvOptions {
  /** Adds a learned bias (default true). */
  bias?: boolean;
  /** Draws the initial weights (default: a fixed seed). */
  rng?: Rng;
}

/** A block with self loops and the constant normalized weight of each of its edges (in its in-CSR order). */
interface Normalized {
  sourceOutDegrees: Uint32Array | undefined;
  graph: SparseGraph;
  weights: Float32Array;
}

/**
 * Graph convolution (Kipf & Welling), PyG's GCNConv: out = D^-1/2 (A + I) D^-1/2 · x · W + b, the degrees those
 * of A + I (a source's out-degree, a destination's in-degree: the symmetric normalization on undirected graphs).
 * The normalized weights are computed once per graph; x is transformed before aggregating when that is narrower.
 */
export class GcnConv implements GraphConv {
  readonly weights: Readonly<Record<string, tf.Variable>>;
  private readonly normalized = new WeakMap<SparseGraph, Normalized>();

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: GcnConvOptions = {},
  ) {
    checkChannels('GcnConv', { inChannels, outChannels });
    const rng = options.rng ?? createRng('GcnConv');
    const weight = createWeight([inChannels, outChannels], 'glorot', rng);
    this.weights =
      (options.bias ?? true) ? { weight, bias: createWeight([outChannels], 'zeros', rng) } : { weight };
  }

  /** Aggregates the block's sources into its destinations. */
  apply(block: GraphBlock, x: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    checkBlockInput(this, block, x);
    const { graph, weights } = this.normalize(block);
    const { weight, bias } = this.weights;
    const out =
      this.outChannels < this.inChannels
        ? spmm(graph, tf.matMul<tf.Tensor2D>(x, weight!), weights)
        : tf.matMul<tf.Tensor2D>(spmm(graph, x, weights), weight!);
    return bias === undefined ? out : out.add<tf.Tensor2D>(bias);
  }

  /** `GcnConv(in, out)`. */
  toString(): string {
    return `GcnConv(${this.inChannels}, ${this.outChannels})`;
  }

  /** The block with self loops and its edge weights, from the cache while the block's graph is the same. */
  private normalize(block: GraphBlock): Normalized {
    const cached = this.normalized.get(block.graph);
    if (cached !== undefined && cached.sourceOutDegrees === block.sourceOutDegrees) return cached;
    const graph = addSelfLoops(block.graph);
    const normalized = {
      sourceOutDegrees: block.sourceOutDegrees,
      graph,
      weights: computeEdgeNorms(graph, block.sourceOutDegrees),
    };
    this.normalized.set(block.graph, normalized);
    return normalized;
  }
}

/**
 * 1 / √(deg(src) · deg(dst)) per edge of a graph with self loops: deg(dst) its in-degree, deg(src) its out-degree
 * (the whole graph's plus its self loop when `sourceOutDegrees` is given).
 */
function computeEdgeNorms(graph: SparseGraph, sourceOutDegrees: Uint32Array | undefined): Float32Array {
  const inScale = inverseRoots(graph.byDestination.offsets);
  const outScale =
    sourceOutDegrees === undefined
      ? inverseRoots(graph.bySource.offsets)
      : Float32Array.from(sourceOutDegrees, (degree) => 1 / Math.sqrt(degree + 1));
  const weights = new Float32Array(graph.numEdges);
  for (let e = 0; e < graph.numEdges; e += 1) weights[e] = outScale[graph.src[e]!]! * inScale[graph.dst[e]!]!;
  return weights;
}

/** 1 / √(row length) of each CSR row (0 for empty rows). */
function inverseRoots(offsets: Uint32Array): Float32Array {
  const scale = new Float32Array(offsets.length - 1);
  for (let r = 0; r < scale.length; r += 1) {
    const degree = offsets[r + 1]! - offsets[r]!;
    scale[r] = degree === 0 ? 0 : 1 / Math.sqrt(degree);
  }
  return scale;
}
