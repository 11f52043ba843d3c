import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { createRng, type Rng } from '../../utils/createRng.js';
import { applyDropout } from '../layers/applyDropout.js';
import { GatConv } from '../layers/GatConv.js';
import { GcnConv } from '../layers/GcnConv.js';
import { GineConv } from '../layers/GineConv.js';
import type { GraphBlock } from '../layers/GraphBlock.js';
import type { GraphConv } from '../layers/GraphConv.js';
import { Linear } from '../layers/Linear.js';
import { SageConv } from '../layers/SageConv.js';
import { assignNamedWeights } from './assignNamedWeights.js';
import {
  type NodeArchitecture,
  type NodeModelConfig,
  type NodeModelConfigInput,
  parseNodeModelConfig,
} from './nodeModelConfig.js';

/**
 * A node classifier or regressor: `numLayers` message-passing layers (each followed by ReLU and dropout), then an
 * MLP head; with architecture `mlp`, dense layers on the node features alone take the convs' place (the
 * baseline). The same code runs the whole graph (one block reused by every layer) or sampled mini-batches (one
 * block per layer). `config` and `getWeights()` are all a registry needs to rebuild it.
 */
export class NodeModel {
  readonly config: NodeModelConfig;
  readonly convs: readonly GraphConv[];
  readonly head: readonly Linear[];
  private readonly dropoutRng: Rng;

  /** Builds the layers from the configuration, initial weights drawn from its seed. */
  constructor(config: NodeModelConfigInput) {
    this.config = parseNodeModelConfig(config);
    const { architecture, inChannels, hiddenChannels, outChannels, numLayers, headLayers } = this.config;
    const rng = createRng(`NodeModel/${this.config.seed}`);
    this.convs =
      architecture === 'mlp'
        ? []
        : Array.from({ length: numLayers }, (_, l) =>
            createConv(
              this.config,
              architecture,
              l === 0 ? inChannels : hiddenChannels,
              rng.fork(`convs.${l}`),
            ),
          );
    const hiddenDense = (architecture === 'mlp' ? numLayers : 0) + headLayers - 1;
    const widths = [
      architecture === 'mlp' ? inChannels : hiddenChannels,
      ...Array<number>(hiddenDense).fill(hiddenChannels),
      outChannels,
    ];
    this.head = widths
      .slice(1)
      .map((width, i) => new Linear(widths[i]!, width, { rng: rng.fork(`head.${i}`) }));
    this.dropoutRng = rng.fork('dropout');
  }

  /** Whether the blocks it runs on must carry edge features (a gine model). */
  get readsEdgeFeatures(): boolean {
    return this.config.architecture === 'gine';
  }

  /**
   * The raw output (class logits or regression values) for the last block's destinations: `blocks` holds one
   * block per message-passing layer (none for mlp, then one output row per row of `x`), `x` the features of the
   * first block's sources.
   */
  apply(blocks: readonly GraphBlock[], x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (blocks.length !== this.convs.length) {
      throw new NonRetryableError(
        `NodeModel (${this.config.architecture}) got ${blocks.length} blocks, expected ${this.convs.length}`,
        {
          code: 'GNN_SHAPE_MISMATCH',
          details:
            'Expected one block per message-passing layer: the whole graph once per layer, or a sampled block each.',
        },
      );
    }
    const hidden = blocks.reduce((h, block, l) => this.applyConv(l, block, h, training), x);
    return this.applyHead(hidden, training);
  }

  /** Message-passing layer `layer` on its block, then ReLU and dropout (layer-wise inference runs these one by one). */
  applyConv(layer: number, block: GraphBlock, x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    const conv = this.convs[layer];
    if (conv === undefined) {
      throw new NonRetryableError(`NodeModel has no message-passing layer ${layer}`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: `Expected a layer index below ${this.convs.length}.`,
      });
    }
    return applyDropout(conv.apply(block, x, training), this.config.dropout, this.dropoutRng, training, {
      relu: true,
    });
  }

  /** The MLP head on hidden rows: ReLU and dropout between its dense layers, raw output at the end. */
  applyHead(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    const last = this.head.length - 1;
    return this.head.reduce(
      (h, linear, i) =>
        i === last
          ? linear.apply(h)
          : applyDropout(linear.apply(h), this.config.dropout, this.dropoutRng, training, { relu: true }),
      x,
    );
  }

  /** Raw output → predictions: class probabilities (softmax) for classification, the values for regression. */
  toPredictions(output: tf.Tensor2D): tf.Tensor2D {
    return this.config.task === 'classification' ? tf.softmax(output) : output;
  }

  /** Every trainable weight by name (`convs.0.weight`, `head.1.bias`, ...), in a fixed order; do not dispose them. */
  getWeights(): Record<string, tf.Variable> {
    const named = (prefix: string, layers: readonly { weights: Readonly<Record<string, tf.Variable>> }[]) =>
      layers.flatMap((layer, i) =>
        Object.entries(layer.weights).map(
          ([name, variable]) => [`${prefix}.${i}.${name}`, variable] as const,
        ),
      );
    return Object.fromEntries([...named('convs', this.convs), ...named('head', this.head)]);
  }

  /** Sets every weight from `weights` (as {@link getWeights} names them); refuses missing, extra or misshapen ones. */
  setWeights(weights: tf.NamedTensorMap): void {
    assignNamedWeights(this.getWeights(), weights, `${this.config.architecture} model`);
  }

  /** The trainable variables, in {@link getWeights} order. */
  get variables(): tf.Variable[] {
    return Object.values(this.getWeights());
  }

  /** The architecture, one line per layer, as PyG prints a module. */
  toString(): string {
    const lines = [
      ...this.convs.map((conv, i) => `  (convs.${i}): ${conv}`),
      ...this.head.map((linear, i) => `  (head.${i}): ${linear}`),
    ];
    return `NodeModel(${this.config.architecture}, ${this.config.task},\n${lines.join('\n')}\n)`;
  }

  /** Frees the weights and whatever the layers keep between calls. */
  dispose(): void {
    for (const variable of this.variables) variable.dispose();
    for (const conv of this.convs) conv.dispose?.();
  }
}

/** A message-passing layer of `architecture` from `inChannels` to the model's hiddenChannels. */
function createConv(
  config: NodeModelConfig,
  architecture: Exclude<NodeArchitecture, 'mlp'>,
  inChannels: number,
  rng: Rng,
): GraphConv {
  const { hiddenChannels } = config;
  switch (architecture) {
    case 'gcn':
      return new GcnConv(inChannels, hiddenChannels, { rng });
    case 'sage':
      return new SageConv(inChannels, hiddenChannels, { aggregation: config.aggregation, rng });
    case 'gat':
      return new GatConv(inChannels, hiddenChannels / config.heads, {
        heads: config.heads,
        dropout: config.attentionDropout,
        rng,
      });
    case 'gine':
      return new GineConv(inChannels, hiddenChannels, { edgeChannels: config.edgeChannels, rng });
  }
}
