import type { Logger } from 'pino';
import { createTfBackend, type TfBackendName } from '../../gnn/createTfBackend.js';
import { type NodeArchitecture, nodeArchitectures } from '../../gnn/models/nodeModelConfig.js';
import { saveModel } from '../../gnn/registry/saveModel.js';
import type { EpochProgress } from '../../gnn/training/trainNodeModel.js';
import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { buildTaskSplit, type TaskSplitKind, taskSplitKinds } from '../training/buildTaskSplit.js';
import { buildTrainingInputs, trainingEdgeFeatureNames } from '../training/buildTrainingInputs.js';
import { checkLabelCounts } from '../training/checkLabelCounts.js';
import { createLabelTask } from '../training/createLabelTask.js';
import { getNodeTask, maliciousCategories } from '../training/nodeTasks.js';
import { withTaskModelDefaults } from '../training/trainTaskModel.js';
import { countLabelledContracts, describeContractLabelRisk } from './countLabelledContracts.js';
import { crossValidateRisk } from './crossValidateRisk.js';
import { findConstantFeatures } from './findConstantFeatures.js';
import { type RiskModelCard, riskTaskName } from './RiskModelCard.js';
import { riskSelectionRule, selectRiskModel } from './selectRiskModel.js';

/** The graph architectures trained by default; the mlp baseline is always trained beside them. */
export const defaultRiskArchitectures: readonly NodeArchitecture[] = ['sage', 'gcn', 'gat'];

/** Options for {@link trainRiskModel}. */
export interface TrainRiskModelOptions {
  warehouse: Warehouse;
  logger: Logger;
  /** Snapshot files are read from, and models saved under, this directory. */
  dataDir: string;
  /** Default: the latest snapshot of the chain. */
  snapshotId?: string | undefined;
  /** Default: the only chain in the warehouse. */
  chainId?: number | undefined;
  /** Graph candidates (default sage, gcn, gat); the mlp baseline is added last. */
  architectures?: readonly NodeArchitecture[] | undefined;
  /** Whether selection may choose the mlp baseline (default true); it is trained and reported either way. */
  selectBaseline?: boolean | undefined;
  /** The categories that make an address positive (default: every malicious category); other malicious ones are left out. */
  categories?: readonly string[] | undefined;
  /** Only labels from these `address_labels` sources (default: all). */
  labelSources?: readonly string[] | undefined;
  /** Use unlabelled nodes as negatives (default false). */
  unlabelledAsNegative?: boolean | undefined;
  /** Labelled nodes needed in each class (default 10). */
  minPerClass?: number | undefined;
  /** Default stratified (60/20/20). */
  split?: TaskSplitKind | undefined;
  /** Also run stratified k-fold cross-validation with this many folds and put the report on the card. */
  crossValidation?: number | undefined;
  /** Default 100. */
  epochs?: number | undefined;
  /** Default 20. */
  patience?: number | undefined;
  /** Default 0.01. */
  learningRate?: number | undefined;
  /** Default 5e-4. */
  weightDecay?: number | undefined;
  /** Default 64. */
  hiddenChannels?: number | undefined;
  /** Default 2. */
  numLayers?: number | undefined;
  /** Seeds the split, the folds and the models (default 1). */
  seed?: number | undefined;
  /** k of precision@k (default: the test positives). */
  k?: number | undefined;
  /** The TensorFlow.js backend (default auto). */
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
  onEpoch?: ((progress: RiskTrainingProgress) => void) | undefined;
}

/** One epoch of one candidate, in the final split or in a cross-validation fold. */
export interface RiskTrainingProgress extends EpochProgress {
  architecture: NodeArchitecture;
  /** The cross-validation fold (from 0), absent for the final model. */
  fold?: number;
}

/** A trained and saved risk model. */
export interface TrainedRiskModel {
  card: RiskModelCard;
  /** The version's directory in the registry. */
  dir: string;
}

/**
 * Trains a calibrated risk model on a snapshot and saves it to the registry: derives the node labels, splits the
 * labelled nodes, trains every candidate (the graph architectures and the mlp baseline), selects one on the
 * validation nodes only, calibrates it (Platt scaling on the validation nodes), measures every candidate on the
 * test nodes, optionally cross-validates the whole procedure, and saves the chosen model with a card stating it all.
 */
export async function trainRiskModel(options: TrainRiskModelOptions): Promise<TrainedRiskModel> {
  const { logger, warehouse } = options;
  const settings = withTaskModelDefaults(options);
  const graphArchitectures = options.architectures ?? defaultRiskArchitectures;
  const architectures = [...graphArchitectures.filter((a) => a !== 'mlp'), 'mlp' as const];
  const split = options.split ?? 'stratified';
  const minPerClass = options.minPerClass ?? 10;
  checkRiskOptions({ ...options, architectures, split, minPerClass, seed: settings.seed });
  if (options.selectBaseline === false && architectures.length === 1) {
    throw new NonRetryableError('Nothing to select: only the mlp baseline, and it may not be chosen', {
      code: 'RISK_OPTIONS_INVALID',
      details: 'Name at least one graph model (sage, gcn, gat, gine), or let selection choose the baseline.',
    });
  }
  const { backend } = await createTfBackend({ logger, backend: options.backend, threads: options.threads });
  const { content } = await loadSnapshot(warehouse, options.dataDir, options);
  const { snapshot } = content;
  const task = options.categories
    ? createLabelTask({
        name: riskTaskName,
        description: `addresses labelled ${options.categories.join(', ')}`,
        positiveCategories: options.categories,
        excludedCategories: ['sybil', ...maliciousCategories.filter((c) => !options.categories!.includes(c))],
      })
    : getNodeTask(riskTaskName);
  const { targets, summary } = await task.deriveLabels({
    warehouse,
    chainId: snapshot.point.chainId,
    addresses: snapshot.nodes.addresses,
    sources: options.labelSources,
    unlabelledAsNegative: options.unlabelledAsNegative,
  });
  checkLabelCounts(task, snapshot.id, summary, minPerClass);
  const labelledContracts = countLabelledContracts(targets, snapshot.nodes.kind);
  const contractWarning = describeContractLabelRisk(labelledContracts);
  if (contractWarning) logger.warn({ labelledContracts }, contractWarning);
  const taskSplit = buildTaskSplit({ kind: split, snapshot, targets, seed: settings.seed });
  const inputs = buildTrainingInputs(content, architectures.includes('gine'));
  logger.info(
    { snapshot: snapshot.id, ...summary, split: taskSplit.description.parts },
    'risk training data ready',
  );
  const selectable =
    options.selectBaseline === false ? architectures.filter((a) => a !== 'mlp') : architectures;
  const common = { inputs, targets, architectures, selectable, settings, k: options.k, logger };
  const crossValidation =
    options.crossValidation === undefined
      ? undefined
      : await crossValidateRisk({
          ...common,
          folds: options.crossValidation,
          seed: settings.seed,
          onEpoch: options.onEpoch,
        });
  const selection = await selectRiskModel({ ...common, split: taskSplit.split, onEpoch: options.onEpoch });
  try {
    const { chosen } = selection;
    const baseline = selection.candidates.find((c) => c.architecture === 'mlp')!;
    const card: Omit<RiskModelCard, 'format' | 'version' | 'createdAt' | 'weights' | 'model'> = {
      task: riskTaskName,
      training: {
        epochs: settings.epochs,
        ...chosen.run,
        monitor: 'rocAuc',
        patience: settings.patience,
        learningRate: settings.learningRate,
        weightDecay: settings.weightDecay,
        loss: 'crossEntropy',
        classWeights: 'balanced',
        graph: 'the whole snapshot, full batch; every aggregated edge in both directions',
        ...(chosen.architecture === 'gine' ? { edgeFeatureNames: trainingEdgeFeatureNames } : {}),
        candidates: architectures,
        threshold: 'best F1 on the validation nodes (calibrated scores), applied unchanged to the test nodes',
      },
      featureNames: content.featureNames,
      normalization: content.normalizer,
      snapshotId: snapshot.id,
      split: taskSplit.description,
      metrics: chosen.test,
      baseline: { architecture: 'mlp', metrics: baseline.test },
      backend,
      labels: summary,
      calibration: { ...chosen.calibration, fittedOn: 'the validation nodes' },
      constantFeatures: findConstantFeatures(content),
      labelledContracts,
      selection: {
        by: `${riskSelectionRule}, among ${selectable.join(', ')}`,
        chosen: chosen.architecture,
        candidates: selection.candidates,
      },
      ...(crossValidation ? { crossValidation } : {}),
    };
    const saved = await saveModel(options.dataDir, selection.model, card);
    logger.info({ version: saved.version, dir: saved.dir, chosen: chosen.architecture }, 'risk model saved');
    return { card: saved.card as RiskModelCard, dir: saved.dir };
  } finally {
    selection.model.dispose();
  }
}

/** Throws, listing every problem, unless the options trainRiskModel reads itself are valid. */
function checkRiskOptions(options: {
  architectures: readonly string[];
  categories?: readonly string[] | undefined;
  split: string;
  crossValidation?: number | undefined;
  seed: number;
  minPerClass: number;
  k?: number | undefined;
}): void {
  const known = maliciousCategories as readonly string[];
  const problems = [
    ...options.architectures
      .filter((a) => !(nodeArchitectures as readonly string[]).includes(a))
      .map((a) => `model "${a}": expected some of ${nodeArchitectures.join(', ')}`),
    ...(options.categories ?? [])
      .filter((c) => !known.includes(c))
      .map((c) => `category "${c}": expected some of ${known.join(', ')}`),
    options.categories?.length === 0 ? 'categories: expected at least one' : '',
    (taskSplitKinds as readonly string[]).includes(options.split)
      ? ''
      : `split "${options.split}": expected one of ${taskSplitKinds.join(', ')}`,
    options.crossValidation === undefined ||
    (Number.isInteger(options.crossValidation) && options.crossValidation >= 3)
      ? ''
      : `cross-validation folds ${options.crossValidation}: expected an integer of at least 3`,
    Number.isSafeInteger(options.seed) ? '' : `seed ${options.seed}: expected an integer`,
    Number.isInteger(options.minPerClass) && options.minPerClass >= 3
      ? ''
      : `minPerClass ${options.minPerClass}: expected an integer of at least 3 (one per split part)`,
    options.k === undefined || (Number.isInteger(options.k) && options.k >= 1)
      ? ''
      : `k ${options.k}: expected a positive integer`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new NonRetryableError(`Invalid risk training options: ${problems.length} problem(s)`, {
      code: 'RISK_OPTIONS_INVALID',
      details: problems.map((problem) => `  - ${problem}`).join('\n'),
    });
  }
}
