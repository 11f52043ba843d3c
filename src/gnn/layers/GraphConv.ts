import type * as tf from '@tensorflow/tfjs';
import type { GraphBlock } from './GraphBlock.js';

/** A message-passing layer in PyG's shape: `new XConv(inChannels, outChannels, options)`, then `apply`. */
export interface GraphConv {
  readonly inChannels: number;
  readonly outChannels: number;
  /** The trainable weights by name, in a fixed order (a registry saves and restores them under these names). */
  readonly weights: Readonly<Record<string, tf.Variable>>;
  /** Whether the layer reads its block's `sourceOutDegrees` (a source's messages then change with its degree). */
  readonly readsSourceDegrees?: boolean;
  /** Runs the layer: `x` has one row per source of `block`, the result one row per destination. */
  apply(block: GraphBlock, x: tf.Tensor2D, training: boolean): tf.Tensor2D;
  /** Frees what the layer keeps between calls besides its weights (a cached aggregation), when it keeps anything. */
  dispose?(): void;
  /** The layer as PyG prints it, e.g. `SageConv(8, 32)`. */
  toString(): string;
}
