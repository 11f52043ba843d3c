import type { Logger } from 'pino';
import { computeAveragePrecision } from '../../gnn/metrics/computeAveragePrecision.js';
import { computeRocAuc } from '../../gnn/metrics/computeRocAuc.js';
import type { NodeArchitecture } from '../../gnn/models/nodeModelConfig.js';
import { predictNodes } from '../../gnn/training/predictNodes.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { applyPlattScaling, fitPlattScaling } from '../risk/fitPlattScaling.js';
import { toRiskMargins } from '../risk/toRiskMargins.js';
import { buildTrainingInputs } from '../training/buildTrainingInputs.js';
import { trainTaskModel } from '../training/trainTaskModel.js';
import { buildGroupedFolds } from './buildGroupedFolds.js';

/** Options for {@link crossFitSybilModel}. */
export interface CrossFitSybilOptions {
  content: SnapshotContent;
  /** Per eligible address: its snapshot node. */
  nodes: readonly number[];
  /** Per eligible address: 1 sybil, 0 genuine (what the model learns). */
  targets: Int32Array;
  /** Per eligible address: its group (funding tree); a group stays in one fold. */
  groups: Int32Array;
  architecture: NodeArchitecture;
  /** At most this many folds; fewer when fewer groups hold positives. */
  folds: number;
  epochs: number;
  seed: number;
  logger: Logger;
}

/** Out-of-fold sybil probabilities, or why there are none. */
export type SybilModelResult =
  | {
      trained: true;
      /** Per eligible address: calibrated P(sybil) from the model of the fold that did not train on it. */
      probabilities: Float64Array;
      /** The out-of-fold ROC-AUC and PR-AUC against the targets it learned, and the number of folds. */
      rocAuc: number;
      prAuc: number;
      folds: number;
    }
  | { trained: false; reason: string };

/**
 * Cross-fitting: the eligible addresses are dealt into grouped folds; for each fold a model of `architecture` is
 * trained on the others but the next (which validates: early stopping, then Platt scaling of its log-odds, since
 * class-balanced training inflates probabilities) and predicts that fold, so every address's probability comes from
 * a model, and a calibration, that never saw its label or its funding tree's labels.
 */
export async function crossFitSybilModel(options: CrossFitSybilOptions): Promise<SybilModelResult> {
  const { targets, nodes } = options;
  const positiveGroups = new Set(Array.from(options.groups).filter((_, row) => targets[row] === 1)).size;
  const negatives = targets.length - targets.reduce((sum, t) => sum + (t === 1 ? 1 : 0), 0);
  // Each fold is the test part once and the validation part once: every fold needs a positive group and negatives.
  const folds = Math.min(options.folds, positiveGroups, negatives);
  if (folds < 3) {
    return {
      trained: false,
      reason: `${positiveGroups} funding tree(s) with sybil examples and ${negatives} genuine examples: at least 3 of each are needed for cross-fitting`,
    };
  }
  const inputs = buildTrainingInputs(options.content, options.architecture === 'gine');
  const parts = buildGroupedFolds(options.groups, targets, folds, options.seed);
  const nodeTargets = new Int32Array(options.content.snapshot.nodes.addresses.length).fill(-1);
  for (const [row, node] of nodes.entries()) if (node >= 0) nodeTargets[node] = targets[row]!;
  const toNodes = (rows: Iterable<number>) =>
    Uint32Array.from([...rows].map((row) => nodes[row]!).filter((node) => node >= 0)).sort();
  const probabilities = new Float64Array(targets.length);
  for (let fold = 0; fold < folds; fold += 1) {
    const validation = (fold + 1) % folds;
    const train = parts.flatMap((rows, f) => (f === fold || f === validation ? [] : Array.from(rows)));
    const { model } = await trainTaskModel({
      architecture: options.architecture,
      inputs,
      targets: nodeTargets,
      split: { train: toNodes(train), validation: toNodes(parts[validation]!), test: toNodes(parts[fold]!) },
      settings: {
        epochs: options.epochs,
        patience: Math.max(5, Math.round(options.epochs / 5)),
        learningRate: 0.01,
        weightDecay: 5e-4,
        seed: options.seed + fold,
      },
    });
    try {
      const margins = toRiskMargins(predictNodes(model, inputs).values);
      const marginOf = (row: number) => (nodes[row]! >= 0 ? margins[nodes[row]!]! : Number.NEGATIVE_INFINITY);
      const held = Array.from(parts[validation]!);
      const calibration = fitPlattScaling(
        held.map(marginOf),
        held.map((row) => targets[row]!),
      );
      for (const row of parts[fold]!) probabilities[row] = applyPlattScaling(calibration, marginOf(row));
    } finally {
      model.dispose();
    }
    options.logger.info({ fold: fold + 1, of: folds }, 'sybil model fold done');
  }
  return {
    trained: true,
    probabilities,
    rocAuc: computeRocAuc(probabilities, targets),
    prAuc: computeAveragePrecision(probabilities, targets),
    folds,
  };
}
