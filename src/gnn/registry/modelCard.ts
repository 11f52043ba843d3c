import type * as tf from '@tensorflow/tfjs';
import type { NodeModelConfig } from '../models/nodeModelConfig.js';

/**
 * What a model card says beside its weights: enough to reproduce, judge and safely reuse the model. `TModel` is the
 * model's configuration: a node model's by default, another model's (e.g. the price sequence model's) where given.
 */
export interface ModelCard<TModel = NodeModelConfig> {
  format: 'chaingnn.model/1';
  task: string;
  version: number;
  /** Architecture and hyperparameters (rebuilds the model with the weights). */
  model: TModel;
  /** How it was trained (epochs, learning rate, loss, …). */
  training: Record<string, unknown>;
  /** The features it reads, in order, and the normalization fitted on its training data. */
  featureNames: string[];
  normalization: unknown;
  snapshotId: string;
  /** How nodes were split (kind, sizes, seed, cut times). */
  split: Record<string, unknown>;
  /** Held-out metrics of the model, and of the non-graph baseline beside it. */
  metrics: Record<string, number>;
  baseline: { architecture: string; metrics: Record<string, number> } | null;
  createdAt: string;
  /** The TensorFlow.js backend it was trained on. */
  backend: string;
  weights: { file: string; bytes: number; sha256: string; manifest: tf.io.WeightsManifestConfig };
}

/** The fields a caller provides when saving (the registry fills in format, version, time and weights). */
export type ModelCardInput = Omit<ModelCard, 'format' | 'version' | 'createdAt' | 'weights' | 'model'>;
