import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyCommunities } from '../../../test/setup/emptyCommunities.js';
import { useTempDir } from '../../../test/setup/testWarehouse.js';
import { createTfBackend } from '../../gnn/createTfBackend.js';
import { NodeModel } from '../../gnn/models/NodeModel.js';
import { nodeArchitectures } from '../../gnn/models/nodeModelConfig.js';
import { predictNodes } from '../../gnn/training/predictNodes.js';
import { buildCsr } from '../../graph/buildCsr.js';
import { applyNormalizer, fitNormalizer } from '../../graph/fitNormalizer.js';
import {
  edgeValuesFile,
  type SnapshotContent,
  snapshotFile,
  writeSnapshotFile,
} from '../../graph/snapshotFile.js';
import { createLogger } from '../../internal/createLogger.js';
import { edgeTypes, noToken } from '../../types/graph.js';
import { createRng } from '../../utils/createRng.js';
import type { AddressLabel } from '../../warehouse/getAddressLabels.js';
import { trainingEdgeFeatureNames } from '../training/buildTrainingInputs.js';
import { buildRiskInputs } from './buildRiskInputs.js';
import { createRiskExplainer } from './createRiskExplainer.js';
import { findConstantFeatures } from './findConstantFeatures.js';
import { findNodesWithinHops } from './findNodesWithinHops.js';
import type { RiskModelCard } from './RiskModelCard.js';
import { toRiskMargins } from './toRiskMargins.js';

const logger = createLogger({ level: 'silent' });
const featureNames = ['tx_sent', 'eth_in', 'counterparties', 'gas_used_mean'];
const nodeCount = 30;

/** A random snapshot of 30 addresses and about 70 aggregated edges (gas constant: no receipts), with its files. */
function writeRandomSnapshot(dir: string): { content: SnapshotContent; path: string } {
  const rng = createRng('createRiskExplainer.test');
  const addresses = Array.from(
    { length: nodeCount },
    (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`,
  );
  const keys = new Map<string, [number, number, number]>();
  for (let i = 0; i < 90; i += 1) {
    const [s, d] = [rng.int(0, nodeCount - 1), rng.int(0, nodeCount - 1)];
    if (s !== d) keys.set(`${s} ${d}`, [s, d, rng.int(0, 2) === 0 ? 0 : 1]);
  }
  const rows = [...keys.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const m = rows.length;
  const wei = rows.map(() => BigInt(rng.int(1, 10 ** 6)) * 10n ** 13n);
  const edges = {
    src: Uint32Array.from(rows, (r) => r[0]),
    dst: Uint32Array.from(rows, (r) => r[1]),
    // native or call
    type: Uint8Array.from(rows, (r) =>
      r[2] === 1 ? edgeTypes.indexOf('native') : edgeTypes.indexOf('call'),
    ),
    token: new Uint32Array(m).fill(noToken),
    count: Uint32Array.from(rows, () => rng.int(1, 5)),
    logTotal: Float32Array.from(wei, (w) => Math.log1p(Number(w))),
    logMax: Float32Array.from(wei, (w) => Math.log1p(Number(w))),
    firstBlock: new Uint32Array(m),
    lastBlock: new Uint32Array(m),
  };
  const values = new Uint8Array(m * 64);
  for (const [e, w] of wei.entries()) {
    for (let i = 0; i < 32; i += 1) values[e * 64 + i] = Number((w >> BigInt(8 * i)) & 255n);
  }
  const rawFeatures = Float64Array.from({ length: nodeCount * featureNames.length }, (_, i) =>
    i % featureNames.length === 3 ? 0 : rng.int(0, 50),
  );
  const normalizer = fitNormalizer(rawFeatures, featureNames);
  const content: SnapshotContent = {
    snapshot: {
      id: 'c1_b1_f0',
      point: { chainId: 1, asOfBlock: 1, asOfTime: 1, fromBlock: 0 },
      nodes: { addresses, kind: new Uint8Array(nodeCount) },
      edges,
      ...buildCsr(edges, nodeCount),
    },
    featureNames,
    rawFeatures,
    features: applyNormalizer(normalizer, rawFeatures, featureNames),
    normalizer,
    communities: emptyCommunities(nodeCount),
    valuesSha256: createHash('sha256').update(values).digest('hex'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, edgeValuesFile), values);
  const path = join(dir, snapshotFile);
  writeSnapshotFile(path, content);
  return { content, path };
}

/** The snapshot without the edges between `v` and `u` (features unchanged: occlusion drops messages only). */
function withoutEdges(content: SnapshotContent, v: number, u: number): SnapshotContent {
  const { edges } = content.snapshot;
  const keep = Array.from(edges.src.keys()).filter((e) => {
    const [s, d] = [edges.src[e]!, edges.dst[e]!];
    return !((s === v && d === u) || (s === u && d === v));
  });
  const pick = <T extends Uint8Array | Uint32Array | Float32Array>(column: T) =>
    keep.map((e) => column[e]!) as unknown as number[];
  const kept = {
    src: Uint32Array.from(pick(edges.src)),
    dst: Uint32Array.from(pick(edges.dst)),
    type: Uint8Array.from(pick(edges.type)),
    token: Uint32Array.from(pick(edges.token)),
    count: Uint32Array.from(pick(edges.count)),
    logTotal: Float32Array.from(pick(edges.logTotal)),
    logMax: Float32Array.from(pick(edges.logMax)),
    firstBlock: Uint32Array.from(pick(edges.firstBlock)),
    lastBlock: Uint32Array.from(pick(edges.lastBlock)),
  };
  return { ...content, snapshot: { ...content.snapshot, edges: kept, ...buildCsr(kept, nodeCount) } };
}

describe('createRiskExplainer', () => {
  const tmp = useTempDir('chaingnn-explainer-');
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
    'gives the whole-graph score, exact occlusions of neighbours and true gradients of features (%s)',
    (architecture) => {
      const { content, path } = writeRandomSnapshot(join(tmp(), architecture));
      const labels: AddressLabel[] = [2, 5, 11].map((v) => ({
        address: content.snapshot.nodes.addresses[v]!,
        label: `scam ${v}`,
        category: 'phishing',
        source: 'test',
      }));
      const model = new NodeModel({
        architecture,
        task: 'classification',
        inChannels: featureNames.length,
        outChannels: 2,
        hiddenChannels: 8,
        heads: 2,
        edgeChannels: trainingEdgeFeatureNames.length,
        seed: 3,
      });
      try {
        // Probabilities away from 0 and 1 whatever the random weights' scale, so that occlusions move them.
        const scale = (() => {
          const probe = buildRiskInputs(content, {
            normalization: content.normalizer,
            constantFeatures: findConstantFeatures(content),
            model: model.config,
          } as unknown as RiskModelCard);
          const raw = toRiskMargins(predictNodes(model, probe).values);
          return 1 / Math.max(1, raw.reduce((sum, m) => sum + Math.abs(m), 0) / raw.length / 2);
        })();
        const card = {
          labels: { positiveCategories: ['phishing'] },
          normalization: content.normalizer,
          constantFeatures: findConstantFeatures(content),
          calibration: { method: 'platt', a: scale, b: 0 },
          model: model.config,
        } as unknown as RiskModelCard;
        expect(card.constantFeatures).toEqual({ gas_used_mean: 0 });
        const inputs = buildRiskInputs(content, card);
        const context = { model, card, content, snapshotPath: path, inputs, labels };
        const explainer = createRiskExplainer(context, { neighbours: 100, occluded: 100, features: 4 });
        const margins = toRiskMargins(predictNodes(model, inputs).values);
        const marginOf = (changed: SnapshotContent, v: number, features = inputs.features.values) => {
          const other = buildRiskInputs(changed, card);
          other.features.values.set(features);
          return toRiskMargins(predictNodes(model, other).values)[v]!;
        };
        let occluded = 0;
        for (const v of [0, 2, 7, 13, 21, 29]) {
          const explained = explainer.explain(v);
          expect(explainer.explain(v)).toEqual(explained);
          expect(explained.margin).toBeCloseTo(margins[v]!, 4);
          expect(explained.score).toBeCloseTo(1 / (1 + Math.exp(-scale * margins[v]!)), 5);
          const within = findNodesWithinHops(content.snapshot, [v], 2);
          for (const reason of explained.reasons) {
            if (reason.kind === 'neighbour') {
              // Drop the edges between them from the whole graph and predict again: the same score.
              const u = content.snapshot.nodes.addresses.indexOf(reason.address);
              expect(within.get(u)).toBe(1);
              const without = marginOf(withoutEdges(content, v, u), v);
              expect(reason.scoreWithout).toBeCloseTo(1 / (1 + Math.exp(-scale * without)), 4);
              occluded += 1;
            } else if (reason.kind === 'feature') {
              // Gradient × input: the gradient against central differences of the whole-graph margin.
              const j = featureNames.indexOf(reason.feature);
              const x = inputs.features.values[v * featureNames.length + j]!;
              const shifted = (by: number) => {
                const features = Float32Array.from(inputs.features.values);
                features[v * featureNames.length + j]! += by;
                return marginOf(content, v, features);
              };
              const slope = (shifted(1e-2) - shifted(-1e-2)) / 2e-2;
              expect(reason.contribution / x).toBeCloseTo(slope, 1);
              expect(reason.feature).not.toBe('gas_used_mean');
            } else if (reason.kind === 'label') {
              expect(reason).toMatchObject({ source: 'test', category: 'phishing', label: `scam ${v}` });
            } else {
              for (const address of reason.addresses) {
                const u = content.snapshot.nodes.addresses.indexOf(address);
                expect(u).not.toBe(v);
                expect(within.has(u)).toBe(true);
                expect(labels.map((l) => l.address)).toContain(address);
              }
            }
          }
          expect(explained.reasons.some((r) => r.kind === 'feature')).toBe(true);
          if (v === 2) expect(explained.reasons[0]!.kind).toBe('label');
          expect(explained.category).toBe(
            v === 2 || explained.reasons.some((r) => r.kind === 'nearby') ? 'phishing' : 'unknown',
          );
        }
        // Only message passing reads edges: the mlp has no neighbour to occlude.
        if (architecture === 'mlp') expect(occluded).toBe(0);
        else expect(occluded).toBeGreaterThan(3);
      } finally {
        model.dispose();
      }
    },
  );
});
