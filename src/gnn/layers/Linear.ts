import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../utils/createRng.js';
import { assertTensor } from '../sparse/assertTensor.js';
import { checkChannels } from './checkChannels.js';
import { createWeight } from './createWeight.js';

/** Options for {@link Linear}. */
export interface LinearOptions {
  /** Adds a learned bias (default true). */
  bias?: boolean;
  /** Draws the initial weights (default: a fixed seed). */
  rng?: Rng;
}

/** A dense layer x·W + b (Glorot-initialized W [inChannels, outChannels], zero b), as PyG's Linear. */
export class Linear {
  readonly weights: Readonly<Record<string, tf.Variable>>;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: LinearOptions = {},
  ) {
    checkChannels('Linear', { inChannels, outChannels });
    const rng = options.rng ?? createRng('Linear');
    const weight = createWeight([inChannels, outChannels], 'glorot', rng);
    this.weights =
      (options.bias ?? true) ? { weight, bias: createWeight([outChannels], 'zeros', rng) } : { weight };
  }

  /** x [rows, inChannels] → [rows, outChannels]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(String(this), 'x', x, [null, this.inChannels], `${this.inChannels} input channels per row`);
    const { weight, bias } = this.weights;
    const out = tf.matMul<tf.Tensor2D>(x, weight!);
    return bias === undefined ? out : out.add<tf.Tensor2D>(bias);
  }

  /** `Linear(in, out)`. */
  toString(): string {
    return `Linear(${this.inChannels}, ${this.outChannels})`;
  }
}
