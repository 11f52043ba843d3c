import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';
import { type NodeScales, spmm } from '../sparse/spmm.js';
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

/** A block with self loops and the constant normalization of its edges, as factors per node. */
interface Normalized {
  sourceOutDegrees: Uint32Array | undefined;
  graph: SparseGraph;
  scales: NodeScales;
}

/**
 * Graph convolution (Kipf & Welling), PyG's GCNConv: out = D^-1/2 (A + I) D^-1/2 · x · W + b, the degrees those
 * of A + I (a source's out-degree, a destination's in-degree: the symmetric normalization on undirected graphs).
 * The normalization is computed once per graph; x is transformed before aggregating when that is narrower.
 */
export class GcnConv implements GraphConv {
  readonly weights: Readonly<Record<string, tf.Variable>>;
  readonly readsSourceDegrees = true;
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
    const { graph, scales } = this.normalize(block);
    const { weight, bias } = this.weights;
    const out =
      this.outChannels < this.inChannels
        ? spmm(graph, tf.matMul<tf.Tensor2D>(x, weight!), scales)
        : tf.matMul<tf.Tensor2D>(spmm(graph, x, scales), weight!);
    return bias === undefined ? out : out.add<tf.Tensor2D>(bias);
  }

  /** `GcnConv(in, out)`. */
  toString(): string {
    return `GcnConv(${this.inChannels}, ${this.outChannels})`;
  }

  /** The block with self loops and its normalization, from the cache while the block's graph is the same. */
  private normalize(block: GraphBlock): Normalized {
    const cached = this.normalized.get(block.graph);
    if (cached !== undefined && cached.sourceOutDegrees === block.sourceOutDegrees) return cached;
    const graph = addSelfLoops(block.graph);
    const normalized = {
      sourceOutDegrees: block.sourceOutDegrees,
      graph,
      scales: computeNodeNorms(graph, block.sourceOutDegrees),
    };
    this.normalized.set(block.graph, normalized);
    return normalized;
  }
}

/**
 * 1 / √deg per node of a graph with self loops, so that edge s→d weighs 1 / √(deg(s) · deg(d)): deg(d) a
 * destination's in-degree, deg(s) a source's out-degree (the whole graph's plus its self loop when
 * `sourceOutDegrees` is given).
 */
function computeNodeNorms(graph: SparseGraph, sourceOutDegrees: Uint32Array | undefined): NodeScales {
  return {
    destinations: inverseRoots(graph.byDestination.offsets),
    sources:
      sourceOutDegrees === undefined
        ? inverseRoots(graph.bySource.offsets)
        : Float32Array.from(sourceOutDegrees, (degree) => 1 / Math.sqrt(degree + 1)),
  };
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
