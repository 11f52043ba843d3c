import * as tf from '@tensorflow/tfjs';
import { applyDropout } from '../../gnn/layers/applyDropout.js';
import { createWeight } from '../../gnn/layers/createWeight.js';
import { Linear } from '../../gnn/layers/Linear.js';
import { assignNamedWeights } from '../../gnn/models/assignNamedWeights.js';
import { NonRetryableError } from '../../internal/errors.js';
import { createRng, type Rng } from '../../utils/createRng.js';
import {
  type PriceSequenceModelConfig,
  type PriceSequenceModelConfigInput,
  parsePriceSequenceModelConfig,
} from './priceSequenceModelConfig.js';

/** The columns of {@link PriceSequenceModel.apply}'s output, in order. */
export const priceSequenceOutputs = ['mean', 'lower', 'upper', 'directionLogit'] as const;

/** The quantiles the lower and upper outputs are trained for. */
export const priceSequenceQuantiles = { lower: 0.1, upper: 0.9 } as const;

/** The weights of one causal convolution layer: the current window's and the `dilation`-earlier window's. */
interface CausalConv {
  dilation: number;
  inChannels: number;
  weight0: tf.Variable;
  weight1: tf.Variable;
  bias: tf.Variable;
}

/**
 * A temporal convolutional network over a token's window sequence: causal convolutions of kernel 2, layer k
 * h' = ReLU(h_t·W0 + h_{t−d}·W1 + b) (+ h where the widths match), then the last window's hidden state next to the
 * last window's raw features (a linear skip: it can do at least what a linear model on the current row does) into a
 * linear head with 4 outputs: the mean return, the 0.1 and 0.9 quantiles, and the logit of a positive return.
 * Convolutions are matMul + pad/slice (no conv1d, whose gradients the wasm backend gets wrong).
 */
export class PriceSequenceModel {
  readonly config: PriceSequenceModelConfig;
  private readonly convs: readonly CausalConv[];
  private readonly head: Linear;
  private readonly dropoutRng: Rng;

  /** Builds the layers from the configuration, initial weights drawn from its seed. */
  constructor(config: PriceSequenceModelConfigInput) {
    this.config = parsePriceSequenceModelConfig(config);
    const { inChannels, hiddenChannels, dilations } = this.config;
    const rng = createRng(`PriceSequenceModel/${this.config.seed}`);
    this.convs = dilations.map((dilation, k) => {
      const layerRng = rng.fork(`convs.${k}`);
      const channels = k === 0 ? inChannels : hiddenChannels;
      return {
        dilation,
        inChannels: channels,
        weight0: createWeight([channels, hiddenChannels], 'glorot', layerRng),
        weight1: createWeight([channels, hiddenChannels], 'glorot', layerRng),
        bias: createWeight([hiddenChannels], 'zeros', layerRng),
      };
    });
    this.head = new Linear(hiddenChannels + inChannels, priceSequenceOutputs.length, {
      rng: rng.fork('head'),
    });
    this.dropoutRng = rng.fork('dropout');
  }

  /** x [batch, lookback, inChannels] (standardised, oldest window first) → raw outputs [batch, 4]. */
  apply(x: tf.Tensor3D, training: boolean): tf.Tensor2D {
    const { lookback, inChannels, hiddenChannels, dropout } = this.config;
    const [batch, length, channels] = x.shape;
    if (length !== lookback || channels !== inChannels) {
      throw new NonRetryableError(`PriceSequenceModel got input [${x.shape.join(', ')}]`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: `Expected [batch, ${lookback}, ${inChannels}]: ${lookback} windows of ${inChannels} features each.`,
      });
    }
    let h: tf.Tensor3D = x;
    for (const conv of this.convs) {
      const flat = h.reshape<tf.Tensor2D>([batch * lookback, conv.inChannels]);
      const current = tf.matMul(flat, conv.weight0).reshape<tf.Tensor3D>([batch, lookback, hiddenChannels]);
      const earlier = tf.matMul(flat, conv.weight1).reshape<tf.Tensor3D>([batch, lookback, hiddenChannels]);
      // shift(h, d)·W1 = shift(h·W1, d): zeros before the first window stay zeros.
      const mixed = current.add(shiftInTime(earlier, conv.dilation)).add<tf.Tensor3D>(conv.bias);
      const out = applyDropout(mixed, dropout, this.dropoutRng, training, { relu: true });
      h = conv.inChannels === hiddenChannels ? out.add<tf.Tensor3D>(h) : out;
    }
    const last = (t: tf.Tensor3D, width: number) =>
      t.slice([0, lookback - 1, 0], [batch, 1, width]).reshape<tf.Tensor2D>([batch, width]);
    return this.head.apply(tf.concat([last(h, hiddenChannels), last(x, inChannels)], 1));
  }

  /** Every trainable weight by name (`convs.0.weight0`, `head.bias`, ...), in a fixed order; do not dispose them. */
  getWeights(): Record<string, tf.Variable> {
    return Object.fromEntries([
      ...this.convs.flatMap((conv, k) => [
        [`convs.${k}.weight0`, conv.weight0] as const,
        [`convs.${k}.weight1`, conv.weight1] as const,
        [`convs.${k}.bias`, conv.bias] as const,
      ]),
      ...Object.entries(this.head.weights).map(([name, variable]) => [`head.${name}`, variable] as const),
    ]);
  }

  /** Sets every weight from `weights` (as {@link getWeights} names them); refuses missing, extra or misshapen ones. */
  setWeights(weights: tf.NamedTensorMap): void {
    assignNamedWeights(this.getWeights(), weights, 'price sequence model');
  }

  /** The trainable variables, in {@link getWeights} order. */
  get variables(): tf.Variable[] {
    return Object.values(this.getWeights());
  }

  /** The architecture, one line per layer, as PyG prints a module. */
  toString(): string {
    const lines = [
      ...this.convs.map(
        (conv, k) =>
          `  (convs.${k}): CausalConv(${conv.inChannels}, ${this.config.hiddenChannels}, kernel 2, dilation ${conv.dilation})`,
      ),
      `  (head): ${this.head}`,
    ];
    return `PriceSequenceModel(tcn, lookback ${this.config.lookback}, dropout ${this.config.dropout},\n${lines.join('\n')}\n)`;
  }

  /** Frees the weights. */
  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

/** h shifted `steps` windows later along the time axis: out[:, t] = h[:, t − steps], zeros before the start. */
function shiftInTime(h: tf.Tensor3D, steps: number): tf.Tensor3D {
  const [batch, length, channels] = h.shape;
  return h
    .pad<tf.Tensor3D>([
      [0, 0],
      [steps, 0],
      [0, 0],
    ])
    .slice([0, 0, 0], [batch, length, channels]);
}
