import * as tf from '@tensorflow/tfjs';

/** Options for {@link AdamW}. */
export interface AdamWOptions {
  learningRate: number;
  /** Decoupled weight decay: each step shrinks every weight by learningRate · weightDecay (default 0). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter; PyTorch's AdamW): w ← w·(1 − lr·λ) − lr · m̂ / (√v̂ + ε).
 * Its moments are allocated up front, so the tensor count stays flat from the first step on.
 */
export class AdamW {
  private readonly learningRate: number;
  private readonly weightDecay: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly slots: { variable: tf.Variable; m: tf.Variable; v: tf.Variable }[];
  private steps = 0;

  constructor(variables: readonly tf.Variable[], options: AdamWOptions) {
    this.learningRate = options.learningRate;
    this.weightDecay = options.weightDecay ?? 0;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.slots = variables.map((variable) => ({ variable, m: zerosLike(variable), v: zerosLike(variable) }));
  }

  /** One update from gradients keyed by variable name (as tf.variableGrads returns them); absent ones skip. */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.steps += 1;
    const { learningRate, weightDecay, beta1, beta2, epsilon } = this;
    const stepSize = learningRate / (1 - beta1 ** this.steps);
    const secondCorrection = Math.sqrt(1 - beta2 ** this.steps);
    tf.tidy(() => {
      for (const { variable, m, v } of this.slots) {
        const grad = grads[variable.name];
        if (grad === undefined) continue;
        m.assign(m.mul(beta1).add(grad.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(grad.square().mul(1 - beta2)));
        const decayed = weightDecay === 0 ? variable : variable.mul(1 - learningRate * weightDecay);
        const denominator = v.sqrt().div(secondCorrection).add(epsilon);
        variable.assign(decayed.sub(m.div(denominator).mul(stepSize)));
      }
    });
  }

  /** Frees the moments. */
  dispose(): void {
    for (const { m, v } of this.slots) {
      m.dispose();
      v.dispose();
    }
  }
}

/** A non-trainable variable of zeros shaped like `variable`. */
function zerosLike(variable: tf.Variable): tf.Variable {
  const zeros = tf.zerosLike(variable);
  const moment = tf.variable(zeros, false);
  zeros.dispose();
  return moment;
}
