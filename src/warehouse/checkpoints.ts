import type { Warehouse } from './createWarehouse.js';
import { insertRows } from './insertRows.js';

/** Where an indexer stands on a chain: the last block whose rows are all written. */
export interface Checkpoint {
  blockNumber: number;
  blockHash: string;
}

/** The checkpoint of `indexer` on `chainId`, or undefined before its first batch. */
export async function getCheckpoint(
  warehouse: Warehouse,
  chainId: number,
  indexer: string,
): Promise<Checkpoint | undefined> {
  const result = await warehouse.client.query({
    query: `SELECT block_number, block_hash FROM indexer_checkpoints
            WHERE chain_id = {chainId:UInt64} AND indexer = {indexer:String}`,
    query_params: { chainId, indexer },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ block_number: string; block_hash: string }>();
  return row ? { blockNumber: Number(row.block_number), blockHash: row.block_hash } : undefined;
}

/** Every indexer's checkpoint on `chainId`. */
export async function getCheckpoints(
  warehouse: Warehouse,
  chainId: number,
): Promise<(Checkpoint & { indexer: string })[]> {
  const result = await warehouse.client.query({
    query: `SELECT indexer, block_number, block_hash FROM indexer_checkpoints WHERE chain_id = {chainId:UInt64}`,
    query_params: { chainId },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ indexer: string; block_number: string; block_hash: string }>();
  return rows.map((r) => ({
    indexer: r.indexer,
    blockNumber: Number(r.block_number),
    blockHash: r.block_hash,
  }));
}

/** Moves the checkpoint (forward after a batch is written, back after a reorg). */
export async function setCheckpoint(
  warehouse: Warehouse,
  chainId: number,
  indexer: string,
  checkpoint: Checkpoint,
): Promise<void> {
  await insertRows(warehouse, 'indexer_checkpoints', [
    {
      chain_id: chainId,
      indexer,
      block_number: checkpoint.blockNumber,
      block_hash: checkpoint.blockHash,
      updated_at: Date.now(),
    },
  ]);
}

/** The stored hashes of blocks `from`..`to` (for reorg checks), by number. */
export async function getBlockHashes(
  warehouse: Warehouse,
  chainId: number,
  from: number,
  to: number,
): Promise<Map<number, string>> {
  const result = await warehouse.client.query({
    query: `SELECT number, hash FROM blocks WHERE chain_id = {chainId:UInt64} AND number BETWEEN {from:UInt64} AND {to:UInt64}`,
    query_params: { chainId, from, to },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ number: string; hash: string }>();
  return new Map(rows.map((r) => [Number(r.number), r.hash]));
}
