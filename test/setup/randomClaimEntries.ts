// Test support for the claim tree's tests and benchmark: random airdrop entries from a seed.
import type { ClaimEntry } from '../../src/tasks/airdrop/buildClaimTree.js';
import { createRng } from '../../src/utils/createRng.js';

/** The largest amount a claim can carry. */
export const maxUint256 = (1n << 256n) - 1n;

/**
 * `count` entries with distinct random addresses; the first amount is 0, the second 2^256 − 1, the others
 * random numbers of 0 to 64 hex digits.
 */
export function randomClaimEntries(count: number, seed: string): ClaimEntry[] {
  const rng = createRng(`claim-entries/${seed}`);
  const hex = (digits: number) => {
    let text = '';
    while (text.length < digits)
      text += Math.floor(rng.next() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return text.slice(0, digits);
  };
  const edgeAmounts = [0n, maxUint256];
  const seen = new Set<string>();
  const entries: ClaimEntry[] = [];
  while (entries.length < count) {
    const address = `0x${hex(40)}`;
    if (seen.has(address)) continue;
    seen.add(address);
    entries.push({ address, amount: edgeAmounts[entries.length] ?? BigInt(`0x0${hex(rng.int(0, 64))}`) });
  }
  return entries;
}
