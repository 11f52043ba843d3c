import { describe, expect, it } from 'vitest';
import { maliciousCategories } from '../training/nodeTasks.js';
import { chooseRiskCategory } from './chooseRiskCategory.js';

describe('chooseRiskCategory', () => {
  it('takes the address’s own malicious label first, under its usual name', () => {
    expect(
      chooseRiskCategory(
        ['organic', 'drainer'],
        [{ categories: ['phishing'], hops: 1 }],
        maliciousCategories,
      ),
    ).toBe('drainer');
    expect(chooseRiskCategory(['poisoner'], [], maliciousCategories)).toBe('address_poisoning');
    // Two own categories: the first in the task's order.
    expect(chooseRiskCategory(['launderer', 'phishing'], [], maliciousCategories)).toBe('phishing');
  });

  it('otherwise weighs the labelled addresses nearby by 1 / hops', () => {
    const nearby = [
      { categories: ['launderer'], hops: 1 },
      { categories: ['phishing'], hops: 2 },
      { categories: ['phishing', 'exchange'], hops: 2 },
      { categories: ['exchange'], hops: 1 },
    ];
    // launderer 1 vs phishing ½ + ½: a tie goes to the first in order (phishing).
    expect(chooseRiskCategory(['organic'], nearby, maliciousCategories)).toBe('phishing');
    expect(chooseRiskCategory([], nearby.slice(0, 2), maliciousCategories)).toBe('launderer');
    // Only the task's categories count.
    expect(chooseRiskCategory([], nearby, ['launderer'])).toBe('launderer');
  });

  it('is unknown without malicious labels on or near the address', () => {
    expect(
      chooseRiskCategory(['exchange'], [{ categories: ['organic'], hops: 1 }], maliciousCategories),
    ).toBe('unknown');
  });
});
