import type { NodeSplit } from '../../gnn/splits/NodeSplit.js';
import { buildStratifiedFolds } from './buildStratifiedFolds.js';
import type { MetricSpread, RiskCrossValidation } from './RiskModelCard.js';
import { type SelectRiskModelOptions, selectRiskModel } from './selectRiskModel.js';

/** The metrics the cross-validation report keeps (the card has the rest per split). */
const reported = ['rocAuc', 'prAuc', 'f1', 'precision', 'recall', 'ece', 'eceUncalibrated', 'brier'] as const;

/** Options for {@link crossValidateRisk}: selectRiskModel's, without the split, and the folds. */
export interface CrossValidateRiskOptions extends Omit<SelectRiskModelOptions, 'split' | 'onEpoch'> {
  folds: number;
  /** Seeds the folds. */
  seed: number;
  onEpoch?:
    | ((progress: Parameters<NonNullable<SelectRiskModelOptions['onEpoch']>>[0] & { fold: number }) => void)
    | undefined;
}

/**
 * Stratified k-fold cross-validation of the risk candidates over the labelled nodes: fold i is the test part once,
 * fold i + 1 its validation part (selection, calibration, thresholds), the other k − 2 folds train; each
 * candidate's test metrics, and those of the candidate selection chose in each fold, as mean and sample standard
 * deviation over the folds.
 */
export async function crossValidateRisk(options: CrossValidateRiskOptions): Promise<RiskCrossValidation> {
  const { targets, folds } = options;
  const parts = buildStratifiedFolds(targets, folds, options.seed);
  const perFold: RiskCrossValidation['perFold'] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const validation = (fold + 1) % folds;
    const split: NodeSplit = {
      train: Uint32Array.from(
        parts.flatMap((nodes, i) => (i === fold || i === validation ? [] : Array.from(nodes))),
      ).sort(),
      validation: parts[validation]!,
      test: parts[fold]!,
    };
    const selection = await selectRiskModel({
      ...options,
      split,
      onEpoch: options.onEpoch && ((p) => options.onEpoch!({ ...p, fold })),
    });
    selection.model.dispose();
    const count = (nodes: Uint32Array) => ({
      nodes: nodes.length,
      positives: nodes.filter((v) => targets[v] === 1).length,
    });
    perFold.push({
      parts: { train: count(split.train), validation: count(split.validation), test: count(split.test) },
      chosen: selection.chosen.architecture,
      test: Object.fromEntries(selection.candidates.map((c) => [c.architecture, pick(c.test)])),
    });
    options.logger.info({ fold, chosen: selection.chosen.architecture }, 'cross-validation fold done');
  }
  return {
    folds,
    seed: options.seed,
    scheme: `stratified ${folds}-fold over the labelled nodes; per fold: test = fold i, validation = fold i + 1 (selection, calibration, F1 threshold), train = the other ${folds - 2}`,
    perFold,
    models: Object.fromEntries(
      options.architectures.map((architecture) => [
        architecture,
        spread(perFold.map((f) => f.test[architecture]!)),
      ]),
    ),
    selected: spread(perFold.map((f) => f.test[f.chosen]!)),
  };
}

function pick(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(reported.map((name) => [name, metrics[name]!]));
}

/** Mean and sample standard deviation (n − 1) of each reported metric. */
function spread(runs: readonly Record<string, number>[]): MetricSpread {
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of reported) {
    const values = runs.map((run) => run[name]!);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[name] = m;
    std[name] =
      values.length < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  }
  return { mean, std };
}
