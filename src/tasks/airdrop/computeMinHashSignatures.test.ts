import { describe, expect, it } from 'vitest';
import { createRng } from '../../utils/createRng.js';
import { computeMinHashSignatures, estimateJaccard } from './computeMinHashSignatures.js';

/** The exact Jaccard similarity of two sets. */
function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  const shared = [...left].filter((x) => right.has(x)).length;
  return shared / (left.size + right.size - shared);
}

describe('computeMinHashSignatures', () => {
  it('estimates Jaccard similarity within a few hundredths over many random pairs', () => {
    const rng = createRng(7);
    const universe = Array.from({ length: 60 }, (_, i) => `swap>0x${i.toString(16).padStart(40, '0')}`);
    const sets = Array.from({ length: 200 }, () => universe.filter(() => rng.chance(0.3)));
    const signatures = computeMinHashSignatures(sets, 256, 3);
    let worst = 0;
    let totalError = 0;
    for (let i = 0; i + 1 < sets.length; i += 2) {
      const error = Math.abs(estimateJaccard(signatures, i, i + 1) - jaccard(sets[i]!, sets[i + 1]!));
      worst = Math.max(worst, error);
      totalError += error;
    }
    expect(totalError / (sets.length / 2)).toBeLessThan(0.03);
    expect(worst).toBeLessThan(0.12);
  });

  it('gives identical sets similarity 1 and disjoint sets about 0, whatever the order and repeats', () => {
    const signatures = computeMinHashSignatures([
      ['a', 'b', 'c'],
      ['c', 'b', 'a', 'a'],
      ['x', 'y', 'z'],
    ]);
    expect(estimateJaccard(signatures, 0, 1)).toBe(1);
    expect(estimateJaccard(signatures, 0, 2)).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const sets = [
      ['a', 'b'],
      ['b', 'c'],
    ];
    expect(computeMinHashSignatures(sets, 32, 5).values).toEqual(
      computeMinHashSignatures(sets, 32, 5).values,
    );
    expect(computeMinHashSignatures(sets, 32, 5).values).not.toEqual(
      computeMinHashSignatures(sets, 32, 6).values,
    );
  });
});
