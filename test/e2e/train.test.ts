import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { listModels } from '../../src/gnn/registry/listModels.js';
import { loadModel } from '../../src/gnn/registry/loadModel.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { toSimulationLabelRows } from '../../src/tasks/labels/toSimulationLabelRows.js';
import { trainingEdgeFeatureNames } from '../../src/tasks/training/buildTrainingInputs.js';
import { type TaskModelCard, trainTask } from '../../src/tasks/training/trainTask.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { indexAndSnapshot } from '../setup/indexAndSnapshot.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

const logger = createLogger({ level: 'silent' });
const metricNames = [
  'rocAuc',
  'prAuc',
  'f1',
  'precision',
  'recall',
  'threshold',
  'precisionAtK',
  'recallAtK',
];

/** Every metric present and in [0, 1]; the baseline's too. */
function expectMetricsInRange(card: TaskModelCard): void {
  for (const metrics of [card.metrics, card.baseline!.metrics]) {
    expect(Object.keys(metrics).sort()).toEqual([...metricNames].sort());
    for (const name of metricNames) {
      expect(metrics[name], name).toBeGreaterThanOrEqual(0);
      expect(metrics[name], name).toBeLessThanOrEqual(1);
    }
  }
}

/** One line per model, for the test log: the metrics this run saw. */
function describeRun(card: TaskModelCard): string {
  const show = (metrics: Record<string, number>) =>
    metricNames.map((name) => `${name} ${metrics[name]!.toFixed(3)}`).join(', ');
  return (
    `${card.task} v${card.version} ${card.model.architecture} (${card.split.kind} split, ` +
    `${card.labels.positives} positive / ${card.labels.labelledNegatives + card.labels.unlabelledNegatives} negative): ` +
    `${show(card.metrics)}\n  mlp baseline: ${show(card.baseline!.metrics)}\n`
  );
}

describe('chaingnn train on the simulated world', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();
  const cliDir = useTempDir();
  let devnet: Devnet;
  let world: SimulationResult;

  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({ rpc: devnet.provider, seed: 3, scale: 'small' });
  });
  afterAll(() => devnet?.stop());

  it('trains risk and sybil models beside the mlp baseline, saves complete cards, and lists them', async () => {
    const built = await indexAndSnapshot({
      rpcUrl: devnet.url,
      world,
      warehouse: warehouse(),
      dataDir: dataDir(),
      logger,
    });
    await insertRows(warehouse(), 'address_labels', toSimulationLabelRows(world.chainId, world.labels, 1));
    const epochs: string[] = [];
    const risk = await trainTask({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      task: 'risk',
      model: 'sage',
      epochs: 40,
      backend: 'wasm',
      onEpoch: (p) => epochs.push(`${p.role}:${p.architecture}:${p.epoch}`),
    });
    const { card } = risk;
    process.stderr.write(describeRun(card));
    expect(card).toMatchObject({
      format: 'chaingnn.model/1',
      task: 'risk',
      version: 1,
      snapshotId: built.snapshot.id,
      featureNames: built.featureNames,
      normalization: built.normalizer,
      backend: 'wasm',
      model: { architecture: 'sage', task: 'classification', outChannels: 2, seed: 1 },
      baseline: { architecture: 'mlp' },
      split: { kind: 'stratified', seed: 1, fractions: { train: 0.6, validation: 0.2 } },
      training: { epochs: 40, classWeights: 'balanced', monitor: 'rocAuc' },
      labels: { kind: 'binary', unlabelledAsNegative: false, unlabelledNegatives: 0, sources: 'all' },
    });
    expectMetricsInRange(card);
    // The planted truth, counted independently: malicious addresses are positive, sybils left out, the rest negative.
    const nodes = new Set(built.snapshot.nodes.addresses);
    const inSnapshot = world.labels.filter((l) => nodes.has(l.address.toLowerCase()));
    const malicious = ['phishing', 'drainer', 'launderer', 'poisoner', 'rug'];
    expect(card.labels.positives).toBe(inSnapshot.filter((l) => malicious.includes(l.label)).length);
    expect(card.labels.excluded).toBe(inSnapshot.filter((l) => l.label === 'sybil').length);
    expect(card.labels.labelledNegatives).toBe(
      inSnapshot.length - card.labels.positives - card.labels.excluded,
    );
    expect(card.labels.labelledNotInSnapshot).toBe(world.labels.length - inSnapshot.length);
    expect(card.labels.nodes).toBe(nodes.size);
    expect(Object.keys(card.labels.categories.positive).sort()).toEqual(
      ['address_poisoning', 'drainer', 'launderer', 'phishing', 'rug_pull'].sort(),
    );
    const parts = card.split.parts as Record<string, { nodes: number; positives: number }>;
    expect(parts.train!.nodes + parts.validation!.nodes + parts.test!.nodes).toBe(
      card.labels.positives + card.labels.labelledNegatives,
    );
    expect(parts.test!.positives).toBeGreaterThan(0);
    // Both models reported their epochs, the model first; early stopping may end either before 40.
    expect(epochs[0]).toBe('model:sage:1');
    expect(epochs).toContain('baseline:mlp:1');
    expect(card.training.epochsRun).toBe(epochs.filter((e) => e.startsWith('model:')).length);

    // The saved version loads with the snapshot's features and is listed with its metrics and baseline.
    const loaded = await loadModel(dataDir(), 'risk', { featureNames: built.featureNames });
    expect(loaded.card.version).toBe(1);

    const sybil = await trainTask({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      task: 'sybil',
      model: 'gcn',
      split: 'stratified',
      epochs: 40,
      backend: 'wasm',
    });
    process.stderr.write(describeRun(sybil.card));
    expectMetricsInRange(sybil.card);
    expect(sybil.card.labels.positives).toBe(inSnapshot.filter((l) => l.label === 'sybil').length);
    // Farms share funders and scripts: the graph model finds them well above chance.
    expect(sybil.card.metrics.rocAuc).toBeGreaterThan(0.7);

    // Attention and edge-aware models train too, and training leaves no tensors behind.
    const tensors = tf.memory().numTensors;
    for (const model of ['gat', 'gine'] as const) {
      const { card: other } = await trainTask({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        task: 'sybil',
        model,
        epochs: 5,
        backend: 'wasm',
      });
      expect(other.model.architecture).toBe(model);
      expectMetricsInRange(other);
    }
    // Only gine reads edge features, and its card names them.
    expect(
      listModels(dataDir(), 'sybil').map((m) => 'card' in m && m.card.training.edgeFeatureNames),
    ).toEqual([undefined, undefined, trainingEdgeFeatureNames]);
    expect(tf.memory().numTensors).toBe(tensors);

    const listed = listModels(dataDir());
    expect(
      listed.map((m) => ('card' in m ? `${m.card.task}/${m.card.version}/${m.card.model.architecture}` : m)),
    ).toEqual(['risk/1/sage', 'sybil/1/gcn', 'sybil/2/gat', 'sybil/3/gine']);
    for (const entry of listed) {
      expect('card' in entry && entry.card.baseline?.metrics.rocAuc).toBeGreaterThanOrEqual(0);
    }

    // Too few labels: only a handful from one source, named with their counts and what is needed.
    await insertRows(
      warehouse(),
      'address_labels',
      world.labels
        .filter((l) => l.label === 'phishing')
        .map((l) => ({
          chain_id: world.chainId,
          address: l.address.toLowerCase(),
          label: 'reported',
          category: 'phishing',
          source: 'manual',
          confidence: 1,
        })),
    );
    const few = trainTask({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      task: 'risk',
      labelSources: ['manual'],
      backend: 'wasm',
    });
    await expect(few).rejects.toThrow(
      /Too few labels for the risk task: 2 positive and 0 negative nodes in snapshot c31337_b\d+_f0; need at least 10 of each[\s\S]*found phishing 2[\s\S]*--unlabelled-as-negative/,
    );
    // With unlabelled nodes as negatives there are enough negatives, but still too few positives.
    await expect(
      trainTask({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        task: 'risk',
        labelSources: ['manual'],
        unlabelledAsNegative: true,
        backend: 'wasm',
      }),
    ).rejects.toThrow(/2 positive and \d{3} negative nodes/);
    // The small world plants its farms early: a split by first-seen block leaves the newest addresses without sybils.
    await expect(
      trainTask({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        task: 'sybil',
        split: 'time',
        backend: 'wasm',
      }),
    ).rejects.toThrow(
      /The time split leaves the (validation and test|test) part without both classes[\s\S]*Per part \(nodes, positives\): train \d+, \d+;[\s\S]*test \d+, 0\.[\s\S]*use --split stratified/,
    );
    expect(listModels(dataDir()).map((m) => ('card' in m ? m.card.task : m.task))).toEqual([
      'risk',
      'sybil',
      'sybil',
      'sybil',
    ]);
  }, 120_000);

  it('refuses an unknown task, bad options and a warehouse without snapshots, clearly', async () => {
    const base = { warehouse: warehouse(), logger, dataDir: dataDir(), backend: 'wasm' as const };
    await expect(trainTask({ ...base, task: 'airdrop' })).rejects.toThrow(
      /Unknown task "airdrop"[\s\S]*Expected one of: risk \(.*\); sybil \(/,
    );
    await expect(
      trainTask({ ...base, task: 'risk', model: 'transformer' as 'gcn', split: 'random' as 'time', k: 0 }),
    ).rejects.toThrow(
      /Invalid training options: 3 problem\(s\)[\s\S]*model "transformer": expected one of gcn, sage, gat, gine, mlp[\s\S]*split "random"[\s\S]*k 0/,
    );
    // This test's database is fresh: no blocks, then blocks but no snapshot.
    await expect(trainTask({ ...base, task: 'risk' })).rejects.toThrow(/The warehouse has no blocks yet/);
    await expect(trainTask({ ...base, task: 'risk', chainId: 31337 })).rejects.toThrow(
      /No graph snapshot yet[\s\S]*Build one first: chaingnn graph build/,
    );
  });

  it('chaingnn train prints the card (table or --json) and chaingnn models lists it', async () => {
    const env = { CHAINGNN_DATA_DIR: cliDir(), LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    expect((await runCli(['index', '--rpc', devnet.url], env)).code).toBe(0);
    expect((await runCli(['graph', 'build'], env)).code).toBe(0);
    const labels = join(cliDir(), 'labels.csv');
    writeFileSync(
      labels,
      `address,label,category\n${toSimulationLabelRows(world.chainId, world.labels, 1)
        .map((r) => `${r.address},${r.label},${r.category}`)
        .join('\n')}\n`,
    );
    expect(
      (await runCli(['labels', 'import', labels, '--source', 'simulation', '--chain-id', '31337'], env)).code,
    ).toBe(0);

    const json = await runCli(['train', 'risk', '--model', 'gcn', '--epochs', '20', '--json'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const card = JSON.parse(json.stdout) as TaskModelCard;
    expect(card).toMatchObject({ task: 'risk', version: 1, model: { architecture: 'gcn' } });
    expectMetricsInRange(card);

    const table = await runCli(['train', 'sybil', '--model', 'mlp', '--epochs', '20', '--seed', '2'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^sybil model v1 \(mlp\), saved in .*models\/sybil\/1\n/);
    expect(table.stdout).toMatch(/ {2}positive {2}an address labelled sybil .*: \d+ \(sybil \d+\)/);
    // The same labels and snapshot as the risk card above, whose count (the Uniswap factory, labelled but never an
    // endpoint) the first test checks against the world.
    const outside = card.labels.labelledNotInSnapshot;
    expect(table.stdout).toMatch(
      new RegExp(` {2}left out {2}\\d+ unlabelled; ${outside} labelled addresses are not in the snapshot\n`),
    );
    expect(table.stdout).toMatch(/split {5}stratified at random, class shares kept \(seed 2\): train \d+/);
    expect(table.stdout).toMatch(
      /test metric\s+mlp\s+mlp \(baseline\)\n[─ ]+\nrocAuc\s+\d\.\d{3}\s+\d\.\d{3}/,
    );

    const models = await runCli(['models'], env);
    expect(models.stdout).toMatch(
      /risk\s+1\s+gcn\s+c31337_b\d+_f0\s+rocAuc \d\.\d{3}.*mlp: rocAuc \d\.\d{3}/,
    );
    expect(models.stdout).toMatch(/sybil\s+1\s+mlp/);

    const unknown = await runCli(['train', 'price'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: Unknown task "price"\nExpected one of: risk/);
    const badModel = await runCli(['train', 'risk', '--model', 'cnn'], env);
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toMatch(/option '--model <name>' argument 'cnn' is invalid/);
  }, 180_000);
});
