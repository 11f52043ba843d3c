import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createTfBackend } from '../createTfBackend.js';
import { computeNodeLoss, type NodeLoss } from './computeNodeLoss.js';

const logger = createLogger({ level: 'silent' });

/** The loss of the given rows as a number. */
function lossOf(output: number[][], targets: number[][], weights: number[], loss: NodeLoss): number {
  return tf.tidy(() =>
    computeNodeLoss(tf.tensor2d(output), tf.tensor2d(targets), tf.tensor1d(weights), loss).arraySync(),
  );
}

describe('computeNodeLoss', () => {
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
  });

  // Row 0: logits (0, 0), class 0, p = ½; row 1: logits (2, 0), class 1, p = 1 / (1 + e²); weights 1 and 3.
  const logits = [
    [0, 0],
    [2, 0],
  ];
  const classes = [
    [1, 0],
    [0, 1],
  ];
  const p = [0.5, 1 / (1 + Math.exp(2))];

  it('weights cross-entropy per row and divides by the total weight', () => {
    const expected = (1 * -Math.log(p[0]!) + 3 * -Math.log(p[1]!)) / 4;
    expect(lossOf(logits, classes, [1, 3], { kind: 'crossEntropy' })).toBeCloseTo(expected, 5);
    expect(lossOf(logits, classes, [1, 0], { kind: 'crossEntropy' })).toBeCloseTo(Math.log(2), 5);
  });

  it('scales cross-entropy by (1 − p)^gamma for focal loss', () => {
    const focal = (q: number) => (1 - q) ** 2 * -Math.log(q);
    const expected = (focal(p[0]!) + 3 * focal(p[1]!)) / 4;
    expect(lossOf(logits, classes, [1, 3], { kind: 'focal', gamma: 2 })).toBeCloseTo(expected, 5);
    expect(lossOf(logits, classes, [1, 3], { kind: 'focal', gamma: 0 })).toBeCloseTo(
      lossOf(logits, classes, [1, 3], { kind: 'crossEntropy' }),
      6,
    );
  });

  it('averages squared errors over a row for regression', () => {
    expect(lossOf([[1, 2]], [[0, 4]], [2], { kind: 'meanSquaredError' })).toBeCloseTo(2.5, 6);
  });
});
