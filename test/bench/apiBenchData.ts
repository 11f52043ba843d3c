// What api.bench.ts and its server process (apiBenchServer.ts) agree on: the chain, the snapshot, the
// scored addresses, and how either reports its full collections.
import { createHash } from 'node:crypto';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

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

/** A full (mark-compact) collection: when it started (epoch ms) and how long it paused its process. */
export interface FullCollection {
  at: number;
  ms: number;
}

/** Calls `seen` with each full collection of this process from now on. */
export function observeFullCollections(seen: (collection: FullCollection) => void): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = (entry as PerformanceEntry & { detail: { kind: number } }).detail;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        seen({ at: performance.timeOrigin + entry.startTime, ms: entry.duration });
    }
  }).observe({ entryTypes: ['gc'] });
}
