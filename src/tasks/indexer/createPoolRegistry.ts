import type { PoolInfo, PoolLookup } from '../../chain/decode/decodeLogs.js';
import { findPoolAddresses } from '../../chain/decode/findPoolAddresses.js';
import type { RpcClient } from '../../chain/rpc/createRpcClient.js';
import type { DexPoolRow, LogRow } from '../../types/tableRows.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';

const token0Selector = '0x0dfe1681';
const token1Selector = '0xd21220a7';
/** `fee()`: Uniswap V3 pools have it, V2 pairs do not. */
const feeSelector = '0xddca3f43';
/** `factory()`: both V2 pairs and V3 pools name the factory that deployed them. */
const factorySelector = '0xc45a0155';

/** Knows which addresses are DEX pools and their tokens; learns new ones from the chain as they show up. */
export interface PoolRegistry {
  lookup: PoolLookup;
  /** Resolves token0/token1 (and, through `fee()`, V2 or V3) of every pool-like emitter in `logs` not seen
   *  before. An address that does not answer is remembered as not a pool; its events are not decoded. */
  learn(logs: readonly LogRow[]): Promise<void>;
  /**
   * The announced pools (PairCreated/PoolCreated) whose contract confirms them: its `factory()` is the
   * announcing factory and its `token0()`/`token1()` are the announced tokens. Anyone can emit a
   * PairCreated naming a real pair with other tokens; such rows are dropped, not allowed to overwrite it.
   */
  admit(announced: readonly DexPoolRow[]): Promise<DexPoolRow[]>;
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
  /** Calls each selector on each address; a call that reverts (no such function) answers '0x'. */
  const callAll = (addresses: readonly string[], selectors: readonly string[]) =>
    Promise.all(
      addresses.flatMap((to) =>
        selectors.map((data) => rpc.request<string>('eth_call', [{ to, data }, 'latest']).catch(() => '0x')),
      ),
    );
  const asAddress = (word: string) => (word.length === 66 ? `0x${word.slice(26)}`.toLowerCase() : undefined);

  return {
    lookup: (pool) => known.get(pool.toLowerCase()) ?? undefined,
    async admit(announced) {
      if (announced.length === 0) return [];
      const answers = await callAll(
        announced.map((p) => p.pool_address),
        [factorySelector, token0Selector, token1Selector],
      );
      return announced.filter((pool, i) => {
        const [factory, token0, token1] = answers.slice(3 * i, 3 * i + 3).map((w) => asAddress(w!));
        const genuine = factory === pool.factory_address && token0 === pool.token0 && token1 === pool.token1;
        if (genuine)
          known.set(pool.pool_address, { protocol: pool.protocol, token0: pool.token0, token1: pool.token1 });
        return genuine;
      });
    },
    async learn(logs) {
      const fresh = findPoolAddresses(logs).filter((pool) => !known.has(pool));
      if (fresh.length === 0) return;
      const results = await callAll(fresh, [token0Selector, token1Selector, feeSelector]);
      for (const [i, pool] of fresh.entries()) {
        const [token0, token1] = [asAddress(results[3 * i]!), asAddress(results[3 * i + 1]!)];
        const fee = results[3 * i + 2]!;
        known.set(
          pool,
          token0 && token1
            ? { protocol: fee.length === 66 ? 'uniswap_v3' : 'uniswap_v2', token0, token1 }
            : null,
        );
      }
    },
  };
}
