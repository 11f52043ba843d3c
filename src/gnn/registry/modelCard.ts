import type * as tf from '@tensorflow/tfjs';
import type { NodeModelConfig } from '../models/nodeModelConfig.js';

/** What a model card says beside its weights: enough to reproduce, judge and safely reuse the model. */
export interface ModelCard {
  format: 'chaingnn.model/1';
  task: string;
  version: number;
  /** Architecture and hyperparameters (rebuilds the model with the weights). */
  model: NodeModelConfig;
  /** How it was trained (epochs, learning rate, loss, …). */
  training: Record<string, unknown>;
  /** The node features it reads, in order, and the normalization fitted on its training snapshot. */
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
