import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Marks the kernels registered here, so a second registration leaves them as they are. */
const fast = Symbol('chaingnn.fastWasmKernel');

/**
 * Replaces three tfjs-backend-wasm kernels with equivalents that skip needless work, for every op and gradient that
 * runs on wasm: a matMul with a transposed operand (what every matMul gradient computes) transposes it first and runs
 * the plain product on XNNPACK, instead of the naive loop tfjs uses for transposed operands (about 6x slower on
 * 200k × 64 operands); Identity and a Cast to the same dtype share the input's data as on the cpu backend, instead of
 * copying it (the engine clones every tensor it saves for a gradient). Results are the same up to float rounding.
 * Call it after importing the wasm backend; a second call does nothing.
 */
export function registerFastWasmKernels(): void {
  replaceKernel('BatchMatMul', transposeFirst);
  replaceKernel('Identity', shareSameDtype);
  replaceKernel('Cast', shareSameDtype);
}

/** Registers `wrap(original)` in place of the wasm kernel `name`, keeping its setup (once). */
function replaceKernel(name: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tf.getKernel(name, 'wasm');
  if (original === undefined || fast in original.kernelFunc) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: Object.assign(wrap(original.kernelFunc), { [fast]: true }) });
}

/** BatchMatMul with each transposed operand materialized first, so the product runs untransposed. */
function transposeFirst(batchMatMul: tf.KernelFunc): tf.KernelFunc {
  const transpose = tf.getKernel('Transpose', 'wasm').kernelFunc;
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as BackendWasm;
    if (attrs?.transposeA !== true && attrs?.transposeB !== true) return batchMatMul(args);
    const made: tf.TensorInfo[] = [];
    const untransposed = (x: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
      if (!transposed) return x;
      const rank = x.shape.length;
      const perm = x.shape.map((_, axis) => (axis < rank - 2 ? axis : 2 * rank - 3 - axis));
      const out = transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      made.push(out);
      return out;
    };
    try {
      return batchMatMul({
        inputs: {
          a: untransposed(inputs.a!, attrs.transposeA === true),
          b: untransposed(inputs.b!, attrs.transposeB === true),
        },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const info of made) backend.disposeData(info.dataId);
    }
  };
}

/** Identity, or Cast to the input's own dtype, as a new reference to the input's data (numeric dtypes). */
function shareSameDtype(copy: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    const dtype = args.attrs?.dtype ?? x.dtype;
    if (x.dtype === 'string' || dtype !== x.dtype) return copy(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
