import type { NodeArchitecture } from '../../gnn/models/nodeModelConfig.js';
import type { TaskModelCard } from '../training/trainTask.js';
import type { ReliabilityBin } from './computeCalibrationError.js';
import type { LabelledContracts } from './countLabelledContracts.js';
import type { PlattScaling } from './fitPlattScaling.js';

/** The registry task risk models are saved under (beside `chaingnn train risk`'s uncalibrated ones). */
export const riskTaskName = 'risk';

/** A candidate model of a risk training run, as the card reports it. */
export interface RiskCandidateSummary {
  architecture: NodeArchitecture;
  /** Epochs run, best epoch, seconds. */
  run: Record<string, number | boolean>;
  /** What selection compared: ROC-AUC and PR-AUC on the validation nodes. */
  validation: { rocAuc: number; prAuc: number };
  /** Fitted on the validation nodes. */
  calibration: PlattScaling;
  /** On the test nodes, calibrated: ROC-AUC, PR-AUC, F1 (threshold from validation), ECE and Brier before and after. */
  test: Record<string, number>;
  /** The calibrated test scores' reliability bins. */
  reliability: ReliabilityBin[];
}

/** Mean and sample standard deviation of each metric over the folds. */
export interface MetricSpread {
  mean: Record<string, number>;
  std: Record<string, number>;
}

/** A stratified k-fold cross-validation of the risk candidates. */
export interface RiskCrossValidation {
  folds: number;
  seed: number;
  /** How each fold is split. */
  scheme: string;
  /** Per fold: the nodes and positives of each part, the architecture selection chose, each candidate's test metrics. */
  perFold: {
    parts: Record<'train' | 'validation' | 'test', { nodes: number; positives: number }>;
    chosen: NodeArchitecture;
    test: Partial<Record<NodeArchitecture, Record<string, number>>>;
  }[];
  /** Each candidate's test metrics over the folds, and those of the model selection chose in each fold. */
  models: Partial<Record<NodeArchitecture, MetricSpread>>;
  selected: MetricSpread;
}

/** A risk model's card: a task card with its calibration, how it was selected, and the cross-validation when run. */
export interface RiskModelCard extends TaskModelCard {
  calibration: PlattScaling & { fittedOn: string };
  /**
   * Features constant over the training snapshot (a group the data lacked, such as gas without receipts), with
   * their value: scoring holds them at it, so the model never reads values it was not trained on.
   */
  constantFeatures: Record<string, number>;
  /** The contracts (contracts, tokens, pools) among the labelled nodes, by class (cards from before it lack it). */
  labelledContracts?: LabelledContracts;
  selection: { by: string; chosen: NodeArchitecture; candidates: RiskCandidateSummary[] };
  crossValidation?: RiskCrossValidation;
}
