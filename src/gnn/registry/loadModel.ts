import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { NodeModel } from '../models/NodeModel.js';
import type { ModelCard } from './modelCard.js';
import { listVersions, modelsDir } from './saveModel.js';

/** The command that trains a task's model, where it is not `chaingnn train <task>`. */
const trainCommands: Record<string, string> = { price: 'chaingnn price train', risk: 'chaingnn risk train' };

/** Options for {@link loadModel} and {@link readModelWeights}. */
export interface LoadModelOptions {
  /** Default: the latest. */
  version?: number;
  /** The features the caller will feed (e.g. a snapshot's): refused unless they are the model's, in order. */
  featureNames?: readonly string[];
}

/** Reads a task's model card (the latest version by default), with clear errors for missing or corrupt files. */
export function readModelCard(
  dataDir: string,
  task: string,
  version?: number,
): { card: ModelCard; dir: string } {
  const versions = listVersions(dataDir, task);
  const chosen = version ?? versions.at(-1);
  if (chosen === undefined || !versions.includes(chosen)) {
    throw new NonRetryableError(
      chosen === undefined ? `No ${task} model saved yet` : `No version ${chosen} of the ${task} model`,
      {
        code: 'MODEL_NOT_FOUND',
        details: versions.length
          ? `Saved versions: ${versions.join(', ')}.`
          : `Train one first: ${trainCommands[task] ?? `chaingnn train ${task}`}.`,
      },
    );
  }
  const dir = join(modelsDir(dataDir, task), String(chosen));
  const path = join(dir, 'card.json');
  let card: ModelCard;
  try {
    card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard;
  } catch (error) {
    throw modelFileInvalid(path, `it cannot be read as JSON (${(error as Error).message})`);
  }
  if (card?.format !== 'chaingnn.model/1' || !card.weights || !Array.isArray(card.featureNames)) {
    throw modelFileInvalid(path, 'it is not a chaingnn model card (format chaingnn.model/1)');
  }
  return { card, dir };
}

/**
 * Reads a saved model's card and weights (the latest version by default): refuses other features than the card's
 * (MODEL_FEATURES_MISMATCH) and a weights file whose size or checksum is not the card's (MODEL_FILE_INVALID). The
 * caller owns the returned tensors (dispose them once assigned).
 */
export function readModelWeights(
  dataDir: string,
  task: string,
  options: LoadModelOptions = {},
): { card: ModelCard<unknown>; dir: string; weights: tf.NamedTensorMap } {
  const { card, dir } = readModelCard(dataDir, task, options.version);
  if (options.featureNames) checkFeatures(card, options.featureNames);
  const path = join(dir, card.weights.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw modelFileInvalid(path, `it cannot be read (${(error as Error).message})`);
  }
  if (bytes.byteLength !== card.weights.bytes) {
    throw modelFileInvalid(
      path,
      `it has ${bytes.byteLength} bytes, the card says ${card.weights.bytes} (truncated?)`,
    );
  }
  if (createHash('sha256').update(bytes).digest('hex') !== card.weights.sha256) {
    throw modelFileInvalid(path, 'its checksum does not match the card');
  }
  const specs = card.weights.manifest.flatMap((group) => group.weights);
  const data = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(data).set(bytes);
  return { card, dir, weights: tf.io.decodeWeights(data, specs) };
}

/** Loads a saved node model: the card, then the weights (checked against the card's size and checksum). */
export async function loadModel(
  dataDir: string,
  task: string,
  options: LoadModelOptions = {},
): Promise<{ model: NodeModel; card: ModelCard }> {
  const { card, weights } = readModelWeights(dataDir, task, options);
  try {
    const model = new NodeModel(card.model as ModelCard['model']);
    try {
      model.setWeights(weights);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return { model, card: card as ModelCard };
  } finally {
    tf.dispose(Object.values(weights));
  }
}

function checkFeatures(card: ModelCard<unknown>, featureNames: readonly string[]): void {
  const same =
    featureNames.length === card.featureNames.length &&
    featureNames.every((n, i) => n === card.featureNames[i]);
  if (same) return;
  const missing = card.featureNames.filter((n) => !featureNames.includes(n));
  const extra = featureNames.filter((n) => !card.featureNames.includes(n));
  throw new NonRetryableError(
    `The ${card.task} model v${card.version} was trained on other features than these`,
    {
      code: 'MODEL_FEATURES_MISMATCH',
      details:
        `It reads ${card.featureNames.length} features; got ${featureNames.length}.` +
        (missing.length ? ` Missing: ${missing.join(', ')}.` : '') +
        (extra.length ? ` Unknown to it: ${extra.join(', ')}.` : '') +
        (!missing.length && !extra.length ? ' Same names, another order.' : '') +
        ' Rebuild the snapshot with the features the model was trained on, or train a new version.',
    },
  );
}

/** The MODEL_FILE_INVALID error for a saved model's file at `path` that cannot be used, saying why. */
export function modelFileInvalid(path: string, problem: string): NonRetryableError {
  return new NonRetryableError(`Model file ${path} is unusable: ${problem}`, {
    code: 'MODEL_FILE_INVALID',
    details: 'Retrain, or load another version (chaingnn models lists them).',
  });
}
