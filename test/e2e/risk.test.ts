import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  edgeValuesFile,
  readSnapshotFile,
  snapshotFile,
  writeSnapshotFile,
} from '../../src/graph/snapshotFile.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { buildSnapshot } from '../../src/tasks/graphs/buildSnapshot.js';
import { createRiskExplainer, type RiskReason } from '../../src/tasks/risk/createRiskExplainer.js';
import { explainRisk } from '../../src/tasks/risk/explainRisk.js';
import { findNodesWithinHops } from '../../src/tasks/risk/findNodesWithinHops.js';
import { findRescoreNodes } from '../../src/tasks/risk/findRescoreNodes.js';
import { loadRiskContext } from '../../src/tasks/risk/loadRiskContext.js';
import type { RiskModelCard } from '../../src/tasks/risk/RiskModelCard.js';
import { scoreRisk } from '../../src/tasks/risk/scoreRisk.js';
import { trainRiskModel } from '../../src/tasks/risk/trainRiskModel.js';
import { noToken } from '../../src/types/graph.js';
import type { Warehouse } from '../../src/warehouse/createWarehouse.js';
import { getAddressLabels } from '../../src/warehouse/getAddressLabels.js';
import { getRiskScores } from '../../src/warehouse/getRiskScores.js';
import { importPhishingDataset } from '../../src/warehouse/importPhishingDataset.js';
import type { RiskScoreRow } from '../../src/warehouse/insertRiskScores.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { datasetsDir } from '../setup/mainnetFixtures.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

const logger = createLogger({ level: 'silent' });
const dataset = join(datasetsDir, 'phishing-eth1');
/** The dataset's transactions span blocks 49,766 to 9,189,013; about 80% of them are at or before this one. */
const earlierBlock = 6_683_411;
/** Target account 1 of the dataset, labelled phishing. */
const phisher = '0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0';

/** Every score in [0, 1] and every row with reasons, one row per address of the snapshot. */
function expectCompleteScores(rows: readonly RiskScoreRow[], addresses: readonly string[]): void {
  expect(rows.map((r) => r.address)).toEqual([...addresses]);
  for (const row of rows) {
    expect(row.score, row.address).toBeGreaterThanOrEqual(0);
    expect(row.score, row.address).toBeLessThanOrEqual(1);
    expect(row.reasons.length, row.address).toBeGreaterThan(0);
  }
}

/** Writes a copy of a snapshot under another id with its features renamed by `rename`, and lists it. */
async function writeRenamedSnapshot(
  warehouse: Warehouse,
  dataDir: string,
  /** The snapshot file to copy. */
  file: string,
  id: string,
  rename: (names: string[]) => string[],
): Promise<void> {
  const content = readSnapshotFile(file);
  const featureNames = rename(content.featureNames);
  const dir = join(dataDir, 'graphs', id);
  mkdirSync(dir, { recursive: true });
  writeSnapshotFile(join(dir, snapshotFile), {
    ...content,
    snapshot: { ...content.snapshot, id },
    featureNames,
    normalizer: { ...content.normalizer, names: featureNames },
  });
  copyFileSync(join(file, '..', edgeValuesFile), join(dir, edgeValuesFile));
  const { point } = content.snapshot;
  await insertRows(warehouse, 'graph_snapshots', [
    {
      chain_id: point.chainId,
      snapshot_id: id,
      as_of_block: point.asOfBlock,
      as_of_time: point.asOfTime,
      from_block: point.fromBlock,
      nodes: content.snapshot.nodes.addresses.length,
      edges: content.snapshot.edges.src.length,
      communities: 0,
      feature_names: featureNames,
      files: join('graphs', id, snapshotFile),
    },
  ]);
}

/** One line per model for the test log: the metrics this run saw. */
function describeCard(card: RiskModelCard): string {
  const show = (m: Record<string, number>) =>
    ['rocAuc', 'prAuc', 'f1', 'ece'].map((name) => `${name} ${m[name]!.toFixed(3)}`).join(', ');
  return `${card.selection.candidates.map((c) => `  ${c.architecture}: ${show(c.test)}`).join('\n')}\n`;
}

describe('risk scores on the real phishing set (phishing-eth1), from a fresh warehouse', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();
  const cliDir = useTempDir();

  it('trains, selects and calibrates on validation, scores every address with reasons, incrementally too, and refuses other features', async () => {
    await importPhishingDataset(warehouse(), { dir: dataset });
    // Transaction lists only: no blocks, receipts or logs.
    const build = (asOfBlock?: number) =>
      buildSnapshot({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        chainId: 1,
        ...(asOfBlock === undefined ? {} : { asOfBlock }),
      });
    const earlier = await build(earlierBlock);
    const latest = await build();
    expect(latest.snapshot.id).toBe('c1_b9189013_f0');

    const tensors = tf.memory().numTensors;
    const { card } = await trainRiskModel({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      architectures: ['sage'],
      // Message passing is what the reasons' neighbour occlusion explains: the mlp is trained and reported only.
      selectBaseline: false,
      epochs: 20,
      crossValidation: 3,
      backend: 'wasm',
    });
    process.stderr.write(`phishing-eth1, 20 epochs:\n${describeCard(card)}`);
    expect(card).toMatchObject({
      task: 'risk',
      version: 1,
      snapshotId: latest.snapshot.id,
      featureNames: latest.featureNames,
      labels: { positives: 350, labelledNegatives: 350 },
      calibration: { method: 'platt', fittedOn: 'the validation nodes' },
      baseline: { architecture: 'mlp' },
    });
    expect(card.selection.candidates.map((c) => c.architecture)).toEqual(['sage', 'mlp']);
    expect(card.selection).toMatchObject({ chosen: 'sage', by: expect.stringMatching(/among sage$/) });
    const chosen = card.selection.candidates[0]!;
    expect(card.model).toMatchObject({ architecture: 'sage', numLayers: 2 });
    expect(card.metrics).toEqual(chosen.test);
    for (const c of card.selection.candidates) {
      for (const name of ['rocAuc', 'prAuc', 'f1', 'ece', 'brier']) {
        expect(c.test[name], `${c.architecture} ${name}`).toBeGreaterThanOrEqual(0);
        expect(c.test[name], `${c.architecture} ${name}`).toBeLessThanOrEqual(1);
      }
      expect(c.calibration.a).toBeGreaterThanOrEqual(0);
      // The real set is easy for any model: far above chance.
      expect(c.test.rocAuc).toBeGreaterThan(0.8);
    }
    // The dataset has no receipts and no logs: those feature groups are constant, and held when scoring.
    expect(card.constantFeatures).toMatchObject({
      gas_used_mean: 0,
      tx_failed_share: 0,
      token_transfers_in: 0,
    });
    const cv = card.crossValidation!;
    expect(cv.perFold).toHaveLength(3);
    expect(cv.perFold.reduce((sum, f) => sum + f.parts.test.nodes, 0)).toBe(700);
    expect(cv.perFold.reduce((sum, f) => sum + f.parts.test.positives, 0)).toBe(350);
    for (const f of cv.perFold) {
      expect(f.parts.train.nodes + f.parts.validation.nodes + f.parts.test.nodes).toBe(700);
    }
    expect(Object.keys(cv.models)).toEqual(['sage', 'mlp']);
    expect(cv.selected.mean.rocAuc).toBeGreaterThan(0.8);
    expect(cv.models.mlp!.std.rocAuc).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(tensors);

    // Every address of the earlier snapshot, scored with the model trained on the latest one.
    const first = await scoreRisk({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      snapshotId: earlier.snapshot.id,
      backend: 'wasm',
    });
    expect(first).toMatchObject({ rescored: earlier.snapshot.nodes.addresses.length, carriedForward: 0 });
    const earlierRows = await getRiskScores(warehouse(), 1, earlier.snapshot.id);
    expectCompleteScores(earlierRows, earlier.snapshot.nodes.addresses);
    expect(new Set(earlierRows.map((r) => r.scored_snapshot_id))).toEqual(new Set([earlier.snapshot.id]));

    // Incremental: only what is within the model's two hops of a change is rescored; the rest is carried forward.
    const incremental = await scoreRisk({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      incremental: true,
      backend: 'wasm',
    });
    const expected = findRescoreNodes(earlier, latest, 2);
    const rescored = new Set(Array.from(expected.rescore, (v) => latest.snapshot.nodes.addresses[v]!));
    // The merge of the two address-ordered edge lists agrees with a lookup by (source, destination, type, token).
    const keyed = ({ snapshot }: typeof latest) => {
      const { edges, nodes } = snapshot;
      const name = (v: number) => (v === noToken ? '' : nodes.addresses[v]);
      return new Map(
        Array.from(edges.src, (src, e) => [
          `${name(src)} ${name(edges.dst[e]!)} ${edges.type[e]} ${name(edges.token[e]!)}`,
          `${edges.count[e]} ${edges.logTotal[e]} ${edges.logMax[e]} ${edges.firstBlock[e]} ${edges.lastBlock[e]}`,
        ]),
      );
    };
    const [edgesBefore, edgesAfter] = [keyed(earlier), keyed(latest)];
    expect(expected.edgesChanged).toBe([...edgesAfter].filter(([k, v]) => edgesBefore.get(k) !== v).length);
    expect(expected.edgesRemoved).toBe([...edgesBefore.keys()].filter((k) => !edgesAfter.has(k)).length);
    expect(expected.edgesChanged).toBeGreaterThan(100);
    expect(incremental).toMatchObject({
      snapshotId: latest.snapshot.id,
      previousSnapshotId: earlier.snapshot.id,
      addresses: latest.snapshot.nodes.addresses.length,
      rescored: rescored.size,
      changes: { added: latest.snapshot.nodes.addresses.length - earlier.snapshot.nodes.addresses.length },
    });
    expect(incremental.carriedForward).toBeGreaterThan(100);
    expect(incremental.rescored).toBeGreaterThan(100);
    const incrementalRows = await getRiskScores(warehouse(), 1, latest.snapshot.id);
    expectCompleteScores(incrementalRows, latest.snapshot.nodes.addresses);
    const before = new Map(earlierRows.map((r) => [r.address, r]));
    for (const row of incrementalRows) {
      if (rescored.has(row.address)) {
        expect(row.scored_snapshot_id).toBe(latest.snapshot.id);
      } else {
        const { score, category, reasons } = before.get(row.address)!;
        expect({ ...row, scored_at: 0 }).toEqual({
          ...row,
          score,
          category,
          reasons,
          scored_snapshot_id: earlier.snapshot.id,
          scored_at: 0,
        });
      }
    }
    // Scoring everything again gives the rescored addresses exactly the scores the incremental run gave them.
    const full = await scoreRisk({ warehouse: warehouse(), logger, dataDir: dataDir(), backend: 'wasm' });
    expect(full).toMatchObject({ rescored: latest.snapshot.nodes.addresses.length, carriedForward: 0 });
    const fullRows = await getRiskScores(warehouse(), 1, latest.snapshot.id);
    expectCompleteScores(fullRows, latest.snapshot.nodes.addresses);
    const fullByAddress = new Map(fullRows.map((r) => [r.address, r]));
    for (const row of incrementalRows.filter((r) => rescored.has(r.address))) {
      const again = fullByAddress.get(row.address)!;
      expect([row.address, again.score, again.category, again.reasons]).toEqual([
        row.address,
        row.score,
        row.category,
        row.reasons,
      ]);
    }

    // Reasons name real neighbours, real features with their values, real labels; explaining is deterministic.
    const context = await loadRiskContext({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm',
    });
    try {
      const { snapshot, featureNames, rawFeatures } = context.content;
      const labels = await getAddressLabels(warehouse(), 1);
      const labelled = new Set(labels.map((l) => `${l.address} ${l.source} ${l.category}`));
      const explainer = createRiskExplainer(context);
      const index = new Map(snapshot.nodes.addresses.map((a, v) => [a, v]));
      const sample = [
        ...labels.slice(0, 60).map((l) => index.get(l.address)!),
        ...Array.from({ length: 40 }, (_, i) => i * 97),
      ];
      const kinds = new Set<RiskReason['kind']>();
      for (const v of sample) {
        const address = snapshot.nodes.addresses[v]!;
        const explained = explainer.explain(v);
        expect(explainer.explain(v)).toEqual(explained);
        expect(explained.reasons.map((r) => r.text)).toEqual(fullByAddress.get(address)!.reasons);
        expect(explained.score).toBe(fullByAddress.get(address)!.score);
        const neighbours = findNodesWithinHops(snapshot, [v], 1);
        const within = findNodesWithinHops(snapshot, [v], 2);
        for (const reason of explained.reasons) {
          kinds.add(reason.kind);
          if (reason.kind === 'label') {
            expect(labelled.has(`${address} ${reason.source} ${reason.category}`)).toBe(true);
          } else if (reason.kind === 'neighbour') {
            expect(neighbours.get(index.get(reason.address)!)).toBe(1);
            expect(reason.text).toContain(reason.address);
          } else if (reason.kind === 'feature') {
            const j = featureNames.indexOf(reason.feature);
            expect(rawFeatures[v * featureNames.length + j]).toBe(reason.value);
            expect(card.constantFeatures).not.toHaveProperty(reason.feature);
          } else {
            for (const other of reason.addresses) {
              expect(within.has(index.get(other)!)).toBe(true);
              expect(labelled.has(`${other} phishing-eth1 ${reason.category}`)).toBe(true);
            }
            expect(reason.text).toContain(reason.addresses[0]);
          }
        }
        // A listed address's first reason is its own label.
        if (labels.some((l) => l.address === address)) expect(explained.reasons[0]!.kind).toBe('label');
      }
      expect([...kinds].sort()).toEqual(['feature', 'label', 'nearby', 'neighbour']);
    } finally {
      context.model.dispose();
    }
    const explained = await explainRisk({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      address: phisher,
      backend: 'wasm',
    });
    expect(
      await explainRisk({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        address: phisher.toUpperCase().replace('0X', '0x'),
        backend: 'wasm',
      }),
    ).toEqual(explained);
    expect(explained).toMatchObject({
      snapshotId: latest.snapshot.id,
      modelVersion: 1,
      category: 'phishing',
    });
    expect(explained.reasons[0]!.text).toBe('listed as phishing by phishing-eth1 ("target 1")');

    // A snapshot with other features is refused, naming them; so is one with an extra feature.
    await writeRenamedSnapshot(warehouse(), dataDir(), latest.file, 'c1_b9189013_renamed', (names) =>
      names.map((n) => (n === 'eth_in' ? 'eth_in_usd' : n)),
    );
    await expect(
      scoreRisk({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        snapshotId: 'c1_b9189013_renamed',
        backend: 'wasm',
      }),
    ).rejects.toThrow(
      /The risk model v1 was trained on other features than these[\s\S]*Missing: eth_in\. Unknown to it: eth_in_usd\./,
    );
    await writeRenamedSnapshot(warehouse(), dataDir(), latest.file, 'c1_b9189013_extra', (names) => [
      ...names.slice(0, -1),
      'fee_paid',
    ]);
    await expect(
      explainRisk({
        warehouse: warehouse(),
        logger,
        dataDir: dataDir(),
        snapshotId: 'c1_b9189013_extra',
        address: phisher,
        backend: 'wasm',
      }),
    ).rejects.toThrow(
      /trained on other features[\s\S]*Missing: neighbour_funding_depth_mean\. Unknown to it: fee_paid\./,
    );
    // Nothing was written for the refused snapshots.
    expect(await getRiskScores(warehouse(), 1, 'c1_b9189013_renamed')).toEqual([]);
  }, 600_000);

  it('chaingnn risk train|score|explain, with clear errors', async () => {
    const env = { CHAINGNN_DATA_DIR: cliDir(), LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    const noModel = await runCli(['risk', 'score'], env);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/^error: The warehouse has no blocks yet/);
    expect((await runCli(['import', 'phishing-eth1'], env)).code).toBe(0);
    expect((await runCli(['graph', 'build'], env)).code).toBe(0);
    const untrained = await runCli(['risk', 'score'], env);
    expect(untrained.stderr).toMatch(
      /^error: No calibrated risk model saved yet\nTrain one first: chaingnn risk train/,
    );

    const json = await runCli(['risk', 'train', '--models', 'gcn', '--epochs', '10', '--json'], env);
    expect(json.stderr).toBe('');
    const card = JSON.parse(json.stdout) as RiskModelCard;
    // Selection reads validation only: the chosen candidate has the best validation ROC-AUC of the two.
    const chosen = card.selection.candidates.find((c) => c.architecture === card.selection.chosen)!;
    for (const c of card.selection.candidates) {
      expect(chosen.validation.rocAuc).toBeGreaterThanOrEqual(c.validation.rocAuc);
    }
    expect(card).toMatchObject({ version: 1, model: { architecture: card.selection.chosen } });

    const trained = await runCli(['risk', 'train', '--models', 'gcn', '--graph-only', '--epochs', '5'], env);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(
      /^risk model v2 \(gcn, chosen on validation\), saved in .*models\/risk\/2\n/,
    );
    expect(trained.stdout).toMatch(
      / {2}missing {6}tx_failed_share, .*gas_used_mean.* \(constant in the training data/,
    );
    // phishing-eth1 has no contracts table: its labelled nodes are all accounts, so nothing to warn of.
    expect(trained.stdout).toMatch(/ {2}contracts {4}0 positive, 0 negative \(contracts, tokens and pools/);
    expect(trained.stdout).not.toMatch(/ {2}warning {6}/);
    expect(trained.stdout).toMatch(/ {2}selection {4}.*: gcn\n/);
    expect(trained.stdout).toMatch(
      / {2}calibration {2}Platt scaling on the validation nodes: σ\(\d+\.\d{3} · log-odds [-+] \d+\.\d{3}\)/,
    );
    expect(trained.stdout).toMatch(/\ngcn \(chosen\) +\d\.\d{3} +\d\.\d{3}/);
    expect(trained.stdout).toMatch(/\nmlp \(baseline\) +\d\.\d{3}/);

    const scored = await runCli(['risk', 'score'], env);
    expect(scored.code).toBe(0);
    expect(scored.stdout).toMatch(
      /^Scored snapshot c1_b9189013_f0 with risk model v2 \(gcn\) in \d+\.\d s: 3886 addresses, 3886 scored, 0 carried forward\n {2}categories {3}.*phishing \d+/,
    );
    const again = await runCli(['risk', 'score', '--incremental', '--json'], env);
    // The same snapshot was the last one scored: nothing earlier to carry from, every address is scored.
    expect(JSON.parse(again.stdout)).toMatchObject({ addresses: 3886, rescored: 3886, carriedForward: 0 });

    const explained = await runCli(['risk', 'explain', phisher, '--json'], env);
    expect(explained.code).toBe(0);
    expect((await runCli(['risk', 'explain', phisher, '--json'], env)).stdout).toBe(explained.stdout);
    expect(JSON.parse(explained.stdout)).toMatchObject({
      address: phisher,
      category: 'phishing',
      modelVersion: 2,
    });
    const text = await runCli(['risk', 'explain', phisher], env);
    expect(text.stdout).toMatch(
      new RegExp(
        `^${phisher} in snapshot c1_b9189013_f0 \\(risk model v2, gcn\\): score \\d\\.\\d{3}, category phishing\\n {2}- listed as phishing by phishing-eth1 \\("target 1"\\)\\n {2}- `,
      ),
    );

    const absent = await runCli(['risk', 'explain', `0x${'0'.repeat(40)}`], env);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(
      /^error: 0x0{40} is not in snapshot c1_b9189013_f0\nIt had no interactions/,
    );
    const malformed = await runCli(['risk', 'explain', '0x1234'], env);
    expect(malformed.stderr).toMatch(
      /^error: "0x1234" is not an address\nExpected 0x followed by 40 hex digits/,
    );
    const missing = await runCli(['risk', 'score', '--model-version', '7'], env);
    expect(missing.stderr).toMatch(/^error: No version 7 of the risk model\nSaved versions: 1, 2\./);
    // A model from chaingnn train risk has no calibration: risk score refuses it, and still finds v2 by default.
    expect((await runCli(['train', 'risk', '--epochs', '3'], env)).code).toBe(0);
    const uncalibrated = await runCli(['risk', 'score', '--model-version', '3'], env);
    expect(uncalibrated.stderr).toMatch(/^error: Risk model v3 is not calibrated\n.*chaingnn risk train/);
    const latest = await runCli(['risk', 'explain', phisher, '--json'], env);
    expect(JSON.parse(latest.stdout).modelVersion).toBe(2);
    const badModel = await runCli(['risk', 'train', '--models', 'sage,cnn'], env);
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toMatch(
      /option '--models <list>' argument 'sage,cnn' is invalid\. expected some of gcn, sage, gat, gine, got cnn/,
    );
  }, 300_000);
});
