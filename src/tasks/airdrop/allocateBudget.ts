import { NonRetryableError } from '../../internal/errors.js';

/**
 * Splits `budget` (base units) among recipients in rank order (index 0 = best) in proportion to `weights` (finite,
 * > 0), no amount above `cap`, the amounts summing to `budget` exactly. Deterministic, in four steps:
 *
 * 1. Weights are used exactly: every finite double is an integer times a power of two, so after one common scaling
 *    they are exact bigint integers wᵢ (their ratios are the doubles' ratios, with no rounding).
 * 2. Cap by water-filling: the capped recipients get exactly `cap` and the rest of the budget is re-split among the
 *    others, repeated until no share exceeds the cap. Computed in one pass: with the weights in decreasing order, the
 *    k largest are capped for the least k at which the next largest's share of what is left, (B − k·cap)·w / W′, is
 *    at most the cap (equal weights are capped together).
 * 3. Each uncapped recipient gets ⌊B′·wᵢ / W′⌋, with B′ the budget left after the caps and W′ the uncapped weight.
 * 4. The leftover base units (fewer than the uncapped recipients) go one each to the recipients with the largest
 *    remainders B′·wᵢ mod W′, ties to the better rank (lower index). A recipient with a positive remainder has an exact
 *    share below the cap, so the extra unit never breaks it, and there are always more of them than leftover units.
 *
 * Throws `ALLOCATION_IMPOSSIBLE` when there are no recipients or `weights.length × cap < budget`, and
 * `ALLOCATION_INVALID` for a negative budget or cap or a weight that is not a finite number > 0. O(n log n).
 */
export function allocateBudget(budget: bigint, weights: readonly number[], cap?: bigint): bigint[] {
  checkInputs(budget, weights, cap);
  const n = weights.length;
  const scale = commonExponent(weights);
  const exact = weights.map((w) => exactInteger(w, scale));
  let total = 0n;
  for (const w of exact) total += w;

  const amounts = new Array<bigint>(n);
  // Uncapped recipients are those with a weight below `capFrom` (all of them when it is Infinity).
  const { capped, capFrom, cappedWeight } = findCapped(budget, weights, scale, total, cap);
  const remainingBudget = budget - BigInt(capped) * (cap ?? 0n);
  const remainingWeight = total - cappedWeight;
  const remainders = new Array<bigint>(n).fill(0n);
  let handedOut = 0n;
  for (let i = 0; i < n; i += 1) {
    if (weights[i]! >= capFrom) {
      amounts[i] = cap!;
      continue;
    }
    const product = remainingBudget * exact[i]!;
    const amount = product / remainingWeight;
    amounts[i] = amount;
    remainders[i] = product - amount * remainingWeight;
    handedOut += amount;
  }
  const leftover = Number(remainingBudget - handedOut);
  if (leftover > 0) {
    for (const i of largestRemainders(remainders, remainingWeight, leftover)) amounts[i]! += 1n;
  }
  return amounts;
}

function checkInputs(budget: bigint, weights: readonly number[], cap: bigint | undefined): void {
  const invalid = (message: string, details: string) =>
    new NonRetryableError(message, { code: 'ALLOCATION_INVALID', details });
  if (budget < 0n) throw invalid(`Cannot allocate a negative budget (${budget})`, 'Expected a budget ≥ 0.');
  if (cap !== undefined && cap < 0n) throw invalid(`Negative cap ${cap}`, 'Expected a cap ≥ 0 base units.');
  for (let i = 0; i < weights.length; i += 1) {
    const w = weights[i]!;
    if (!(w > 0 && w < Number.POSITIVE_INFINITY)) {
      throw invalid(`Weight ${i} is ${w}`, 'Expected every weight to be a finite number > 0.');
    }
  }
  if (weights.length === 0) {
    throw new NonRetryableError(`No recipients to allocate the budget of ${budget} base units to`, {
      code: 'ALLOCATION_IMPOSSIBLE',
      details: 'Expected at least one recipient: check the minimum activity and the exclusions.',
    });
  }
  if (cap !== undefined && BigInt(weights.length) * cap < budget) {
    throw new NonRetryableError(
      `Cannot allocate ${budget} base units to ${weights.length} recipients capped at ${cap} each`,
      {
        code: 'ALLOCATION_IMPOSSIBLE',
        details: `At most ${BigInt(weights.length) * cap} can be allocated: raise the cap to at least ${ceilDiv(budget, BigInt(weights.length))}, or lower the budget.`,
      },
    );
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** How many recipients water-filling caps, the weight from which on they are capped, and their exact weight. */
function findCapped(
  budget: bigint,
  weights: readonly number[],
  scale: number,
  total: bigint,
  cap: bigint | undefined,
): { capped: number; capFrom: number; cappedWeight: bigint } {
  const none = { capped: 0, capFrom: Number.POSITIVE_INFINITY, cappedWeight: 0n };
  if (cap === undefined || cap >= budget) return none;
  const sorted = Float64Array.from(weights).sort().reverse();
  let cappedWeight = 0n;
  for (let k = 0; k < sorted.length; k += 1) {
    const w = exactInteger(sorted[k]!, scale);
    // Does the largest uncapped weight's share of what is left fit under the cap?
    if ((budget - BigInt(k) * cap) * w <= cap * (total - cappedWeight)) {
      // sorted[k - 1] > sorted[k]: capping one raises the others' shares, so equal weights are capped together.
      return k === 0 ? none : { capped: k, capFrom: sorted[k - 1]!, cappedWeight };
    }
    cappedWeight += w;
  }
  // Unreachable: n × cap ≥ budget leaves the last recipient at most the cap.
  throw new Error('allocateBudget: water-filling found no level');
}

/**
 * The indexes of the `count` largest remainders (ties to the lower index). A double key ⌊r·2^52 / W⌋, monotone in
 * r, orders them with a native sort; only the keys equal to the threshold's are compared exactly.
 */
function largestRemainders(remainders: readonly bigint[], denominator: bigint, count: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < remainders.length; i += 1) if (remainders[i]! > 0n) candidates.push(i);
  const keys = new Float64Array(candidates.length);
  for (let c = 0; c < candidates.length; c += 1) {
    keys[c] = Number((remainders[candidates[c]!]! << 52n) / denominator);
  }
  const threshold = Float64Array.from(keys).sort()[keys.length - count]!;
  const chosen: number[] = [];
  const tied: number[] = [];
  for (let c = 0; c < candidates.length; c += 1) {
    if (keys[c]! > threshold) chosen.push(candidates[c]!);
    else if (keys[c] === threshold) tied.push(candidates[c]!);
  }
  // `tied` is in index order and the sort is stable: equal remainders stay in rank order.
  tied.sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : 0));
  return chosen.concat(tied.slice(0, count - chosen.length));
}

const view = new DataView(new ArrayBuffer(8));

/** `x` (finite, > 0) as `[m, e]` with x = m·2^e exactly and m odd. */
function decompose(x: number): [number, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (hi & 0xfffff) * 2 ** 32 + lo;
  let exponent = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mantissa += 2 ** 52;
  const zeros = lo !== 0 ? trailingZeros(lo) : 32 + trailingZeros(mantissa / 2 ** 32);
  mantissa /= 2 ** zeros;
  exponent += zeros;
  return [mantissa, exponent];
}

function trailingZeros(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The smallest exponent of the weights' odd-mantissa forms: multiplying by 2^-it makes them all integers. */
function commonExponent(weights: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < weights.length; i += 1) min = Math.min(min, decompose(weights[i]!)[1]);
  return min;
}

/** `x · 2^-scale` as an exact bigint (`scale` at most `x`'s own exponent). */
function exactInteger(x: number, scale: number): bigint {
  const [mantissa, exponent] = decompose(x);
  return BigInt(mantissa) << BigInt(exponent - scale);
}
