import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';
import { gatherByEdge } from '../sparse/gatherByEdge.js';
import { SpmmCache } from '../sparse/SpmmCache.js';
import { segmentReduce } from '../sparse/segmentReduce.js';
import { type NodeScales, spmm } from '../sparse/spmm.js';
import { checkBlockInput } from './checkBlockInput.js';
import { checkChannels } from './checkChannels.js';
import { createWeight } from './createWeight.js';
import type { GraphBlock } from './GraphBlock.js';
import type { GraphConv } from './GraphConv.js';

/** How {@link SageConv} combines a destination's neighbours. */
export type SageAggregation = 'mean' | 'max';

/** Options for {@link SageConv}. */
export interface SageConvOptions {
  /** Mean (default) or column-wise max of the neighbours' rows. */
  aggregation?: SageAggregation;
  /** Adds the destination's own row through its own weight (default true). */
  rootWeight?: boolean;
  /** Adds a learned bias (default true). */
  bias?: boolean;
  /** Draws the initial weights (default: a fixed seed). */
  rng?: Rng;
}

/**
 * GraphSAGE, PyG's SAGEConv: out = agg(x of in-neighbours) · W + x_dst · W_root + b. With the mean, x is
 * transformed before aggregating when outChannels < inChannels (the same result, a narrower SpMM), and otherwise
 * the mean of a constant training input (the node features of whole-graph training) is kept for the next epoch
 * (see SpmmCache; {@link dispose} frees it); the max runs on the input rows per edge.
 */
export class SageConv implements GraphConv {
  readonly weights: Readonly<Record<string, tf.Variable>>;
  readonly aggregation: SageAggregation;
  private readonly inverseDegrees = new WeakMap<SparseGraph, NodeScales>();
  private readonly neighbourMeans = new SpmmCache();

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: SageConvOptions = {},
  ) {
    checkChannels('SageConv', { inChannels, outChannels });
    this.aggregation = options.aggregation ?? 'mean';
    const rng = options.rng ?? createRng('SageConv');
    const weights: Record<string, tf.Variable> = {
      weight: createWeight([inChannels, outChannels], 'glorot', rng),
    };
    if (options.rootWeight ?? true)
      weights.rootWeight = createWeight([inChannels, outChannels], 'glorot', rng);
    if (options.bias ?? true) weights.bias = createWeight([outChannels], 'zeros', rng);
    this.weights = weights;
  }

  /** Aggregates the block's sources into its destinations. */
  apply(block: GraphBlock, x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    checkBlockInput(this, block, x);
    const { graph } = block;
    const { weight, rootWeight, bias } = this.weights;
    let out: tf.Tensor2D;
    if (this.aggregation === 'max') {
      out = tf.matMul<tf.Tensor2D>(segmentReduce(graph, gatherByEdge(graph, x), 'max'), weight!);
    } else if (this.outChannels < this.inChannels) {
      out = spmm(graph, tf.matMul<tf.Tensor2D>(x, weight!), this.meanScales(graph));
    } else {
      const mean = this.meanScales(graph);
      const aggregated = this.neighbourMeans.apply(graph, x, mean, training) ?? spmm(graph, x, mean);
      out = tf.matMul<tf.Tensor2D>(aggregated, weight!);
    }
    if (rootWeight !== undefined) {
      const own = graph.numDestinations === graph.numSources ? x : x.slice(0, graph.numDestinations);
      out = out.add(tf.matMul<tf.Tensor2D>(own, rootWeight));
    }
    return bias === undefined ? out : out.add<tf.Tensor2D>(bias);
  }

  /** Frees the kept neighbour mean, if any (the weights stay). */
  dispose(): void {
    this.neighbourMeans.dispose();
  }

  /** `SageConv(in, out)`, with the aggregation when it is not the mean. */
  toString(): string {
    const aggregation = this.aggregation === 'mean' ? '' : `, aggr=${this.aggregation}`;
    return `SageConv(${this.inChannels}, ${this.outChannels}${aggregation})`;
  }

  /** 1 / in-degree of each destination (0 without in-edges), once per graph: the mean as a scaled sum. */
  private meanScales(graph: SparseGraph): NodeScales {
    const cached = this.inverseDegrees.get(graph);
    if (cached !== undefined) return cached;
    const { offsets } = graph.byDestination;
    const destinations = Float32Array.from({ length: graph.numDestinations }, (_, d) => {
      const degree = offsets[d + 1]! - offsets[d]!;
      return degree === 0 ? 0 : 1 / degree;
    });
    this.inverseDegrees.set(graph, { destinations });
    return { destinations };
  }
}
