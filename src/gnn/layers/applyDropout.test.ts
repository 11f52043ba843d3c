import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { createTfBackend } from '../createTfBackend.js';
import { applyDropout } from './applyDropout.js';

const logger = createLogger({ level: 'silent' });

describe('applyDropout', () => {
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });

  it('zeroes about `rate` of the elements and scales the rest by 1 / (1 - rate), the same mask for the same seed', () => {
    const before = tf.memory().numTensors;
    const x = tf.ones([100, 100]);
    const drop = (seed: number) =>
      tf.tidy(() => Array.from(applyDropout(x, 0.3, createRng(seed), true).dataSync()));
    const values = drop(1);
    const zeros = values.filter((v) => v === 0).length;
    expect(zeros / values.length).toBeGreaterThan(0.28);
    expect(zeros / values.length).toBeLessThan(0.32);
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.7)]));
    expect(drop(1)).toEqual(values);
    expect(drop(2)).not.toEqual(values);
    expect(applyDropout(x, 0.3, createRng(1), false)).toBe(x);
    expect(applyDropout(x, 0, createRng(1), true)).toBe(x);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
