import * as tf from '@tensorflow/tfjs';
import { runTypedKernel } from './runTypedKernel.js';

/**
 * A differentiable op whose forward pass is a typed-array kernel (see {@link runTypedOp}), and whose gradient is a
 * typed-array kernel (`backward`) or tfjs ops (`gradient`, where the backend's vectorized kernels are faster).
 */
export type TypedOp = {
  outputShape: readonly number[];
  /** Computes the output from the inputs; must write every element of `output`. */
  forward: (inputs: Float32Array[], output: Float32Array) => void;
  /** What the gradient reads besides dy, in this order: inputs by position, and/or the op's output. */
  saves?: readonly (number | 'output')[];
} & (
  | {
      /** Writes the gradient of every input (each in the shape of its input, every element) from dy and `saved`. */
      backward: (dy: Float32Array, saved: Float32Array[], grads: Float32Array[]) => void;
    }
  | {
      /** The gradient of every input (each in the shape of its input) from dy and `saved`, in tfjs ops. */
      gradient: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
    }
);

/** Runs `op` on `inputs` as one tfjs op with `op`'s gradient (tf.customGrad), copying nothing on cpu/wasm. */
export function runTypedOp(inputs: readonly tf.Tensor[], op: TypedOp): tf.Tensor {
  const differentiable = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    const save = args[inputs.length] as tf.GradSaveFunc;
    const [value] = runTypedKernel(tensors, [op.outputShape], (arrays, [output]) =>
      op.forward(arrays, output!),
    );
    save((op.saves ?? []).map((which) => (which === 'output' ? value! : tensors[which]!)));
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        'gradient' in op
          ? tf.tidy(() => op.gradient(dy, saved))
          : runTypedKernel(
              [dy, ...saved],
              tensors.map((tensor) => tensor.shape),
              ([dyArray, ...savedArrays], grads) => op.backward(dyArray!, savedArrays, grads),
            ),
    };
  });
  return differentiable(...inputs);
}
