import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { SparseGraph } from '../sparse/buildSparseGraph.js';
import { edgeSoftmax } from '../sparse/edgeSoftmax.js';
import { gatherByEdge } from '../sparse/gatherByEdge.js';
import { spmm } from '../sparse/spmm.js';
import { addSelfLoops } from './addSelfLoops.js';
import { applyDropout } from './applyDropout.js';
import { checkBlockInput } from './checkBlockInput.js';
import { checkChannels } from './checkChannels.js';
import { createWeight } from './createWeight.js';
import type { GraphBlock } from './GraphBlock.js';
import type { GraphConv } from './GraphConv.js';

/** Options for {@link GatConv}. */
export interface GatConvOptions {
  /** Attention heads (default 1). */
  heads?: number;
  /** Concatenates the heads into heads × outChannels columns (default true), else averages them. */
  concat?: boolean;
  /** Slope of the LeakyReLU on attention scores (default 0.2). */
  negativeSlope?: number;
  /** Dropout on the attention coefficients while training (default 0). */
  dropout?: number;
  /** Adds a learned bias (default true). */
  bias?: boolean;
  /** Draws the initial weights, then the attention dropout masks (default: a fixed seed). */
  rng?: Rng;
}

/**
 * Graph attention (Veličković et al.), PyG's GATConv with self loops: per head, h = x·W; each edge j→i scores
 * LeakyReLU(a_src·h_j + a_dst·h_i), a softmax over i's in-edges weighs the h_j summed into i; heads are
 * concatenated or averaged, then the bias is added.
 */
export class GatConv implements GraphConv {
  readonly weights: Readonly<Record<string, tf.Variable>>;
  readonly heads: number;
  readonly concat: boolean;
  private readonly negativeSlope: number;
  private readonly dropout: number;
  private readonly rng: Rng;
  private readonly withLoops = new WeakMap<SparseGraph, SparseGraph>();

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: GatConvOptions = {},
  ) {
    this.heads = options.heads ?? 1;
    checkChannels('GatConv', { inChannels, outChannels, heads: this.heads });
    this.concat = options.concat ?? true;
    this.negativeSlope = options.negativeSlope ?? 0.2;
    this.dropout = options.dropout ?? 0;
    this.rng = options.rng ?? createRng('GatConv');
    const width = this.heads * outChannels;
    const weights: Record<string, tf.Variable> = {
      weight: createWeight([inChannels, width], 'glorot', this.rng),
      attentionSource: createWeight([1, this.heads, outChannels], 'glorot', this.rng),
      attentionDestination: createWeight([1, this.heads, outChannels], 'glorot', this.rng),
    };
    if (options.bias ?? true)
      weights.bias = createWeight([this.concat ? width : outChannels], 'zeros', this.rng);
    this.weights = weights;
  }

  /** Attends over each destination's in-neighbours (and itself). */
  apply(block: GraphBlock, x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    checkBlockInput(this, block, x);
    const graph = this.loops(block.graph);
    const { heads, outChannels } = this;
    const { weight, attentionSource, attentionDestination, bias } = this.weights;
    const numSources = graph.numSources;
    const numDestinations = graph.numDestinations;
    const h = tf.matMul<tf.Tensor2D>(x, weight!);
    const perHead = h.reshape([numSources, heads, outChannels]);
    const own = numDestinations === numSources ? perHead : perHead.slice(0, numDestinations);
    const sourceScores = perHead.mul(attentionSource!).sum(2) as tf.Tensor2D;
    const destinationScores = own.mul(attentionDestination!).sum(2) as tf.Tensor2D;
    const scores = tf.leakyRelu(
      gatherByEdge(graph, sourceScores, 'source').add(gatherByEdge(graph, destinationScores, 'destination')),
      this.negativeSlope,
    ) as tf.Tensor2D;
    const attention = applyDropout(edgeSoftmax(graph, scores), this.dropout, this.rng, training);
    const summed = spmm(graph, h, attention);
    const out = this.concat
      ? summed
      : (summed.reshape([numDestinations, heads, outChannels]).mean(1) as tf.Tensor2D);
    return bias === undefined ? out : out.add<tf.Tensor2D>(bias);
  }

  /** `GatConv(in, out, heads=H)`, with `concat=false` when the heads are averaged. */
  toString(): string {
    const concat = this.concat ? '' : ', concat=false';
    return `GatConv(${this.inChannels}, ${this.outChannels}, heads=${this.heads}${concat})`;
  }

  /** The graph with a self loop per destination, built once per graph. */
  private loops(graph: SparseGraph): SparseGraph {
    let loops = this.withLoops.get(graph);
    if (loops === undefined) {
      loops = addSelfLoops(graph);
      this.withLoops.set(graph, loops);
    }
    return loops;
  }
}
