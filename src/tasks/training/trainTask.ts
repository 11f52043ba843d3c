import type { Logger } from 'pino';
import type { TfBackendName } from '../../gnn/createTfBackend.js';
import { createTfBackend } from '../../gnn/createTfBackend.js';
import { type NodeArchitecture, nodeArchitectures } from '../../gnn/models/nodeModelConfig.js';
import type { ModelCard, ModelCardInput } from '../../gnn/registry/modelCard.js';
import { saveModel } from '../../gnn/registry/saveModel.js';
import type { EpochProgress } from '../../gnn/training/trainNodeModel.js';
import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { buildTaskSplit, type TaskSplitKind, taskSplitKinds } from './buildTaskSplit.js';
import { buildTrainingInputs, trainingEdgeFeatureNames } from './buildTrainingInputs.js';
import { checkLabelCounts } from './checkLabelCounts.js';
import { computeTaskMetrics } from './computeTaskMetrics.js';
import type { BinaryLabelSummary, NodeTask } from './NodeTask.js';
import { getNodeTask } from './nodeTasks.js';
import { trainTaskModel, withTaskModelDefaults } from './trainTaskModel.js';

/** Options for {@link trainTask}. */
export interface TrainTaskOptions {
  warehouse: Warehouse;
  logger: Logger;
  /** Snapshot files are read from, and models saved under, this directory. */
  dataDir: string;
  /** A task name (see nodeTasks) or a task definition. */
  task: string | NodeTask;
  /** Default: the latest snapshot of the chain. */
  snapshotId?: string | undefined;
  /** Default: the only chain in the warehouse. */
  chainId?: number | undefined;
  /** The model to train (default sage); an mlp baseline is trained beside it on the same split. */
  model?: NodeArchitecture | undefined;
  /** The most epochs (default 100); training stops earlier after `patience` epochs without a better validation ROC-AUC. */
  epochs?: number | undefined;
  /** Default 20. */
  patience?: number | undefined;
  /** Default 0.01. */
  learningRate?: number | undefined;
  /** Decoupled weight decay (default 5e-4). */
  weightDecay?: number | undefined;
  /** Hidden width (default 64). */
  hiddenChannels?: number | undefined;
  /** Message-passing layers (mlp: hidden dense layers; default 2). */
  numLayers?: number | undefined;
  /** Seeds the split and the models' weights and dropout (default 1): the same seed trains the same models. */
  seed?: number | undefined;
  /** Default stratified. */
  split?: TaskSplitKind | undefined;
  /** Only labels from these `address_labels` sources (default: all). */
  labelSources?: readonly string[] | undefined;
  /** Use unlabelled nodes as negatives (default false: only labelled nodes train and test). */
  unlabelledAsNegative?: boolean | undefined;
  /** Labelled nodes needed in each class (default 10). */
  minPerClass?: number | undefined;
  /** k of precision@k (default: the number of test positives). */
  k?: number | undefined;
  /** The TensorFlow.js backend (default auto). */
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
  /** After every epoch of either model. */
  onEpoch?: ((progress: TrainTaskProgress) => void) | undefined;
}

/** One epoch of the model or of the baseline. */
export interface TrainTaskProgress extends EpochProgress {
  role: 'model' | 'baseline';
  architecture: NodeArchitecture;
}

/** A task model's card: the registry's card with how its labels were derived. */
export interface TaskModelCard extends ModelCard {
  labels: BinaryLabelSummary;
}

/** A trained and saved task model. */
export interface TrainedTask {
  card: TaskModelCard;
  /** The version's directory in the registry. */
  dir: string;
}

/**
 * Trains a task's model on a graph snapshot and saves it to the registry: derives the node labels, splits the
 * labelled nodes, trains the chosen model and an mlp baseline (node features only) on the same split with AdamW,
 * class-balanced loss and early stopping on validation ROC-AUC, measures both on the test nodes (the F1 threshold
 * chosen on validation), and saves the model with a card stating the labels, split, metrics and baseline.
 */
export async function trainTask(options: TrainTaskOptions): Promise<TrainedTask> {
  const { warehouse, logger } = options;
  const task = typeof options.task === 'string' ? getNodeTask(options.task) : options.task;
  const settings = {
    model: options.model ?? 'sage',
    split: options.split ?? 'stratified',
    ...withTaskModelDefaults(options),
    minPerClass: options.minPerClass ?? 10,
  };
  checkSettings(settings, options.k);
  const { backend } = await createTfBackend({ logger, backend: options.backend, threads: options.threads });
  const { content } = await loadSnapshot(warehouse, options.dataDir, options);
  const { snapshot } = content;
  const { targets, summary } = await task.deriveLabels({
    warehouse,
    chainId: snapshot.point.chainId,
    addresses: snapshot.nodes.addresses,
    sources: options.labelSources,
    unlabelledAsNegative: options.unlabelledAsNegative,
  });
  checkLabelCounts(task, snapshot.id, summary, settings.minPerClass);
  const { split, description } = buildTaskSplit({
    kind: settings.split,
    snapshot,
    targets,
    seed: settings.seed,
  });
  const inputs = buildTrainingInputs(content, settings.model === 'gine');
  logger.info(
    { task: task.name, snapshot: snapshot.id, ...summary, split: description.parts },
    'training data ready',
  );

  const train = async (architecture: NodeArchitecture, role: TrainTaskProgress['role']) => {
    const trained = await trainTaskModel({
      architecture,
      inputs,
      targets,
      split,
      settings,
      onEpoch: options.onEpoch && ((p) => options.onEpoch!({ ...p, role, architecture })),
    });
    try {
      const evaluated = computeTaskMetrics(trained.model, inputs, targets, split, options.k);
      logger.info(
        { task: task.name, architecture, role, ...trained.run, ...evaluated.metrics },
        'model trained',
      );
      return { ...trained, ...evaluated };
    } catch (error) {
      trained.model.dispose();
      throw error;
    }
  };
  const main = await train(settings.model, 'model');
  try {
    const baseline = settings.model === 'mlp' ? main : await train('mlp', 'baseline');
    if (baseline !== main) baseline.model.dispose();
    const card: ModelCardInput & { labels: BinaryLabelSummary } = {
      task: task.name,
      training: {
        epochs: settings.epochs,
        ...main.run,
        monitor: main.monitor,
        patience: settings.patience,
        learningRate: settings.learningRate,
        weightDecay: settings.weightDecay,
        loss: 'crossEntropy',
        classWeights: 'balanced',
        graph: 'the whole snapshot, full batch; every aggregated edge in both directions',
        ...(settings.model === 'gine' ? { edgeFeatureNames: trainingEdgeFeatureNames } : {}),
        threshold: 'best F1 on the validation nodes, applied unchanged to the test nodes',
        k: main.k,
        baseline: settings.model === 'mlp' ? 'the model itself (mlp)' : baseline.run,
      },
      featureNames: content.featureNames,
      normalization: content.normalizer,
      snapshotId: snapshot.id,
      split: description,
      metrics: main.metrics,
      baseline: { architecture: 'mlp', metrics: baseline.metrics },
      backend,
      labels: summary,
    };
    const saved = await saveModel(options.dataDir, main.model, card);
    logger.info({ task: task.name, version: saved.version, dir: saved.dir }, 'model saved');
    // saveModel writes the card as given, `labels` included.
    return { card: saved.card as TaskModelCard, dir: saved.dir };
  } finally {
    main.model.dispose();
  }
}

/** Throws unless the options trainTask reads itself are valid (the model and trainer check the rest). */
function checkSettings(
  settings: { model: string; split: string; seed: number; minPerClass: number },
  k: number | undefined,
): void {
  const problems = [
    (nodeArchitectures as readonly string[]).includes(settings.model)
      ? ''
      : `model "${settings.model}": expected one of ${nodeArchitectures.join(', ')}`,
    (taskSplitKinds as readonly string[]).includes(settings.split)
      ? ''
      : `split "${settings.split}": expected one of ${taskSplitKinds.join(', ')}`,
    Number.isSafeInteger(settings.seed) ? '' : `seed ${settings.seed}: expected an integer`,
    Number.isInteger(settings.minPerClass) && settings.minPerClass >= 3
      ? ''
      : `minPerClass ${settings.minPerClass}: expected an integer of at least 3 (one per split part)`,
    k === undefined || (Number.isInteger(k) && k >= 1) ? '' : `k ${k}: expected a positive integer`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new NonRetryableError(`Invalid training options: ${problems.length} problem(s)`, {
      code: 'TRAIN_OPTIONS_INVALID',
      details: problems.map((problem) => `  - ${problem}`).join('\n'),
    });
  }
}
