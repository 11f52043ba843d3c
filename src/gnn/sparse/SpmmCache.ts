import * as tf from '@tensorflow/tfjs';
import type { SparseGraph } from './buildSparseGraph.js';
import { type NodeScales, spmm } from './spmm.js';
import { transposeGraph } from './transposeGraph.js';

/** The product a {@link SpmmCache} keeps: `graph`'s spmm of `input` with `scales`. */
interface Kept {
  graph: SparseGraph;
  scales: NodeScales;
  input: tf.Tensor2D;
  product: tf.Tensor2D;
}

/**
 * {@link spmm} with constant node scales that keeps the product of a constant training input: one no gradient is
 * being recorded into (neither a trainable variable nor an output of an op on the active gradient tape), as the
 * node features are in whole-graph training, where every epoch passes the same tensor again. A later call with the
 * same graph, scales and tensor data (tfjs never changes a tensor's data in place) reuses the product, which has
 * spmm's exact gradient with respect to x (tfjs skips it when x needs none); other calls get undefined, for the
 * caller to multiply. Keeps one product at a time, until a training call keeps another, its input is disposed, or
 * {@link dispose}.
 */
export class SpmmCache {
  private kept: Kept | undefined;

  /** spmm(graph, x, scales) from the kept product, kept now if x is a constant training input; else undefined. */
  apply(graph: SparseGraph, x: tf.Tensor2D, scales: NodeScales, training: boolean): tf.Tensor2D | undefined {
    const kept = this.kept;
    if (kept?.graph === graph && kept.scales === scales && kept.input.dataId === x.dataId) {
      return reuse(kept, x);
    }
    if (kept?.input.isDisposed === true) this.dispose();
    if (!training || mayReceiveGradient(x)) return undefined;
    this.dispose();
    this.kept = { graph, scales, input: x, product: tf.keep(spmm(graph, x, scales)) };
    return reuse(this.kept, x);
  }

  /** Frees the kept product. */
  dispose(): void {
    this.kept?.product.dispose();
    this.kept = undefined;
  }
}

/** Whether a gradient being recorded may flow into `x`: a trainable variable, or an op's output on the active tape. */
function mayReceiveGradient(x: tf.Tensor): boolean {
  if (x instanceof tf.Variable) return x.trainable;
  const tape = tf.engine().state.activeTape as { outputs: tf.Tensor[] }[] | null | undefined;
  return tape?.some((node) => node.outputs.some((output) => output.dataId === x.dataId)) ?? false;
}

/** The kept product as a new tensor sharing its data, with spmm's gradient with respect to `x` (the transposed product). */
function reuse({ graph, scales, product }: Kept, x: tf.Tensor2D): tf.Tensor2D {
  const [transposed, transposedScales] = transposeGraph(graph, scales);
  return tf.customGrad((_input, _save) => ({
    value: product.clone(),
    gradFunc: (dy: tf.Tensor2D) => spmm(transposed, dy, transposedScales),
  }))(x) as tf.Tensor2D;
}
