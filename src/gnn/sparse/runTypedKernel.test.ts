import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../internal/createLogger.js';
import { createTfBackend } from '../createTfBackend.js';
import { runTypedKernel } from './runTypedKernel.js';

const logger = createLogger({ level: 'silent' });

describe('runTypedKernel', () => {
  it('hands the kernel the tensors own arrays on cpu', async () => {
    await createTfBackend({ logger, backend: 'cpu' });
    const x = tf.tensor1d([1, 2, 3]);
    let seen: Float32Array | undefined;
    const [y] = runTypedKernel([x], [[3]], ([xs], [out]) => {
      seen = xs;
      out!.set(xs!.map((v) => v * 2));
    });
    expect(seen).toBe(x.dataSync());
    expect(Array.from(y!.dataSync())).toEqual([2, 4, 6]);
    tf.dispose([x, y!]);
  });

  it('works in the wasm heap, growing it first, and moves in tensors made on another backend', async () => {
    const onCpu = tf.tensor1d([1, 2, 3]);
    await createTfBackend({ logger, backend: 'wasm' });
    const heap = () =>
      ((tf.backend() as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer;
    const before = heap().byteLength;
    // 8M floats (32 MB) do not fit the initial 16 MB heap: views taken before the growth would be detached.
    const size = 8 * 1024 * 1024;
    const [big] = runTypedKernel([onCpu], [[size]], ([xs], [out]) => {
      expect(xs!.buffer).toBe(heap());
      expect(out!.buffer).toBe(heap());
      out!.fill(0.5);
      out!.set(xs!, size - 3);
    });
    expect(heap().byteLength).toBeGreaterThan(before);
    expect(Array.from(big!.slice([size - 4], [4]).dataSync())).toEqual([0.5, 1, 2, 3]);
    tf.dispose([onCpu, big!]);
  });

  it('frees its outputs when the kernel throws', async () => {
    await createTfBackend({ logger, backend: 'wasm' });
    const backend = tf.backend() as BackendWasm;
    const dataIds = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    expect(() =>
      runTypedKernel([], [[4]], () => {
        throw new Error('kernel failed');
      }),
    ).toThrow('kernel failed');
    expect(backend.numDataIds()).toBe(dataIds);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
