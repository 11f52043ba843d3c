// What api.bench.ts and its server process (apiBenchServer.ts) agree on: the chain, the snapshot and the
// scored addresses.
import { createHash } from 'node:crypto';

/** The chain the scores are written for. */
export const benchChain = 1;

/** The scored snapshot. */
export const benchSnapshot = 'bench-s1';

/** The i-th scored address: `0x` and the lower-case hex SHA-1 of the decimal index (the engine fills the same ones). */
export function benchAddress(i: number): string {
  return `0x${createHash('sha1').update(String(i)).digest('hex')}`;
}

/** The same address as a ClickHouse expression of `number` (for INSERT … SELECT FROM numbers()). */
export const benchAddressSql = "concat('0x', lower(hex(SHA1(toString(number)))))";
