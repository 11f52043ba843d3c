import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** The last block written to the warehouse on a chain, and when. */
export interface IndexedBlock {
  blockNumber: number;
  /** Unix milliseconds of the checkpoint's last move; undefined when the blocks were imported (no checkpoint). */
  updatedAt: number | undefined;
}

/**
 * The furthest indexer checkpoint on `chainId` (the last block whose rows are all written); without one (data
 * imported from files), the highest current block; undefined when the chain has neither.
 */
export async function getIndexedBlock(
  warehouse: Warehouse,
  chainId: number,
): Promise<IndexedBlock | undefined> {
  const [checkpoint] = await queryRows<{ block_number: string; updated_at: string }>(
    warehouse,
    `SELECT block_number, toUnixTimestamp64Milli(updated_at) AS updated_at FROM indexer_checkpoints FINAL
     WHERE chain_id = {chainId:UInt64}
     ORDER BY block_number DESC, updated_at DESC LIMIT 1`,
    { chainId },
  );
  if (checkpoint) {
    return { blockNumber: Number(checkpoint.block_number), updatedAt: Number(checkpoint.updated_at) };
  }
  const [block] = await queryRows<{ number: string }>(
    warehouse,
    `SELECT number FROM blocks FINAL WHERE chain_id = {chainId:UInt64} AND is_deleted = 0
     ORDER BY number DESC LIMIT 1`,
    { chainId },
  );
  return block ? { blockNumber: Number(block.number), updatedAt: undefined } : undefined;
}
