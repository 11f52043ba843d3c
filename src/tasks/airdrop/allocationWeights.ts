import { NonRetryableError } from '../../internal/errors.js';
import type { AllocationRule } from './campaignSchema.js';

/**
 * The score below which the proportional rule counts a score as this one: a recipient who qualified with an
 * engagement score of 0 still gets a positive share (at exponent 1, a millionth of a top scorer's).
 */
export const minProportionalScore = 1e-6;

/**
 * Each recipient's allocation weight from its engagement score (in [0, 1]): `flat` 1; `tiered` the weight of the
 * first tier whose minScore ≤ the score; `proportional` max(score, {@link minProportionalScore})^exponent (never
 * below the smallest positive double, so a huge exponent cannot make a weight 0). Every weight is finite and > 0.
 */
export function allocationWeights(rule: AllocationRule, scores: readonly number[]): number[] {
  for (let i = 0; i < scores.length; i += 1) {
    const score = scores[i]!;
    if (!(score >= 0 && score <= 1)) {
      throw new NonRetryableError(`Engagement score ${i} is ${score}`, {
        code: 'ALLOCATION_INVALID',
        details: 'Expected every engagement score to be a number in [0, 1].',
      });
    }
  }
  switch (rule.rule) {
    case 'flat':
      return scores.map(() => 1);
    case 'tiered':
      return scores.map((score) => {
        const tier = rule.tiers.find((t) => t.minScore <= score);
        if (tier === undefined) {
          throw new NonRetryableError(`No tier for the engagement score ${score}`, {
            code: 'ALLOCATION_INVALID',
            details: 'Expected the last tier to have minScore 0, so that every recipient falls in a tier.',
          });
        }
        return tier.weight;
      });
    case 'proportional':
      return scores.map((score) =>
        Math.max(Math.max(score, minProportionalScore) ** rule.exponent, Number.MIN_VALUE),
      );
  }
}
