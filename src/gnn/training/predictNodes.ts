import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { createRng } from '../../utils/createRng.js';
import type { NodeModel } from '../models/NodeModel.js';
import { sampleBlocks } from '../sampling/sampleBlocks.js';
import { gatherRows } from '../sparse/gatherRows.js';
import { checkNodeInputs } from './checkNodeInputs.js';
import type { FeatureMatrix, NodeInputs } from './NodeDataset.js';
import { toGraphBlock } from './toGraphBlock.js';

/** Options for {@link predictNodes}. */
export interface PredictNodesOptions {
  /** Nodes per step (default 16384); a graph with no more nodes runs each layer on the whole graph at once. */
  batchSize?: number;
}

/**
 * Every node's prediction, [numNodes, outChannels] row-major: class probabilities for classification, values for
 * regression, with dropout off. A graph of at most `batchSize` nodes runs as one forward pass on the whole graph;
 * a larger one layer by layer, each over batches of nodes with their whole in-neighbourhood (exactly the
 * whole-graph result, with memory bounded by the batch).
 */
export function predictNodes(
  model: NodeModel,
  inputs: NodeInputs,
  options: PredictNodesOptions = {},
): FeatureMatrix {
  checkNodeInputs(model, inputs);
  const batchSize = options.batchSize ?? 16384;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new NonRetryableError(`predictNodes: batchSize is ${batchSize}`, {
      code: 'GNN_CONFIG_INVALID',
      details: 'Expected a positive integer (nodes per inference step).',
    });
  }
  const { graph } = inputs;
  const numNodes = graph.numDestinations;
  const edgeFeatures = model.readsEdgeFeatures ? inputs.edgeFeatures : undefined;
  if (batchSize >= numNodes) return predictWholeGraph(model, inputs, edgeFeatures);
  const outOffsets = graph.bySource.offsets;
  const outDegrees = Uint32Array.from({ length: numNodes }, (_, v) => outOffsets[v + 1]! - outOffsets[v]!);
  // Fanout -1 takes every in-edge and draws nothing from the generator.
  const rng = createRng('predictNodes');
  let rows = inputs.features;
  for (let layer = 0; layer < model.convs.length; layer += 1) {
    const x = rows;
    rows = runInBatches(numNodes, batchSize, model.config.hiddenChannels, (start, end) => {
      const { inputNodes, blocks, edgeIds } = sampleBlocks(
        graph.byDestination,
        range(start, end),
        [-1],
        rng,
        outDegrees,
      );
      const gathered = new Float32Array(inputNodes.length * x.channels);
      gatherRows(inputNodes, x.values, x.channels, gathered);
      const features = tf.tensor2d(gathered, [inputNodes.length, x.channels]);
      return model.applyConv(layer, toGraphBlock(blocks[0]!, edgeIds[0], edgeFeatures), features, false);
    });
  }
  const hidden = rows;
  return runInBatches(numNodes, batchSize, model.config.outChannels, (start, end) => {
    const x = hidden.values.subarray(start * hidden.channels, end * hidden.channels);
    return model.toPredictions(model.applyHead(tf.tensor2d(x, [end - start, hidden.channels]), false));
  });
}

/** Every node's prediction with each layer on the whole graph at once: one forward pass, its tensors kept in tfjs. */
function predictWholeGraph(
  model: NodeModel,
  inputs: NodeInputs,
  edgeFeatures: FeatureMatrix | undefined,
): FeatureMatrix {
  const { graph, features } = inputs;
  const numNodes = graph.numDestinations;
  return runInBatches(numNodes, numNodes, model.config.outChannels, () => {
    const block = toGraphBlock({ graph }, undefined, edgeFeatures);
    const x = tf.tensor2d(features.values, [numNodes, features.channels]);
    return model.toPredictions(
      model.apply(
        model.convs.map(() => block),
        x,
        false,
      ),
    );
  });
}

/**
 * Runs `step` on node ranges of at most `batchSize` (in a tidy) and stacks the rows it returns, read outside the
 * tidy (tfjs walks every element of an array a tidy returns, looking for tensors).
 */
function runInBatches(
  numNodes: number,
  batchSize: number,
  channels: number,
  step: (start: number, end: number) => tf.Tensor2D,
): FeatureMatrix {
  const values = new Float32Array(numNodes * channels);
  for (let start = 0; start < numNodes; start += batchSize) {
    const end = Math.min(numNodes, start + batchSize);
    const out = tf.tidy(() => step(start, end));
    values.set(out.dataSync(), start * channels);
    out.dispose();
  }
  return { values, channels };
}

/** The node ids start, start + 1, ..., end - 1. */
function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}
