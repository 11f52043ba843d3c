import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createTfBackend } from '../createTfBackend.js';
import { AdamW } from './AdamW.js';

const logger = createLogger({ level: 'silent' });

/** Runs `steps` AdamW steps on one variable whose gradient is always `grad`; returns its values after each. */
function run(initial: number[], grad: number[], steps: number, weightDecay: number): number[][] {
  const before = tf.memory().numTensors;
  const start = tf.tensor1d(initial);
  const variable = tf.variable(start);
  start.dispose();
  const optimizer = new AdamW([variable], { learningRate: 0.1, weightDecay });
  const values: number[][] = [];
  for (let i = 0; i < steps; i += 1) {
    tf.tidy(() => optimizer.applyGradients({ [variable.name]: tf.tensor1d(grad) }));
    values.push(Array.from(variable.dataSync()));
  }
  optimizer.dispose();
  variable.dispose();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return values;
}

describe('AdamW', () => {
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });

  it('steps by the learning rate against a constant gradient (bias-corrected m̂/√v̂ = ±1)', () => {
    const values = run([1, -1], [0.5, -2], 2, 0);
    expect(values[0]![0]).toBeCloseTo(0.9, 5);
    expect(values[0]![1]).toBeCloseTo(-0.9, 5);
    expect(values[1]![0]).toBeCloseTo(0.8, 5);
  });

  it('decays weights decoupled from the gradient: w·(1 − lr·λ) before the Adam step', () => {
    // Step 1: 1 · (1 − 0.1 · 0.1) − 0.1 = 0.89; step 2: 0.89 · 0.99 − 0.1 = 0.7811.
    const values = run([1], [0.5], 2, 0.1);
    expect(values[0]![0]).toBeCloseTo(0.89, 5);
    expect(values[1]![0]).toBeCloseTo(0.7811, 5);
  });
});
