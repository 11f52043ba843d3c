import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { createRng } from '../../utils/createRng.js';
import { allocateBudget } from './allocateBudget.js';

/** `w` as an exact fraction num / 2^k, found by doubling (exact for doubles) until it is an integer. */
function toFraction(w: number): { num: bigint; k: number } {
  let k = 0;
  let x = w;
  while (!Number.isInteger(x)) {
    x *= 2;
    k += 1;
  }
  return { num: BigInt(x), k };
}

/**
 * The documented rule, written the slow and obvious way: cap everyone whose share exceeds the cap and re-split the
 * rest until nobody does; floors; leftover units one each by remainder (descending), ties to the lower index.
 */
function reference(budget: bigint, weights: readonly number[], cap?: bigint): bigint[] {
  const fractions = weights.map(toFraction);
  const maxK = Math.max(...fractions.map((f) => f.k));
  const w = fractions.map((f) => f.num << BigInt(maxK - f.k));
  const capped = new Set<number>();
  for (;;) {
    const left = budget - BigInt(capped.size) * (cap ?? 0n);
    const weight = w.reduce((sum, x, i) => (capped.has(i) ? sum : sum + x), 0n);
    const over = w
      .map((_, i) => i)
      .filter((i) => !capped.has(i) && cap !== undefined && left * w[i]! > cap * weight);
    if (over.length === 0) break;
    for (const i of over) capped.add(i);
  }
  const left = budget - BigInt(capped.size) * (cap ?? 0n);
  const weight = w.reduce((sum, x, i) => (capped.has(i) ? sum : sum + x), 0n);
  const amounts = w.map((x, i) => (capped.has(i) ? cap! : (left * x) / weight));
  const remainders = w.map((x, i) => (capped.has(i) ? -1n : (left * x) % weight));
  let leftover = budget - amounts.reduce((a, b) => a + b, 0n);
  const order = w
    .map((_, i) => i)
    .sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
  for (const i of order) {
    if (leftover === 0n) break;
    amounts[i]! += 1n;
    leftover -= 1n;
  }
  return amounts;
}

const sum = (amounts: readonly bigint[]) => amounts.reduce((a, b) => a + b, 0n);

const awkwardBudgets = [1n, 2n, 97n, 1_000_003n, 10n ** 30n + 7n, 2n ** 256n - 1n];
const rng = createRng(11);
const weightSets: Record<string, number[]> = {
  equal: [1, 1, 1, 1, 1, 1, 1],
  'one recipient': [0.37],
  'wildly different': [1e-300, 1, 1e300, 3e-12, 7],
  subnormal: [Number.MIN_VALUE, 1, 2 ** -1030],
  decimals: [0.1, 0.2, 0.3, 0.7],
  'many random': Array.from({ length: 997 }, () => rng.next() + 1e-9),
  'heavy tail': Array.from({ length: 300 }, () => rng.pareto(1, 1.1)),
};

describe('allocateBudget', () => {
  it('hands out exactly the budget, to the wei, for awkward budgets and weights, as the documented rule', () => {
    for (const budget of awkwardBudgets) {
      for (const [name, weights] of Object.entries(weightSets)) {
        const amounts = allocateBudget(budget, weights);
        expect(sum(amounts), `${name}, budget ${budget}`).toBe(budget);
        expect(amounts.every((a) => a >= 0n)).toBe(true);
        expect(amounts, `${name}, budget ${budget}`).toEqual(reference(budget, weights));
      }
    }
  });

  it('splits in proportion to the weights when the shares are whole', () => {
    expect(allocateBudget(10n, [1, 2, 3, 4])).toEqual([1n, 2n, 3n, 4n]);
    expect(allocateBudget(10n ** 30n, [0.5, 0.25, 0.25])).toEqual([
      5n * 10n ** 29n,
      25n * 10n ** 28n,
      25n * 10n ** 28n,
    ]);
    expect(allocateBudget(0n, [1, 2])).toEqual([0n, 0n]);
  });

  it('gives the leftover wei one each to the largest remainders, ties to the better rank', () => {
    // Equal remainders: the first ranks get them.
    expect(allocateBudget(10n, [1, 1, 1])).toEqual([4n, 3n, 3n]);
    expect(allocateBudget(7n, [1, 1, 1, 1, 1])).toEqual([2n, 2n, 1n, 1n, 1n]);
    // Shares 2.5, 0.83, 1.67: floors 2, 0, 1 and the 2 leftover go to remainders 5/6 and 4/6, not to rank 0's 3/6.
    expect(allocateBudget(5n, [3, 1, 2])).toEqual([2n, 1n, 2n]);
    // Shares 0.5, 1, 0.5, 1: one leftover, remainders tie between ranks 0 and 2: rank 0 gets it.
    expect(allocateBudget(3n, [1, 2, 1, 2])).toEqual([1n, 1n, 0n, 1n]);
    // Remainders that differ by less than a double can tell (2^-52 of a weight, over a 2^1000 range) are still
    // ordered exactly: rank 2's is larger, so it gets the one wei and rank 0 does not.
    expect(allocateBudget(1n, [1, 1, 1 + 2 ** -52, 1, 2 ** -1000])).toEqual([0n, 0n, 1n, 0n, 0n]);
  });

  it('caps by water-filling, re-splitting what the capped would have had among the others', () => {
    expect(allocateBudget(100n, [10, 1, 1, 1], 40n)).toEqual([40n, 20n, 20n, 20n]);
    // Capping rank 0 lifts rank 1 over the cap too: 50/25/12.5/6.25/6.25 → 30/35/… → 30/30/20/10/10.
    expect(allocateBudget(100n, [8, 4, 2, 1, 1], 30n)).toEqual([30n, 30n, 20n, 10n, 10n]);
    // A share exactly at the cap is not capped (and not pushed over it by a leftover).
    expect(allocateBudget(100n, [2, 1, 1], 50n)).toEqual([50n, 25n, 25n]);
    // n × cap = budget: everyone gets the cap.
    expect(allocateBudget(12n, [5, 1, 0.001], 4n)).toEqual([4n, 4n, 4n]);
    // Equal weights are capped together.
    expect(allocateBudget(100n, [3, 3, 1, 1, 1, 1], 20n)).toEqual([20n, 20n, 15n, 15n, 15n, 15n]);
  });

  it('matches the slow reference on random weights, budgets and caps, never exceeding the cap', () => {
    const random = createRng(5);
    for (let trial = 0; trial < 300; trial += 1) {
      const n = random.int(1, 40);
      const weights = Array.from({ length: n }, () =>
        random.chance(0.2) ? random.int(1, 4) : random.pareto(0.01, random.chance(0.5) ? 0.8 : 3),
      );
      const budget =
        BigInt(random.int(0, 1e9)) * (random.chance(0.5) ? 10n ** BigInt(random.int(0, 30)) : 1n);
      const floor = (budget + BigInt(n) - 1n) / BigInt(n);
      const cap = random.chance(0.3)
        ? undefined
        : floor + BigInt(Math.floor(Number(floor) * random.next() * 3));
      const amounts = allocateBudget(budget, weights, cap);
      expect(sum(amounts)).toBe(budget);
      if (cap !== undefined) expect(amounts.every((a) => a <= cap)).toBe(true);
      expect(amounts, `trial ${trial}`).toEqual(reference(budget, weights, cap));
    }
  });

  it('is deterministic: the same inputs give the same amounts', () => {
    const weights = weightSets['many random']!;
    expect(allocateBudget(10n ** 30n + 7n, weights, 10n ** 28n)).toEqual(
      allocateBudget(10n ** 30n + 7n, [...weights], 10n ** 28n),
    );
  });

  it('refuses a cap that cannot hold the budget, and no recipients, naming the numbers', () => {
    const capped = thrown(() => allocateBudget(1000n, [1, 2, 3], 333n));
    expect(capped.code).toBe('ALLOCATION_IMPOSSIBLE');
    expect(capped.message).toContain('1000');
    expect(capped.message).toContain('3 recipients');
    expect(capped.message).toContain('333');
    expect(capped.details).toContain('at least 334');
    expect(thrown(() => allocateBudget(1n, [1], 0n)).code).toBe('ALLOCATION_IMPOSSIBLE');
    const none = thrown(() => allocateBudget(5n, []));
    expect(none.code).toBe('ALLOCATION_IMPOSSIBLE');
    expect(none.message).toContain('5');
  });

  it('refuses weights that are not finite and positive, a negative budget and a negative cap', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrown(() => allocateBudget(10n, [1, bad, 2]));
      expect(error.code).toBe('ALLOCATION_INVALID');
      expect(error.message).toContain(`Weight 1 is ${bad}`);
    }
    expect(thrown(() => allocateBudget(-1n, [1])).code).toBe('ALLOCATION_INVALID');
    expect(thrown(() => allocateBudget(1n, [1], -1n)).code).toBe('ALLOCATION_INVALID');
  });

  it('allocates to a million recipients exactly', () => {
    const n = 1_000_000;
    const budget = 10n ** 24n + 7n;
    const equal = allocateBudget(budget, new Array<number>(n).fill(1));
    expect(sum(equal)).toBe(budget);
    expect(equal.slice(0, 8)).toEqual([...new Array(7).fill(10n ** 18n + 1n), 10n ** 18n]);
    expect(equal[n - 1]).toBe(10n ** 18n);

    const random = createRng(3);
    const weights = Array.from({ length: n }, () => random.next() + 1e-6);
    const cap = 15n * 10n ** 17n;
    const amounts = allocateBudget(budget, weights, cap);
    expect(sum(amounts)).toBe(budget);
    let capped = 0;
    let overCap = 0;
    for (const a of amounts) {
      if (a > cap) overCap += 1;
      if (a === cap) capped += 1;
    }
    expect(overCap).toBe(0);
    // Uncapped shares would reach 2 × 10^18: the top quarter or so of weights is capped.
    expect(capped).toBeGreaterThan(n / 10);
    expect(capped).toBeLessThan(n / 2);
  });
});
