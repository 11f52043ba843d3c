import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTfBackend } from '../../gnn/createTfBackend.js';
import { createLogger } from '../../internal/createLogger.js';
import { createRng } from '../../utils/createRng.js';
import { PriceSequenceModel } from './PriceSequenceModel.js';

const config = { inChannels: 3, hiddenChannels: 16, lookback: 12, dilations: [1, 2, 4], seed: 7 };

describe('PriceSequenceModel', () => {
  beforeAll(async () => {
    await createTfBackend({ logger: createLogger({ level: 'silent' }), backend: 'wasm' });
  });

  it('reads exactly the last 1 + Σ dilations windows: causal, dilated, never later ones', () => {
    const model = new PriceSequenceModel(config);
    const rng = createRng('inputs');
    const base = Float32Array.from({ length: 12 * 3 }, () => rng.normal());
    const outputOf = (values: Float32Array) =>
      tf.tidy(() => Array.from(model.apply(tf.tensor3d(values, [1, 12, 3]), false).dataSync()));
    const reference = outputOf(base);
    const reached = Array.from({ length: 12 }, (_, step) => {
      const changed = base.slice();
      for (let c = 0; c < 3; c += 1) changed[step * 3 + c]! += 1;
      return outputOf(changed).some((value, i) => value !== reference[i]);
    });
    // Receptive field 1 + 1 + 2 + 4 = 8: windows 4..11 of 12.
    expect(reached).toEqual([...Array<boolean>(4).fill(false), ...Array<boolean>(8).fill(true)]);
    model.dispose();
  });

  it('gives every weight a finite gradient and starts from its seed', () => {
    const model = new PriceSequenceModel({ ...config, dropout: 0.2 });
    const x = tf.randomNormal<tf.Rank.R3>([5, 12, 3], 0, 1, 'float32', 1);
    const { value, grads } = tf.variableGrads(() => model.apply(x, true).square().mean() as tf.Scalar);
    const names = Object.fromEntries(Object.entries(model.getWeights()).map(([name, v]) => [v.name, name]));
    expect(
      Object.keys(grads)
        .map((id) => names[id])
        .sort(),
    ).toEqual(Object.keys(model.getWeights()).sort());
    for (const grad of Object.values(grads))
      expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    const twin = new PriceSequenceModel({ ...config, dropout: 0.2 });
    expect(Array.from(twin.getWeights()['convs.1.weight1']!.dataSync())).toEqual(
      Array.from(model.getWeights()['convs.1.weight1']!.dataSync()),
    );
    expect(String(model)).toContain('(convs.2): CausalConv(16, 16, kernel 2, dilation 4)');
    expect(String(model)).toContain('(head): Linear(19, 4)');
    tf.dispose([x, value, ...Object.values(grads)]);
    model.dispose();
    twin.dispose();
  });

  it('refuses missing, extra and misshapen weights, naming them', () => {
    const model = new PriceSequenceModel(config);
    const weights = model.getWeights();
    const { 'head.bias': _bias, ...missing } = weights;
    expect(() => model.setWeights(missing)).toThrow(/Missing: head\.bias/);
    expect(() => model.setWeights({ ...weights, 'convs.9.bias': weights['head.bias']! })).toThrow(
      /Not in the model: convs\.9\.bias/,
    );
    const wrong = tf.zeros([5, 16]);
    expect(() => model.setWeights({ ...weights, 'convs.0.weight0': wrong })).toThrow(
      expect.objectContaining({
        code: 'GNN_WEIGHTS_MISMATCH',
        message: expect.stringMatching(/convs\.0\.weight0/),
      }),
    );
    wrong.dispose();
    model.dispose();
  });
});
