import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NonRetryableError } from '../../internal/errors.js';
import type { ModelCard, ModelCardInput } from './modelCard.js';

/** What the registry saves of a model: its configuration (into the card) and its named weights. */
export interface SavableModel<TConfig = unknown> {
  readonly config: TConfig;
  getWeights(): Record<string, tf.Variable>;
}

/** What a task name may be: lower-case letters, digits, - and _ (a directory under `<dataDir>/models`). */
export const taskNamePattern = /^[a-z][a-z0-9_-]*$/;

/** The directory of a task's models: `<dataDir>/models/<task>/`. */
export function modelsDir(dataDir: string, task: string): string {
  if (!taskNamePattern.test(task)) {
    throw new NonRetryableError(`"${task}" is not a task name`, {
      code: 'MODEL_TASK_INVALID',
      details: 'Expected lower-case letters, digits, - and _ (e.g. risk, airdrop, price).',
    });
  }
  return join(dataDir, 'models', task);
}

/** The saved versions of a task, ascending. */
export function listVersions(dataDir: string, task: string): number[] {
  try {
    return readdirSync(modelsDir(dataDir, task))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Saves a model as the task's next version, `<dataDir>/models/<task>/<version>/`: `weights.bin` (tfjs's weight
 * encoding), `model.json` (tfjs's weights manifest) and `card.json` (the model card, with the weights' checksum).
 * Written under a temporary name and renamed: a crash leaves no half-saved version.
 */
export async function saveModel<TConfig>(
  dataDir: string,
  model: SavableModel<TConfig>,
  card: ModelCardInput,
): Promise<{ version: number; dir: string; card: ModelCard<TConfig> }> {
  const root = modelsDir(dataDir, card.task);
  mkdirSync(root, { recursive: true });
  const { data, specs } = await tf.io.encodeWeights(model.getWeights());
  const bytes = new Uint8Array(data);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: specs }];
  const staging = join(root, `.saving-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    writeFileSync(join(staging, 'weights.bin'), bytes);
    writeFileSync(
      join(staging, 'model.json'),
      JSON.stringify({ format: 'chaingnn.node-model', weightsManifest: manifest }),
    );
    for (let attempt = 0; ; attempt += 1) {
      const version = (listVersions(dataDir, card.task).at(-1) ?? 0) + 1;
      const full: ModelCard<TConfig> = {
        format: 'chaingnn.model/1',
        ...card,
        version,
        model: model.config,
        createdAt: new Date().toISOString(),
        weights: {
          file: 'weights.bin',
          bytes: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          manifest,
        },
      };
      writeFileSync(join(staging, 'card.json'), `${JSON.stringify(full, null, 2)}\n`);
      const dir = join(root, String(version));
      try {
        renameSync(staging, dir);
        return { version, dir, card: full };
      } catch (error) {
        // Another process took this version first: take the next one.
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 10) throw error;
      }
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
