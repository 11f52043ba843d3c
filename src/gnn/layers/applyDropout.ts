import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../utils/createRng.js';
import { runTypedKernel } from '../sparse/runTypedKernel.js';

/**
 * Inverted dropout while training: zeroes each element with probability `rate` and scales the rest by
 * 1 / (1 - rate); `x` itself when not training or rate is 0. The mask comes from a xorshift32 stream seeded by one
 * draw of `rng` (so runs repeat), written straight into a tensor: a closure call per element costs more than the
 * layer it follows.
 */
export function applyDropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng, training: boolean): T {
  if (!training || rate === 0) return x;
  const scale = 1 / (1 - rate);
  const dropBelow = rate * 2 ** 32;
  let state = Math.floor(rng.next() * 2 ** 32) | 1;
  const [mask] = runTypedKernel([], [x.shape], (_, [out]) => {
    for (let i = 0; i < out!.length; i += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out![i] = state >>> 0 < dropBelow ? 0 : scale;
    }
  });
  return x.mul(mask!);
}
