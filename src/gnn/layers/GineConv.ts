import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { createRng, type Rng } from '../../utils/createRng.js';
import { assertTensor } from '../sparse/assertTensor.js';
import { gatherByEdge } from '../sparse/gatherByEdge.js';
import { segmentReduce } from '../sparse/segmentReduce.js';
import { checkBlockInput } from './checkBlockInput.js';
import { checkChannels } from './checkChannels.js';
import { createWeight } from './createWeight.js';
import type { GraphBlock } from './GraphBlock.js';
import type { GraphConv } from './GraphConv.js';
import { Linear } from './Linear.js';

/** Options for {@link GineConv}. */
export interface GineConvOptions {
  /** Width of the edge features every block must carry. */
  edgeChannels: number;
  /** Weight of the destination's own row: (1 + eps) · h_i (default 0). */
  eps?: number;
  /** Draws the initial weights (default: a fixed seed). */
  rng?: Rng;
}

/**
 * An edge-feature-aware GIN (PyG's GINEConv on x·W): with h = x·W, each edge j→i sends
 * ReLU(h_j + e_ji·W_edge + b), destination i sums them with (1 + eps)·h_i, then a two-layer MLP (Linear, ReLU,
 * Linear) maps the sum. Edge features carry the edge's type and weights (count, value) into the messages.
 */
export class GineConv implements GraphConv {
  readonly weights: Readonly<Record<string, tf.Variable>>;
  readonly edgeChannels: number;
  private readonly eps: number;
  private readonly mlp: readonly [Linear, Linear];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: GineConvOptions,
  ) {
    this.edgeChannels = options.edgeChannels;
    checkChannels('GineConv', { inChannels, outChannels, edgeChannels: this.edgeChannels });
    this.eps = options.eps ?? 0;
    const rng = options.rng ?? createRng('GineConv');
    this.mlp = [new Linear(outChannels, outChannels, { rng }), new Linear(outChannels, outChannels, { rng })];
    this.weights = {
      weight: createWeight([inChannels, outChannels], 'glorot', rng),
      edgeWeight: createWeight([this.edgeChannels, outChannels], 'glorot', rng),
      messageBias: createWeight([outChannels], 'zeros', rng),
      ...Object.fromEntries(
        this.mlp.flatMap((linear, i) =>
          Object.entries(linear.weights).map(([name, variable]) => [`mlp.${i}.${name}`, variable]),
        ),
      ),
    };
  }

  /** Sums the edge-aware messages into each destination, then applies the MLP. */
  apply(block: GraphBlock, x: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    checkBlockInput(this, block, x);
    const { graph, edgeFeatures } = block;
    if (edgeFeatures === undefined) {
      throw new NonRetryableError(`${this}: the block has no edge features`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: `Expected block.edgeFeatures [numEdges, ${this.edgeChannels}].`,
      });
    }
    assertTensor(
      String(this),
      'edgeFeatures',
      edgeFeatures,
      [graph.numEdges, this.edgeChannels],
      `one row of ${this.edgeChannels} edge channels per edge of the block (${graph.numEdges})`,
    );
    const { weight, edgeWeight, messageBias } = this.weights;
    const h = tf.matMul<tf.Tensor2D>(x, weight!);
    const messages = tf.relu(
      gatherByEdge(graph, h).add(tf.matMul<tf.Tensor2D>(edgeFeatures, edgeWeight!)).add(messageBias!),
    ) as tf.Tensor2D;
    const own = graph.numDestinations === graph.numSources ? h : h.slice(0, graph.numDestinations);
    const summed = segmentReduce(graph, messages, 'sum').add(own.mul(1 + this.eps)) as tf.Tensor2D;
    const [first, second] = this.mlp;
    return second.apply(tf.relu(first.apply(summed)));
  }

  /** `GineConv(in, out, edgeChannels=D)`. */
  toString(): string {
    return `GineConv(${this.inChannels}, ${this.outChannels}, edgeChannels=${this.edgeChannels})`;
  }
}
