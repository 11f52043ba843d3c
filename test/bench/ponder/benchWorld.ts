// What the bench tells this project about the simulated world, as JSON in PONDER_BENCH_WORLD.
import type { Address } from 'viem';

/** The chain, the contracts and the block range to index, set by test/bench/ponder.bench.ts. */
export interface BenchWorld {
  rpcUrl: string;
  /**
   * How many times the URL is listed in the chain's `rpc`: Ponder 0.16 ignores `maxRequestsPerSecond` and
   * throttles each listed endpoint on its own (from 20 requests/s, growing 5% at a time, at most 500).
   */
  rpcEndpoints: number;
  chainId: number;
  tokens: Address[];
  pools: Address[];
  endBlock: number;
  /** Where PGlite keeps its files (a fresh temp dir per run). */
  databaseDir: string;
}

/** Reads PONDER_BENCH_WORLD; throws naming the variable when it is missing. */
export function readBenchWorld(): BenchWorld {
  const json = process.env.PONDER_BENCH_WORLD;
  if (!json)
    throw new Error('PONDER_BENCH_WORLD is not set: run this project through npm run bench -- ponder');
  return JSON.parse(json) as BenchWorld;
}
