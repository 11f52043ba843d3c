import { computeAveragePrecision } from '../../gnn/metrics/computeAveragePrecision.js';
import { computeRocAuc } from '../../gnn/metrics/computeRocAuc.js';
import type { NodeModel } from '../../gnn/models/NodeModel.js';
import type { NodeArchitecture } from '../../gnn/models/nodeModelConfig.js';
import type { NodeSplit } from '../../gnn/splits/NodeSplit.js';
import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import { predictNodes } from '../../gnn/training/predictNodes.js';
import type { EpochProgress } from '../../gnn/training/trainNodeModel.js';
import type { Logger } from '../../internal/createLogger.js';
import { computeScoreMetrics } from '../training/computeScoreMetrics.js';
import { type TaskModelSettings, trainTaskModel } from '../training/trainTaskModel.js';
import { computeCalibrationError } from './computeCalibrationError.js';
import { applyPlattScaling, fitPlattScaling } from './fitPlattScaling.js';
import type { RiskCandidateSummary } from './RiskModelCard.js';
import { toRiskMargins } from './toRiskMargins.js';

/** How selectRiskModel picks the candidate (never on test nodes). */
export const riskSelectionRule = 'highest validation ROC-AUC, then validation PR-AUC, then the order given';

/** Options for {@link selectRiskModel}. */
export interface SelectRiskModelOptions {
  /** With edge features when a candidate is gine. */
  inputs: NodeInputs;
  targets: Int32Array;
  split: NodeSplit;
  /** The candidates, in order of preference on ties (the mlp baseline among them). */
  architectures: readonly NodeArchitecture[];
  /** The candidates selection may choose (default: all); the others are trained and measured only. */
  selectable?: readonly NodeArchitecture[] | undefined;
  settings: TaskModelSettings;
  /** k of precision@k (default: the test positives). */
  k?: number | undefined;
  logger: Logger;
  onEpoch?: ((progress: EpochProgress & { architecture: NodeArchitecture }) => void) | undefined;
}

/** The candidates' figures, which was chosen, and the chosen model (the caller disposes it). */
export interface RiskSelection {
  candidates: RiskCandidateSummary[];
  chosen: RiskCandidateSummary;
  model: NodeModel;
}

/**
 * Trains every candidate architecture on the split's train nodes, picks one on the validation nodes only
 * (riskSelectionRule), fits each candidate's Platt scaling on the validation nodes, and measures every candidate
 * on the test nodes with calibrated scores: ROC-AUC, PR-AUC, F1 at the validation-chosen threshold, precision@k,
 * and the expected calibration error and Brier score before and after calibration.
 */
export async function selectRiskModel(options: SelectRiskModelOptions): Promise<RiskSelection> {
  const { inputs, targets, split, logger } = options;
  const candidates: RiskCandidateSummary[] = [];
  const models: NodeModel[] = [];
  try {
    for (const architecture of options.architectures) {
      const trained = await trainTaskModel({
        architecture,
        inputs,
        targets,
        split,
        settings: options.settings,
        onEpoch: options.onEpoch && ((p) => options.onEpoch!({ ...p, architecture })),
      });
      models.push(trained.model);
      const probabilities = predictNodes(trained.model, inputs).values;
      const margins = toRiskMargins(probabilities);
      const part = (nodes: Uint32Array, values: ArrayLike<number>) => ({
        scores: Array.from(nodes, (v) => values[v]!),
        labels: Array.from(nodes, (v) => targets[v]!),
      });
      const validation = part(split.validation, margins);
      const calibration = fitPlattScaling(validation.scores, validation.labels);
      const calibrated = Float64Array.from(margins, (z) => applyPlattScaling(calibration, z));
      const raw = Float64Array.from({ length: margins.length }, (_, v) => probabilities[2 * v + 1]!);
      const { metrics } = computeScoreMetrics(calibrated, targets, split, options.k);
      const before = computeCalibrationError(part(split.test, raw).scores, part(split.test, raw).labels);
      const after = computeCalibrationError(
        part(split.test, calibrated).scores,
        part(split.test, calibrated).labels,
      );
      const candidate: RiskCandidateSummary = {
        architecture,
        run: trained.run,
        validation: {
          rocAuc: computeRocAuc(validation.scores, validation.labels),
          prAuc: computeAveragePrecision(validation.scores, validation.labels),
        },
        calibration,
        test: {
          ...metrics,
          ece: after.ece,
          brier: after.brier,
          eceUncalibrated: before.ece,
          brierUncalibrated: before.brier,
        },
        reliability: after.bins,
      };
      candidates.push(candidate);
      logger.info(
        { architecture, ...candidate.run, validation: candidate.validation, test: candidate.test },
        'risk candidate trained',
      );
    }
    const selectable = options.selectable ?? options.architectures;
    let best = -1;
    for (const [i, candidate] of candidates.entries()) {
      if (!selectable.includes(candidate.architecture)) continue;
      const a = candidate.validation;
      const b = candidates[best]?.validation;
      if (b === undefined || a.rocAuc > b.rocAuc || (a.rocAuc === b.rocAuc && a.prAuc > b.prAuc)) best = i;
    }
    for (const [i, model] of models.entries()) if (i !== best) model.dispose();
    return { candidates, chosen: candidates[best]!, model: models[best]! };
  } catch (error) {
    for (const model of models) model.dispose();
    throw error;
  }
}
