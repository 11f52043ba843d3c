import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import { NodeModel } from '../models/NodeModel.js';
import type { ModelCard } from './modelCard.js';
import { listVersions, modelsDir } from './saveModel.js';

/** Options for {@link loadModel}. */
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
          : `Train one first: chaingnn train ${task}.`,
      },
    );
  }
  const dir = join(modelsDir(dataDir, task), String(chosen));
  const path = join(dir, 'card.json');
  let card: ModelCard;
  try {
    card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard;
  } catch (error) {
    throw corrupt(path, `it cannot be read as JSON (${(error as Error).message})`);
  }
  if (card?.format !== 'chaingnn.model/1' || !card.weights || !Array.isArray(card.featureNames)) {
    throw corrupt(path, 'it is not a chaingnn model card (format chaingnn.model/1)');
  }
  return { card, dir };
}

/** Loads a saved model: the card, then the weights (checked against the card's size and checksum). */
export async function loadModel(
  dataDir: string,
  task: string,
  options: LoadModelOptions = {},
): Promise<{ model: NodeModel; card: ModelCard }> {
  const { card, dir } = readModelCard(dataDir, task, options.version);
  if (options.featureNames) checkFeatures(card, options.featureNames);
  const path = join(dir, card.weights.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw corrupt(path, `it cannot be read (${(error as Error).message})`);
  }
  if (bytes.byteLength !== card.weights.bytes) {
    throw corrupt(path, `it has ${bytes.byteLength} bytes, the card says ${card.weights.bytes} (truncated?)`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== card.weights.sha256) {
    throw corrupt(path, 'its checksum does not match the card');
  }
  const model = new NodeModel(card.model);
  const specs = card.weights.manifest.flatMap((group) => group.weights);
  const data = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(data).set(bytes);
  const weights = tf.io.decodeWeights(data, specs);
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(Object.values(weights));
  }
  return { model, card };
}

function checkFeatures(card: ModelCard, featureNames: readonly string[]): void {
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

function corrupt(path: string, problem: string): NonRetryableError {
  return new NonRetryableError(`Model file ${path} is unusable: ${problem}`, {
    code: 'MODEL_FILE_INVALID',
    details: 'Retrain, or load another version (chaingnn models lists them).',
  });
}
