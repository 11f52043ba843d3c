import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import { NodeModel } from '../models/NodeModel.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';
import { predictNodes } from '../training/predictNodes.js';
import { listModels } from './listModels.js';
import { loadModel, readModelCard } from './loadModel.js';
import type { ModelCardInput } from './modelCard.js';
import { listVersions, saveModel } from './saveModel.js';

const featureNames = ['tx_sent', 'age', 'counterparties', 'funding_depth'];
const card: ModelCardInput = {
  task: 'risk',
  training: { epochs: 3 },
  featureNames,
  normalization: { median: [0, 0, 0, 0], iqr: [1, 1, 1, 1] },
  snapshotId: 'c1_b5_f0',
  split: { kind: 'stratified', seed: 1 },
  metrics: { rocAuc: 0.9 },
  baseline: { architecture: 'mlp', metrics: { rocAuc: 0.5 } },
  backend: 'wasm',
};

describe('model registry', () => {
  let dataDir: string;
  const rng = createRng(9);
  const src = Uint32Array.from({ length: 120 }, () => rng.int(0, 29));
  const dst = Uint32Array.from({ length: 120 }, () => rng.int(0, 29));
  const inputs = {
    graph: buildSparseGraph({ src, dst, numNodes: 30 }),
    features: { values: Float32Array.from({ length: 120 }, () => rng.normal()), channels: 4 },
  };

  beforeAll(async () => {
    await createTfBackend({ logger: createLogger({ level: 'silent' }), backend: 'wasm' });
    dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-models-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('saves numbered versions and loads them back with identical predictions', async () => {
    const model = new NodeModel({
      architecture: 'sage',
      task: 'classification',
      inChannels: 4,
      outChannels: 2,
      hiddenChannels: 8,
      seed: 3,
    });
    const first = await saveModel(dataDir, model, card);
    const second = await saveModel(dataDir, model, card);
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(listVersions(dataDir, 'risk')).toEqual([1, 2]);
    const loaded = await loadModel(dataDir, 'risk', { featureNames });
    expect(loaded.card).toMatchObject({
      version: 2,
      task: 'risk',
      snapshotId: 'c1_b5_f0',
      model: model.config,
    });
    expect(Array.from(predictNodes(loaded.model, inputs).values)).toEqual(
      Array.from(predictNodes(model, inputs).values),
    );
    const before = tf.memory().numTensors;
    await loadModel(dataDir, 'risk', { version: 1 });
    expect(tf.memory().numTensors - before).toBe(Object.keys(model.getWeights()).length);
  });

  it('refuses other features, a truncated weights file and a broken card, naming what is wrong', async () => {
    const model = new NodeModel({
      architecture: 'gcn',
      task: 'classification',
      inChannels: 4,
      outChannels: 2,
      hiddenChannels: 8,
    });
    const { dir, version } = await saveModel(dataDir, model, { ...card, task: 'airdrop' });
    await expect(
      loadModel(dataDir, 'airdrop', { featureNames: ['tx_sent', 'age', 'counterparties'] }),
    ).rejects.toThrow(/trained on other features[\s\S]*Missing: funding_depth/);
    const weights = join(dir, 'weights.bin');
    const good = readFileSync(weights);
    truncateSync(weights, good.byteLength - 7);
    await expect(loadModel(dataDir, 'airdrop')).rejects.toThrow(
      /weights\.bin is unusable: it has \d+ bytes, the card says \d+ \(truncated\?\)/,
    );
    writeFileSync(weights, good);
    writeFileSync(join(dir, 'card.json'), '{"format": "chaingnn.model/1", "weights": ');
    expect(() => readModelCard(dataDir, 'airdrop', version)).toThrow(
      /card\.json is unusable: it cannot be read as JSON/,
    );
    await expect(loadModel(dataDir, 'price')).rejects.toThrow(/No price model saved yet/);
    // The listing keeps going past a broken card, and says what is wrong with it.
    const listed = listModels(dataDir);
    expect(
      listed.map((m) => ('card' in m ? `${m.card.task}/${m.card.version}` : `${m.task}/${m.version}!`)),
    ).toEqual(['airdrop/1!', 'risk/1', 'risk/2']);
    await expect(loadModel(dataDir, 'risk', { version: 7 })).rejects.toThrow(
      /No version 7 of the risk model[\s\S]*Saved versions: 1, 2/,
    );
  });
});
