import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestGraph, randomTensor } from '../../../test/setup/sparseTestSupport.js';
import { createLogger } from '../../internal/createLogger.js';
import { createTfBackend } from '../createTfBackend.js';
import type { GraphBlock } from '../layers/GraphBlock.js';
import { AdamW } from '../training/AdamW.js';
import { runTrainingStep } from '../training/runTrainingStep.js';
import { NodeModel } from './NodeModel.js';
import { nodeArchitectures } from './nodeModelConfig.js';

const logger = createLogger({ level: 'silent' });

describe('NodeModel', () => {
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

  it('stacks the configured convs and an MLP head; the mlp baseline has dense layers in their place', () => {
    const base = { task: 'classification', inChannels: 8, outChannels: 2, hiddenChannels: 16 } as const;
    const printed = nodeArchitectures.map((architecture) => {
      const model = new NodeModel({ ...base, architecture, edgeChannels: 3 });
      const text = String(model);
      model.dispose();
      return text;
    });
    expect(printed).toEqual([
      'NodeModel(gcn, classification,\n  (convs.0): GcnConv(8, 16)\n  (convs.1): GcnConv(16, 16)\n  (head.0): Linear(16, 16)\n  (head.1): Linear(16, 2)\n)',
      'NodeModel(sage, classification,\n  (convs.0): SageConv(8, 16)\n  (convs.1): SageConv(16, 16)\n  (head.0): Linear(16, 16)\n  (head.1): Linear(16, 2)\n)',
      'NodeModel(gat, classification,\n  (convs.0): GatConv(8, 4, heads=4)\n  (convs.1): GatConv(16, 4, heads=4)\n  (head.0): Linear(16, 16)\n  (head.1): Linear(16, 2)\n)',
      'NodeModel(gine, classification,\n  (convs.0): GineConv(8, 16, edgeChannels=3)\n  (convs.1): GineConv(16, 16, edgeChannels=3)\n  (head.0): Linear(16, 16)\n  (head.1): Linear(16, 2)\n)',
      'NodeModel(mlp, classification,\n  (head.0): Linear(8, 16)\n  (head.1): Linear(16, 16)\n  (head.2): Linear(16, 16)\n  (head.3): Linear(16, 2)\n)',
    ]);
  });

  it('rebuilds from its config and weights with identical outputs, also through the tfjs weight format', async () => {
    const graph = buildTestGraph(41);
    const config = {
      architecture: 'gat',
      task: 'classification',
      inChannels: 5,
      outChannels: 3,
      hiddenChannels: 8,
      heads: 2,
      seed: 7,
    } as const;
    const model = new NodeModel(config);
    const { data, specs } = await tf.io.encodeWeights(model.getWeights());
    const decoded = tf.io.decodeWeights(data, specs);
    const copy = new NodeModel({ ...model.config, seed: 8 });
    copy.setWeights(decoded);
    tf.dispose(Object.values(decoded));
    const run = (m: NodeModel) =>
      tf.tidy(() => {
        const block: GraphBlock = { graph };
        return m
          .toPredictions(m.apply([block, block], randomTensor('x', [7, 5]) as tf.Tensor2D, false))
          .arraySync();
      });
    expect(copy.config).toEqual({ ...model.config, seed: 8 });
    expect(run(copy)).toEqual(run(model));
    expect(Object.keys(model.getWeights())).toEqual([
      'convs.0.weight',
      'convs.0.attentionSource',
      'convs.0.attentionDestination',
      'convs.0.bias',
      'convs.1.weight',
      'convs.1.attentionSource',
      'convs.1.attentionDestination',
      'convs.1.bias',
      'head.0.weight',
      'head.0.bias',
      'head.1.weight',
      'head.1.bias',
    ]);
    model.dispose();
    copy.dispose();
  });

  it('draws the same initial weights from the same seed, different ones from another', () => {
    const config = { architecture: 'sage', task: 'regression', inChannels: 4, outChannels: 1 } as const;
    const [a, b, c] = [new NodeModel(config), new NodeModel(config), new NodeModel({ ...config, seed: 1 })];
    const values = (m: NodeModel) => m.variables.map((v) => Array.from(v.dataSync()));
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it('refuses weights that do not fit, naming them', () => {
    const model = new NodeModel({
      architecture: 'gcn',
      task: 'classification',
      inChannels: 4,
      outChannels: 2,
      hiddenChannels: 8,
    });
    const weights = model.getWeights();
    const { 'head.1.bias': _, ...missing } = weights;
    expect(() => model.setWeights({ ...missing, extra: weights['head.1.bias']! })).toThrow(
      /do not fit this gcn model[\s\S]*Missing: head.1.bias\.\nNot in the model: extra\./,
    );
    tf.tidy(() => {
      expect(() => model.setWeights({ ...weights, 'convs.0.weight': tf.zeros([5, 8]) })).toThrow(
        /Weight convs.0.weight does not fit[\s\S]*Got float32 \[5, 8\], expected float32 \[4, 8\]/,
      );
    });
    model.dispose();
  });

  it('refuses a wrong number of blocks and invalid configurations, listing every problem', () => {
    const model = new NodeModel({
      architecture: 'sage',
      task: 'classification',
      inChannels: 4,
      outChannels: 2,
    });
    tf.tidy(() => {
      expect(() =>
        model.apply([{ graph: buildTestGraph(42) }], tf.zeros([7, 4]) as tf.Tensor2D, false),
      ).toThrow(/got 1 blocks, expected 2[\s\S]*one block per message-passing layer/);
    });
    model.dispose();
    expect(
      () =>
        new NodeModel({
          architecture: 'gat',
          task: 'classification',
          inChannels: 4,
          outChannels: 1,
          hiddenChannels: 10,
          heads: 4,
        }),
    ).toThrow(
      /2 problem\(s\)[\s\S]*outChannels: expected at least 2 classes[\s\S]*hiddenChannels: expected a multiple of heads \(4\)/,
    );
    expect(
      () => new NodeModel({ architecture: 'gine', task: 'regression', inChannels: 4, outChannels: 1 }),
    ).toThrow(/edgeChannels: expected at least 1 edge feature channel for gine/);
    expect(
      () =>
        new NodeModel({ architecture: 'gin', task: 'regression', inChannels: 4, outChannels: 1 } as never),
    ).toThrow(/architecture: expected one of gcn, sage, gat, gine, mlp/);
  });
  it('trains a sage model on a kept first-layer mean exactly as on means computed afresh each step', () => {
    const graph = buildTestGraph(43);
    const rows = graph.numDestinations;
    const x = randomTensor('x', [rows, 6]) as tf.Tensor2D;
    const targets = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: rows }, (_, v) => v % 2),
          'int32',
        ),
        2,
      ),
    ) as tf.Tensor2D;
    const weights = tf.ones([rows]) as tf.Tensor1D;
    /** Losses and final weights of 4 steps; `fresh` passes a new tensor of the same values each step. */
    const train = (fresh: boolean) => {
      const model = new NodeModel({
        architecture: 'sage',
        task: 'classification',
        inChannels: 6,
        outChannels: 2,
        hiddenChannels: 6,
        dropout: 0.5,
        seed: 3,
      });
      const optimizer = new AdamW(model.variables, { learningRate: 0.05 });
      const losses = Array.from({ length: 4 }, () => {
        const input = fresh ? tf.tensor2d(x.dataSync(), x.shape) : x;
        const blocks = model.convs.map(() => ({ graph }));
        const loss = runTrainingStep(
          model,
          optimizer,
          { blocks, x: input, targets, weights },
          {
            kind: 'crossEntropy',
          },
        );
        if (fresh) input.dispose();
        return loss;
      });
      const final = model.variables.map((variable) => variable.arraySync());
      optimizer.dispose();
      model.dispose();
      return { losses, final };
    };
    const kept = train(false);
    expect(kept).toEqual(train(true));
    expect(new Set(kept.losses).size).toBe(4);
    tf.dispose([x, targets, weights]);
  });
});
