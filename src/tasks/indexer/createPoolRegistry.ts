import type { PoolInfo, PoolLookup } from '../../chain/decode/decodeLogs.js';
import { findPoolAddresses } from '../../chain/decode/findPoolAddresses.js';
import type { RpcClient } from '../../chain/rpc/createRpcClient.js';
import type { LogRow } from '../../types/tableRows.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';

const token0Selector = '0x0dfe1681';
const token1Selector = '0xd21220a7';
/** `fee()`: Uniswap V3 pools have it, V2 pairs do not. */
const feeSelector = '0xddca3f43';

/** Knows which addresses are DEX pools and their tokens; learns new ones from the chain as they show up. */
export interface PoolRegistry {
  lookup: PoolLookup;
  /** Resolves token0/token1 (and, through `fee()`, V2 or V3) of every pool-like emitter in `logs` not seen
   *  before. An address that does not answer is remembered as not a pool; its events are not decoded. */
  learn(logs: readonly LogRow[]): Promise<void>;
}

/** A registry primed with the pools already in the warehouse. */
export async function createPoolRegistry(
  rpc: RpcClient,
  warehouse: Warehouse,
  chainId: number,
): Promise<PoolRegistry> {
  const known = new Map<string, PoolInfo | null>();
  const stored = await warehouse.client.query({
    query: 'SELECT pool_address, protocol, token0, token1 FROM dex_pools WHERE chain_id = {chainId:UInt64}',
    query_params: { chainId },
    format: 'JSONEachRow',
  });
  for (const row of await stored.json<{
    pool_address: string;
    protocol: PoolInfo['protocol'];
    token0: string;
    token1: string;
  }>()) {
    known.set(row.pool_address, { protocol: row.protocol, token0: row.token0, token1: row.token1 });
  }
  return {
    lookup: (pool) => known.get(pool.toLowerCase()) ?? undefined,
    async learn(logs) {
      const fresh = findPoolAddresses(logs).filter((pool) => !known.has(pool));
      if (fresh.length === 0) return;
      const calls = fresh.flatMap((pool) =>
        [token0Selector, token1Selector, feeSelector].map((data) => ({
          method: 'eth_call',
          params: [{ to: pool, data }, 'latest'],
        })),
      );
      // A call that reverts (no such function) is an answer here, not a failure.
      const results = await Promise.all(
        calls.map((call) => rpc.request<string>(call.method, call.params).catch(() => '0x')),
      );
      for (const [i, pool] of fresh.entries()) {
        const [t0, t1, fee] = [results[3 * i]!, results[3 * i + 1]!, results[3 * i + 2]!];
        const isPool = t0.length === 66 && t1.length === 66;
        known.set(
          pool,
          isPool
            ? {
                protocol: fee.length === 66 ? 'uniswap_v3' : 'uniswap_v2',
                token0: `0x${t0.slice(26)}`.toLowerCase(),
                token1: `0x${t1.slice(26)}`.toLowerCase(),
              }
            : null,
        );
      }
    },
  };
}
