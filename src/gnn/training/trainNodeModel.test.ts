import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import { computeRegressionMetrics } from '../metrics/computeRegressionMetrics.js';
import { computeRocAuc } from '../metrics/computeRocAuc.js';
import { NodeModel } from '../models/NodeModel.js';
import type { NodeModelConfigInput } from '../models/nodeModelConfig.js';
import { sampleBlocks } from '../sampling/sampleBlocks.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';
import type { NodeSplit } from '../splits/NodeSplit.js';
import { splitStratified } from '../splits/splitStratified.js';
import { computeValidationMetric } from './computeValidationMetric.js';
import type { NodeBatch } from './NodeBatch.js';
import type { NodeDataset } from './NodeDataset.js';
import { predictNodes } from './predictNodes.js';
import { trainNodeModel } from './trainNodeModel.js';

const logger = createLogger({ level: 'silent' });
const featureChannels = 16;

/**
 * A planted partition (stochastic block model): 2 blocks of 300 nodes, an undirected edge inside a block with
 * probability 0.05 and across with 0.005; the label is the block, and the node features are pure noise.
 */
function buildPlantedPartition(): { dataset: NodeDataset; labels: Int32Array; split: NodeSplit } {
  const rng = createRng('planted-partition');
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < 600; i += 1) {
    for (let j = i + 1; j < 600; j += 1) {
      if (rng.chance(i < 300 === j < 300 ? 0.05 : 0.005)) {
        src.push(i, j);
        dst.push(j, i);
      }
    }
  }
  const labels = Int32Array.from({ length: 600 }, (_, i) => (i < 300 ? 0 : 1));
  const features = Float32Array.from({ length: 600 * featureChannels }, () => rng.normal());
  return {
    dataset: {
      graph: buildSparseGraph({ src: Uint32Array.from(src), dst: Uint32Array.from(dst), numNodes: 600 }),
      features: { values: features, channels: featureChannels },
      targets: labels,
    },
    labels,
    split: splitStratified({ labels, seed: 1 }),
  };
}

/** The trained binary classifier's ROC-AUC on the test nodes. */
function testRocAuc(model: NodeModel, dataset: NodeDataset, labels: Int32Array, test: Uint32Array): number {
  const { values } = predictNodes(model, dataset);
  return computeRocAuc(
    Array.from(test, (node) => values[node * 2 + 1]!),
    Array.from(test, (node) => labels[node]!),
  );
}

/** Mini-batches of `batchSize` shuffled train nodes, each sampled with fanouts [10, 10] (a new sample each epoch). */
function sampledBatches(dataset: NodeDataset, train: Uint32Array, batchSize: number) {
  return (epoch: number): NodeBatch[] => {
    const rng = createRng(`batches/${epoch}`);
    const order = rng.shuffle(Array.from(train));
    const batches: NodeBatch[] = [];
    for (let i = 0; i < order.length; i += batchSize) {
      const seeds = Uint32Array.from(order.slice(i, i + batchSize));
      batches.push(sampleBlocks(dataset.graph.byDestination, seeds, [10, 10], rng));
    }
    return batches;
  };
}

describe('trainNodeModel', () => {
  const { dataset, labels, split } = buildPlantedPartition();
  const classifier = {
    task: 'classification',
    inChannels: featureChannels,
    outChannels: 2,
    hiddenChannels: 32,
    seed: 1,
  } as const;
  /** Trains a fresh model of `config` and returns its test ROC-AUC and training result. */
  const train = async (
    config: NodeModelConfigInput,
    options: Partial<Parameters<typeof trainNodeModel>[0]> = {},
  ) => {
    const model = new NodeModel(config);
    const result = await trainNodeModel({ model, dataset, split, epochs: 100, ...options });
    const auc = testRocAuc(model, dataset, labels, split.test);
    return { model, result, auc };
  };

  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });

  it.each(['gcn', 'sage', 'gat'] as const)(
    '%s finds the planted communities from structure alone (test ROC-AUC > 0.95)',
    async (architecture) => {
      // Patience 50: on noise features sage's root weight may first fit the noise, with validation flat for a while.
      const { model, auc } = await train({ ...classifier, architecture }, { epochs: 150, patience: 50 });
      model.dispose();
      expect(auc).toBeGreaterThan(0.95);
    },
  );

  it('leaves the MLP baseline on noise features near chance, stopping early with its best weights', async () => {
    const { model, result, auc } = await train({ ...classifier, architecture: 'mlp' }, { patience: 10 });
    expect(auc).toBeLessThan(0.65);
    expect(auc).toBeGreaterThan(0.35);
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(result.bestEpoch + 10);
    const restored = computeValidationMetric(
      'rocAuc',
      predictNodes(model, dataset),
      labels,
      split.validation,
    );
    expect(restored).toBe(result.best);
    model.dispose();
  });

  it('repeats exactly with the same seed, with a flat tensor count across epochs and none left behind', async () => {
    const run = async () => {
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const { model, result, auc } = await train(
        { ...classifier, architecture: 'gat', heads: 2, attentionDropout: 0.3 },
        { epochs: 12, patience: 12, onEpoch: () => counts.push(tf.memory().numTensors) },
      );
      model.dispose();
      const history = result.history.map(({ seconds: _, ...epoch }) => epoch);
      return { history, auc, counts, leaked: tf.memory().numTensors - before };
    };
    const first = await run();
    const second = await run();
    expect(first.history).toHaveLength(12);
    expect(second.history).toEqual(first.history);
    expect(second.auc).toBe(first.auc);
    expect(new Set(first.counts)).toEqual(new Set([first.counts[0]]));
    expect(first.leaked).toBe(0);
  });

  it('trains on mini-batches of sampled blocks with the same model code', async () => {
    const batches = sampledBatches(dataset, split.train, 90);
    const { model, result, auc } = await train(
      { ...classifier, architecture: 'sage' },
      { epochs: 40, patience: 30, batches },
    );
    model.dispose();
    expect(result.history[0]!.loss).toBeGreaterThan(result.history.at(-1)!.loss);
    expect(auc).toBeGreaterThan(0.95);
  });

  it('calls a rare class at 0.5 only with focal loss and balanced class weights', async () => {
    // Keep one in ten train nodes of class 1: 180 train nodes of class 0 against 18.
    const rare = { ...split, train: split.train.filter((node, i) => labels[node] === 0 || i % 10 === 0) };
    const positives = split.test.filter((node) => labels[node] === 1);
    const recalls = [];
    for (const options of [{}, { loss: 'focal', classWeights: 'balanced' }] as const) {
      const { model, result, auc } = await train(
        { ...classifier, architecture: 'gcn' },
        { split: rare, ...options },
      );
      const { values } = predictNodes(model, dataset);
      model.dispose();
      expect(result.history.every((epoch) => Number.isFinite(epoch.loss))).toBe(true);
      expect(auc).toBeGreaterThan(0.9);
      recalls.push(positives.filter((node) => values[node * 2 + 1]! >= 0.5).length / positives.length);
    }
    expect(recalls[0]).toBeLessThan(0.2);
    expect(recalls[1]).toBeGreaterThan(0.4);
  });

  it('stops after the current epoch when its signal fires', async () => {
    const controller = new AbortController();
    const { model, result } = await train(
      { ...classifier, architecture: 'sage' },
      { signal: controller.signal, onEpoch: ({ epoch }) => epoch === 3 && controller.abort() },
    );
    model.dispose();
    expect(result.history).toHaveLength(3);
    expect(result.stoppedEarly).toBe(true);
  });

  it('refuses settings, splits, metrics and batches that do not fit, saying what it expected', async () => {
    const model = new NodeModel({ ...classifier, architecture: 'sage' });
    const run = (options: Partial<Parameters<typeof trainNodeModel>[0]>) =>
      trainNodeModel({ model, dataset, split, epochs: 1, ...options });
    await expect(run({ epochs: 0, learningRate: -1 })).rejects.toThrow(
      /2 problem\(s\)[\s\S]*epochs 0: expected a positive integer[\s\S]*learningRate -1: expected > 0/,
    );
    await expect(run({ split: { ...split, test: Uint32Array.of(600) } })).rejects.toThrow(
      'The test split names node 600',
    );
    await expect(run({ split: { ...split, validation: Uint32Array.of() } })).rejects.toThrow(
      'The validation split is empty',
    );
    await expect(run({ monitor: 'mae' })).rejects.toThrow(
      'The validation metric mae does not fit classification with 2 outputs',
    );
    const oneBlock = (epoch: number) =>
      sampledBatches(
        dataset,
        split.train,
        200,
      )(epoch).map((batch) => ({ ...batch, blocks: batch.blocks.slice(1) }));
    await expect(run({ batches: oneBlock })).rejects.toThrow(
      /A mini-batch does not fit the model[\s\S]*got 1 blocks/i,
    );
    model.dispose();
  });
});

describe('trainNodeModel beyond node features', () => {
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });

  it('learns a label carried only by edge types with gine, which gcn cannot see', async () => {
    // Each node has 6 in-edges of random type 0 or 1 (one-hot edge features); label 1 when 4 or more are of type 1.
    const rng = createRng('edge-types');
    const src = new Uint32Array(1800);
    const dst = new Uint32Array(1800);
    const edgeFeatures = new Float32Array(1800 * 2);
    const labels = new Int32Array(300);
    for (let node = 0; node < 300; node += 1) {
      let typeOne = 0;
      for (let k = 0; k < 6; k += 1) {
        const e = node * 6 + k;
        src[e] = rng.int(0, 299);
        dst[e] = node;
        const type = rng.chance(0.5) ? 1 : 0;
        edgeFeatures[e * 2 + type] = 1;
        typeOne += type;
      }
      labels[node] = typeOne >= 4 ? 1 : 0;
    }
    const dataset: NodeDataset = {
      graph: buildSparseGraph({ src, dst, numNodes: 300 }),
      features: { values: Float32Array.from({ length: 300 * 8 }, () => rng.normal()), channels: 8 },
      edgeFeatures: { values: edgeFeatures, channels: 2 },
      targets: labels,
    };
    const split = splitStratified({ labels, seed: 2 });
    const config = {
      task: 'classification',
      inChannels: 8,
      outChannels: 2,
      hiddenChannels: 16,
      numLayers: 1,
      dropout: 0.2,
      edgeChannels: 2,
    } as const;
    const aucs = [];
    for (const architecture of ['gine', 'gcn'] as const) {
      const model = new NodeModel({ ...config, architecture });
      await trainNodeModel({ model, dataset, split, epochs: 100 });
      aucs.push(testRocAuc(model, dataset, labels, split.test));
      model.dispose();
    }
    expect(aucs[0]).toBeGreaterThan(0.9);
    expect(aucs[1]).toBeLessThan(0.7);
  });

  it("regresses a node's neighbourhood mean with sage, far better than the MLP baseline", async () => {
    const rng = createRng('regression');
    const src = Uint32Array.from({ length: 2400 }, () => rng.int(0, 399));
    const dst = Uint32Array.from({ length: 2400 }, () => rng.int(0, 399));
    const graph = buildSparseGraph({ src, dst, numNodes: 400 });
    const features = Float32Array.from({ length: 400 * 4 }, () => rng.normal());
    const { offsets, targets: sources } = graph.byDestination;
    const targets = Float32Array.from({ length: 400 }, (_, node) => {
      let sum = 0;
      for (let j = offsets[node]!; j < offsets[node + 1]!; j += 1) sum += features[sources[j]! * 4]!;
      return offsets[node + 1]! > offsets[node]! ? sum / (offsets[node + 1]! - offsets[node]!) : 0;
    });
    const dataset: NodeDataset = { graph, features: { values: features, channels: 4 }, targets };
    const split = splitStratified({ labels: new Int32Array(400), seed: 3 });
    const rmse = [];
    for (const architecture of ['sage', 'mlp'] as const) {
      const model = new NodeModel({
        architecture,
        task: 'regression',
        inChannels: 4,
        outChannels: 1,
        hiddenChannels: 16,
        numLayers: 1,
        dropout: 0,
      });
      const result = await trainNodeModel({ model, dataset, split, epochs: 150, monitor: 'rmse' });
      expect(result.metric).toBe('rmse');
      const { values } = predictNodes(model, dataset);
      const metrics = computeRegressionMetrics(
        Array.from(split.test, (node) => values[node]!),
        Array.from(split.test, (node) => targets[node]!),
      );
      rmse.push(metrics.rmse);
      model.dispose();
    }
    expect(rmse[0]).toBeLessThan(0.2);
    expect(rmse[0]).toBeLessThan(0.3 * rmse[1]!);
  });
});
