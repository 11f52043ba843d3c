import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError } from '../../test/setup/sparseTestSupport.js';
import { createLogger } from '../internal/createLogger.js';
import { createTfBackend } from './createTfBackend.js';
import { registerFastWasmKernels } from './registerFastWasmKernels.js';

const logger = createLogger({ level: 'silent' });

/** Values in [-1, 1) from a fixed sequence, so the test needs no generator. */
function values(shape: number[], offset: number): tf.Tensor {
  const size = shape.reduce((product, axis) => product * axis, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.7 + offset)),
    shape,
  );
}

describe('registerFastWasmKernels', () => {
  let backend: BackendWasm;
  beforeAll(async () => {
    await createTfBackend({ logger, backend: 'wasm' });
    backend = tf.backend() as BackendWasm;
  });

  it.each([
    ['2-D', [5, 3], [3, 4]],
    ['batched', [2, 5, 3], [2, 3, 4]],
  ])(
    'computes %s matMuls with transposed operands as the plain product, leaking nothing',
    (_, aShape, bShape) => {
      const a = values(aShape, 0);
      const b = values(bShape, 1);
      const swap = (x: tf.Tensor) => tf.transpose(x, x.rank === 3 ? [0, 2, 1] : [1, 0]);
      const expected = tf.matMul(a, b).arraySync();
      const dataIds = backend.numDataIds();
      const cases = [
        tf.matMul(swap(a), b, true, false),
        tf.matMul(a, swap(b), false, true),
        tf.matMul(swap(a), swap(b), true, true),
      ];
      for (const product of cases) {
        expect(product.shape).toEqual([...aShape.slice(0, -1), bShape.at(-1)!]);
        expect(maxRelativeError(product.arraySync(), expected)).toBeLessThan(1e-5);
      }
      // Each swap and each product holds one buffer; the transposed copies made inside the kernel are gone.
      expect(backend.numDataIds()).toBe(dataIds + 4 + 3);
      tf.dispose(cases);
      tf.dispose([a, b]);
    },
  );

  it('multiplies aᵀ·b again with the same a as (bᵀ·a)ᵀ, the same product, leaking nothing', () => {
    const a = values([6, 3], 0);
    const expected = (b: tf.Tensor) => tf.tidy(() => tf.matMul(tf.transpose(a), b).arraySync());
    const dataIds = backend.numDataIds();
    for (const offset of [1, 2, 3]) {
      const b = values([6, 4], offset);
      // The first product records a; the later ones take the swapped path (a is packed as weights once).
      const product = tf.matMul(a, b, true, false);
      expect(product.shape).toEqual([3, 4]);
      expect(maxRelativeError(product.arraySync(), expected(b))).toBeLessThan(1e-5);
      tf.dispose([product, b]);
    }
    expect(backend.numDataIds()).toBe(dataIds);
    a.dispose();
  });

  it('makes a clone or a same-dtype cast share the data, and a real cast copy it', () => {
    const x = values([3, 2], 0);
    const dataIds = backend.numDataIds();
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(dataIds);
    const ints = tf.cast(x, 'int32');
    expect(backend.numDataIds()).toBe(dataIds + 1);
    const expected = x.arraySync();
    x.dispose();
    expect(clone.arraySync()).toEqual(expected);
    expect(same.arraySync()).toEqual(expected);
    expect(ints.dtype).toBe('int32');
    tf.dispose([clone, same, ints]);
    expect(backend.numDataIds()).toBe(dataIds - 1);
  });

  it('registers once however often it is called', async () => {
    const kernel = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
    registerFastWasmKernels();
    await createTfBackend({ logger, backend: 'wasm' });
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).toBe(kernel);
  });
});
