import { NodeModel } from '../../gnn/models/NodeModel.js';
import type { NodeArchitecture } from '../../gnn/models/nodeModelConfig.js';
import type { NodeSplit } from '../../gnn/splits/NodeSplit.js';
import type { ValidationMetric } from '../../gnn/training/computeValidationMetric.js';
import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import { type EpochProgress, trainNodeModel } from '../../gnn/training/trainNodeModel.js';
import { trainingEdgeFeatureNames } from './buildTrainingInputs.js';

/** The training settings a task model is trained with (trainTask's defaults filled in). */
export interface TaskModelSettings {
  epochs: number;
  patience: number;
  learningRate: number;
  weightDecay: number;
  /** Seeds the weights and dropout. */
  seed: number;
  /** Default 64. */
  hiddenChannels?: number | undefined;
  /** Default 2. */
  numLayers?: number | undefined;
}

/** Training settings as the pipelines' callers pass them: any of them, or none. */
export type TaskModelSettingsInput = { [K in keyof TaskModelSettings]?: TaskModelSettings[K] | undefined };

/** The settings with the defaults filled in: 100 epochs, patience 20, learning rate 0.01, weight decay 5e-4, seed 1. */
export function withTaskModelDefaults(options: TaskModelSettingsInput): TaskModelSettings {
  return {
    epochs: options.epochs ?? 100,
    patience: options.patience ?? 20,
    learningRate: options.learningRate ?? 0.01,
    weightDecay: options.weightDecay ?? 5e-4,
    seed: options.seed ?? 1,
    hiddenChannels: options.hiddenChannels,
    numLayers: options.numLayers,
  };
}

/** Options for {@link trainTaskModel}. */
export interface TrainTaskModelOptions {
  architecture: NodeArchitecture;
  /** With edge features when the architecture is gine. */
  inputs: NodeInputs;
  /** Per node: 1 positive, 0 negative, -1 not used. */
  targets: Int32Array;
  split: NodeSplit;
  settings: TaskModelSettings;
  onEpoch?: ((progress: EpochProgress) => void) | undefined;
}

/** A trained binary task model (the caller disposes it) and how its training went. */
export interface TrainedTaskModel {
  model: NodeModel;
  run: {
    epochsRun: number;
    bestEpoch: number;
    bestValidation: number;
    stoppedEarly: boolean;
    seconds: number;
  };
  monitor: ValidationMetric;
}

/**
 * Trains a binary node classifier of `architecture` on the split's train nodes with AdamW, a class-balanced
 * cross-entropy and early stopping on validation ROC-AUC; the model keeps its best epoch's weights.
 */
export async function trainTaskModel(options: TrainTaskModelOptions): Promise<TrainedTaskModel> {
  const { architecture, settings } = options;
  const model = new NodeModel({
    architecture,
    task: 'classification',
    inChannels: options.inputs.features.channels,
    outChannels: 2,
    ...(settings.hiddenChannels !== undefined ? { hiddenChannels: settings.hiddenChannels } : {}),
    ...(settings.numLayers !== undefined ? { numLayers: settings.numLayers } : {}),
    ...(architecture === 'gine' ? { edgeChannels: trainingEdgeFeatureNames.length } : {}),
    seed: settings.seed,
  });
  try {
    const started = performance.now();
    const result = await trainNodeModel({
      model,
      dataset: { ...options.inputs, targets: options.targets },
      split: options.split,
      epochs: settings.epochs,
      patience: settings.patience,
      learningRate: settings.learningRate,
      weightDecay: settings.weightDecay,
      loss: 'crossEntropy',
      classWeights: 'balanced',
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
    return {
      model,
      run: {
        epochsRun: result.history.length,
        bestEpoch: result.bestEpoch,
        bestValidation: result.best,
        stoppedEarly: result.stoppedEarly,
        seconds: (performance.now() - started) / 1000,
      },
      monitor: result.metric,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
