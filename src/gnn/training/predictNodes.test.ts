import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxRelativeError } from '../../../test/setup/sparseTestSupport.js';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import { NodeModel } from '../models/NodeModel.js';
import { nodeArchitectures } from '../models/nodeModelConfig.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';
import type { NodeInputs } from './NodeDataset.js';
import { predictNodes } from './predictNodes.js';

const logger = createLogger({ level: 'silent' });

/** A random directed graph of 40 nodes (repeated edges and self loops included) with node and edge features. */
function buildInputs(): NodeInputs {
  const rng = createRng('predictNodes');
  const src = Uint32Array.from({ length: 150 }, () => rng.int(0, 39));
  const dst = Uint32Array.from({ length: 150 }, () => rng.int(0, 39));
  const random = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
  return {
    graph: buildSparseGraph({ src, dst, numNodes: 40 }),
    features: { values: random(40 * 5), channels: 5 },
    edgeFeatures: { values: random(150 * 2), channels: 2 },
  };
}

describe('predictNodes', () => {
  const inputs = buildInputs();
  let tensorsBefore = 0;
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked').toBe(tensorsBefore);
  });

  it.each(nodeArchitectures)(
    'gives the whole-graph result when run in batches of nodes (%s)',
    (architecture) => {
      const model = new NodeModel({
        architecture,
        task: 'classification',
        inChannels: 5,
        outChannels: 3,
        hiddenChannels: 8,
        heads: 2,
        edgeChannels: 2,
        aggregation: 'max',
      });
      const whole = predictNodes(model, inputs);
      const direct = tf.tidy(() => {
        const x = tf.tensor2d(inputs.features.values, [40, 5]);
        const edgeFeatures = tf.tensor2d(inputs.edgeFeatures!.values, [150, 2]);
        const blocks = model.convs.map(() => ({ graph: inputs.graph, edgeFeatures }));
        return model.toPredictions(model.apply(blocks, x, false)).dataSync();
      });
      const batched = predictNodes(model, inputs, { batchSize: 7 });
      expect(whole.channels).toBe(3);
      expect(maxRelativeError(Array.from(whole.values), Array.from(direct))).toBeLessThan(1e-6);
      expect(maxRelativeError(Array.from(batched.values), Array.from(whole.values))).toBeLessThan(1e-5);
      model.dispose();
    },
  );

  it('refuses inputs that do not fit the model, saying what it expected', () => {
    const model = new NodeModel({
      architecture: 'gine',
      task: 'regression',
      inChannels: 4,
      outChannels: 1,
      edgeChannels: 2,
    });
    expect(() => predictNodes(model, inputs)).toThrow(
      /node features are 200 values of 5 channels[\s\S]*\[numNodes, inChannels\] = \[40, 4\]/,
    );
    const features = { values: new Float32Array(160), channels: 4 };
    expect(() => predictNodes(model, { graph: inputs.graph, features })).toThrow(
      /A gine model needs edge features; got none[\s\S]*\[numEdges, edgeChannels\] = \[150, 2\]/,
    );
    expect(() => predictNodes(model, { ...inputs, features }, { batchSize: 0 })).toThrow(
      'predictNodes: batchSize is 0',
    );
    model.dispose();
  });
});
