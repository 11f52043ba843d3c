import { NonRetryableError } from '../internal/errors.js';
import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** The token in the most Uniswap V2 pools of the chain (the natural quote token, e.g. WETH); ties: lower address. */
export async function getMostPairedToken(warehouse: Warehouse, chainId: number): Promise<string> {
  const rows = await queryRows<{ token: string }>(
    warehouse,
    `SELECT token FROM (
       SELECT arrayJoin([token0, token1]) AS token FROM dex_pools
       WHERE chain_id = {chainId:UInt64} AND protocol = 'uniswap_v2')
     GROUP BY token ORDER BY count() DESC, token LIMIT 1`,
    { chainId },
  );
  if (rows[0]) return rows[0].token;
  throw new NonRetryableError(`Chain ${chainId} has no Uniswap V2 pool`, {
    code: 'PRICE_NO_POOLS',
    details:
      'Price series are read from Uniswap V2 pools: index a chain with DEX activity first (chaingnn index).',
  });
}
