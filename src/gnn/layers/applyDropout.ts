import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../utils/createRng.js';
import { runTypedOp } from '../sparse/runTypedOp.js';

/** Options for {@link applyDropout}. */
export interface DropoutOptions {
  /** Applies a ReLU first, in the same pass (default false). */
  relu?: boolean;
}

/**
 * Inverted dropout while training: zeroes each element with probability `rate` and scales the rest by
 * 1 / (1 - rate), after a ReLU when `options.relu`; when not training or at rate 0, just the ReLU (or `x` itself).
 * One typed-array pass forward, no mask kept: the keep/drop draws are a xorshift32 stream seeded by one draw of
 * `rng` (so runs repeat), drawn again for the gradient; with the ReLU the gradient reads the output instead, in
 * tfjs ops (the backend's vectorized kernels pass over the arrays several times faster than a JavaScript loop). The
 * loops are branch-free: a branch on random draws mispredicts half the time, which tripled their cost.
 */
export function applyDropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  rng: Rng,
  training: boolean,
  options: DropoutOptions = {},
): T {
  const relu = options.relu ?? false;
  if (!training || rate === 0) return relu ? tf.relu(x) : x;
  const scale = Math.fround(1 / (1 - rate));
  const threshold = Math.floor(rate * 2 ** 31);
  const seed = Math.floor(rng.next() * 2 ** 32) | 1;
  const stream = { seed, threshold };
  if (relu) {
    return runTypedOp([x], {
      outputShape: x.shape,
      forward: ([xs], out) => forwardRelu(stream, scale, xs!, out),
      saves: ['output'],
      // dy · scale where the output is positive, else 0: step(out) is exactly 1 or 0, so this rounds once.
      gradient: (dy, [out]) => [dy.mul(tf.step(out!)).mul(scale)],
    }) as T;
  }
  return runTypedOp([x], {
    outputShape: x.shape,
    forward: ([xs], out) => scaleKept(stream, scale, xs!, out),
    backward: (dy, _saved, [dx]) => scaleKept(stream, scale, dy, dx!),
  }) as T;
}

/** The keep/drop draws of one dropout call: a xorshift32 seed, and the draws below `threshold` drop. */
interface DropStream {
  seed: number;
  threshold: number;
}

/** out = values times `scale` where the stream keeps them, 0 where it drops them. */
function scaleKept(
  { seed, threshold }: DropStream,
  scale: number,
  values: Float32Array,
  out: Float32Array,
): void {
  let state = seed;
  for (let i = 0; i < out.length; i += 1) {
    state = xorshift(state);
    out[i] = values[i]! * (kept(state, threshold) * scale);
  }
}

/**
 * out = ReLU(x) times `scale` where the stream keeps it, 0 where it drops it; (v + |v|) / 2 is the ReLU, exactly
 * and without a branch (the halving goes into the factor: a second product per element ran the loop 3x slower).
 */
function forwardRelu(
  { seed, threshold }: DropStream,
  scale: number,
  x: Float32Array,
  out: Float32Array,
): void {
  const half = scale * 0.5;
  let state = seed;
  for (let i = 0; i < out.length; i += 1) {
    state = xorshift(state);
    const value = x[i]!;
    out[i] = (value + Math.abs(value)) * (kept(state, threshold) * half);
  }
}

/** The next state of a xorshift32 stream (V8 inlines these helpers into the loops above). */
function xorshift(state: number): number {
  let next = state ^ (state << 13);
  next ^= next >>> 17;
  return next ^ (next << 5);
}

/** 1 when the draw `state` keeps its element (its top 31 bits at or above `threshold`), else 0, without a branch. */
function kept(state: number, threshold: number): number {
  return 1 + (((state >>> 1) - threshold) >> 31);
}
