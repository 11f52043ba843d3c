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

  it.each([false, true])('has the gradient of its mask (relu: %s), the same mask as the output', (relu) => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(
      Float32Array.from({ length: 600 }, (_, i) => Math.sin(i) + 0.1),
      [30, 20],
    );
    const probe = tf.tensor2d(
      Float32Array.from({ length: 600 }, (_, i) => Math.cos(i)),
      [30, 20],
    );
    const [out, grad, plain] = tf.tidy(() => [
      applyDropout(x, 0.4, createRng(3), true, { relu }).arraySync() as number[][],
      tf
        .grad((input: tf.Tensor) => applyDropout(input, 0.4, createRng(3), true, { relu }).mul(probe).sum())(
          x,
        )
        .arraySync() as number[][],
      applyDropout(relu ? tf.relu(x) : x, 0.4, createRng(3), true).arraySync() as number[][],
    ]);
    const scale = Math.fround(1 / 0.6);
    const xs = x.arraySync();
    const probes = probe.arraySync();
    let kept = 0;
    for (const [r, row] of out.entries()) {
      for (const [c, value] of row.entries()) {
        const on = value !== 0;
        if (on) kept += 1;
        if (on) expect(value).toBe(Math.fround(xs[r]![c]! * scale));
        expect(grad[r]![c]).toBeCloseTo(on ? probes[r]![c]! * scale : 0, 5);
      }
    }
    expect(out).toEqual(plain);
    expect(kept).toBeGreaterThan(relu ? 150 : 300);
    tf.dispose([x, probe]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is the ReLU alone when not training or at rate 0', () => {
    const x = tf.tensor1d([-1, 0, 2]);
    tf.tidy(() => {
      expect(Array.from(applyDropout(x, 0.5, createRng(1), false, { relu: true }).dataSync())).toEqual([
        0, 0, 2,
      ]);
      expect(Array.from(applyDropout(x, 0, createRng(1), true, { relu: true }).dataSync())).toEqual([
        0, 0, 2,
      ]);
    });
    x.dispose();
  });
});
