import type { Warehouse } from './createWarehouse.js';
import { getTableNames } from './getTableNames.js';

/** Tables whose rows belong to a block, and the column that says which. */
export const blockScopedTables = {
  blocks: 'number',
  transactions: 'block_number',
  logs: 'block_number',
  token_transfers: 'block_number',
  token_approvals: 'block_number',
  dex_swaps: 'block_number',
  dex_pools: 'block_number',
  dex_pool_events: 'block_number',
  contracts: 'block_number',
} as const satisfies Record<string, string>;

/**
 * Marks every current row of a block above `blockNumber` deleted (a tombstone with `version`), in every
 * block-scoped table that exists: what a reorg orphaned, or what a crashed run wrote past its checkpoint.
 * Returns the rows removed per table.
 */
export async function deleteBlocksAbove(
  warehouse: Warehouse,
  chainId: number,
  blockNumber: number,
  version: number | bigint,
  tables: Readonly<Record<string, string>> = blockScopedTables,
): Promise<Record<string, number>> {
  const present = await getTableNames(warehouse);
  const removed: Record<string, number> = {};
  for (const [table, column] of Object.entries(tables)) {
    if (!present.has(table)) continue;
    const params = { chainId, blockNumber, version: version.toString() };
    const where = `chain_id = {chainId:UInt64} AND ${column} > {blockNumber:Int64}`;
    const count = await warehouse.client.query({
      query: `SELECT count() AS n FROM ${table} WHERE ${where}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const [{ n }] = (await count.json<{ n: string }>()) as [{ n: string }];
    removed[table] = Number(n);
    if (n === '0') continue;
    await warehouse.client.command({
      query: `INSERT INTO ${table} SELECT * REPLACE (1 AS is_deleted, {version:UInt64} AS version) FROM ${table} WHERE ${where}`,
      query_params: params,
    });
  }
  return removed;
}
