/** The share of `a`'s blocks with one of `b`'s within `window` blocks (both sorted ascending). */
function shareNear(a: readonly number[], b: readonly number[], window: number): number {
  if (a.length === 0) return 0;
  let j = 0;
  let near = 0;
  for (const block of a) {
    while (j < b.length && b[j]! < block - window) j += 1;
    if (j < b.length && b[j]! <= block + window) near += 1;
  }
  return near / a.length;
}

/**
 * How much two wallets act in lockstep: the mean over both of the share of one's transactions that have one of the
 * other's within `window` blocks (1: every action shadowed; organic strangers are near 0). Blocks sorted ascending.
 */
export function computeCoTiming(a: readonly number[], b: readonly number[], window = 2): number {
  return (shareNear(a, b, window) + shareNear(b, a, window)) / 2;
}
