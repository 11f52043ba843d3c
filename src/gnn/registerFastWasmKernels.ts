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

/**
 * BatchMatMul with each transposed operand materialized first, so the product runs untransposed. XNNPACK packs the
 * right operand as its weights on every call (about as long as the product itself for 200k × 64), but keeps the
 * packing for as long as that tensor's data lives; so aᵀ·b with an `a` seen in that place before (a weight gradient
 * of a layer whose input is the same tensor every epoch) runs as (bᵀ·a)ᵀ, with `a` as the weights, packed once.
 */
function transposeFirst(batchMatMul: tf.KernelFunc): tf.KernelFunc {
  const transpose = tf.getKernel('Transpose', 'wasm').kernelFunc;
  // The data of every left operand `a` of an aᵀ·b product so far.
  const seenTransposed = new WeakSet<object>();
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
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const a = inputs.a!;
    const b = inputs.b!;
    try {
      if (
        attrs.transposeA === true &&
        attrs.transposeB !== true &&
        a.shape.length === 2 &&
        b.shape.length === 2
      ) {
        if (seenTransposed.has(a.dataId)) {
          const swapped = batchMatMul({ inputs: { a: untransposed(b, true), b: a }, backend, attrs: plain });
          made.push(swapped as tf.TensorInfo);
          return transpose({ inputs: { x: swapped as tf.TensorInfo }, backend, attrs: { perm: [1, 0] } });
        }
        seenTransposed.add(a.dataId);
      }
      return batchMatMul({
        inputs: {
          a: untransposed(a, attrs.transposeA === true),
          b: untransposed(b, attrs.transposeB === true),
        },
        backend,
        attrs: plain,
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
