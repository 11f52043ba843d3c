import { describe, expect, it } from 'vitest';
import { allocationWeights, minProportionalScore } from './allocationWeights.js';

const tiers = [
  { minScore: 0.8, weight: 4 },
  { minScore: 0.4, weight: 2 },
  { minScore: 0, weight: 1 },
];

describe('allocationWeights', () => {
  it('gives everyone weight 1 under the flat rule', () => {
    expect(allocationWeights({ rule: 'flat' }, [0, 0.5, 1])).toEqual([1, 1, 1]);
  });

  it('gives the weight of the first tier whose minScore the score reaches', () => {
    expect(allocationWeights({ rule: 'tiered', tiers }, [1, 0.8, 0.79, 0.4, 0.39, 0])).toEqual([
      4, 4, 2, 2, 1, 1,
    ]);
  });

  it('raises the score to the exponent under the proportional rule, flooring tiny scores so none gets 0', () => {
    expect(allocationWeights({ rule: 'proportional', exponent: 1 }, [1, 0.5, 0.25])).toEqual([1, 0.5, 0.25]);
    expect(allocationWeights({ rule: 'proportional', exponent: 2 }, [1, 0.5])).toEqual([1, 0.25]);
    expect(allocationWeights({ rule: 'proportional', exponent: 2 }, [0, 1e-9])).toEqual([
      minProportionalScore ** 2,
      minProportionalScore ** 2,
    ]);
    const huge = allocationWeights({ rule: 'proportional', exponent: 1000 }, [0, 0.5, 1]);
    expect(huge.every((w) => w > 0 && Number.isFinite(w))).toBe(true);
    expect(huge[2]).toBe(1);
  });

  it('refuses scores outside [0, 1] and a score no tier covers', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      expect(() => allocationWeights({ rule: 'flat' }, [0.5, bad])).toThrow(`Engagement score 1 is ${bad}`);
    }
    expect(() => allocationWeights({ rule: 'tiered', tiers: [{ minScore: 0.5, weight: 1 }] }, [0.2])).toThrow(
      'No tier for the engagement score 0.2',
    );
  });
});
