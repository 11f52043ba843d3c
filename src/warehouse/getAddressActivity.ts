import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** What an address did on a chain, over every current (not reorged-away) row of the warehouse. */
export interface AddressActivity {
  address: string;
  /** Transactions it sent (from) and received (to). */
  transactionsSent: number;
  transactionsReceived: number;
  /** Token transfers from or to it (one to itself counts once). */
  tokenTransfers: number;
  /** DEX swaps it sent or received (one it did both counts once). */
  swaps: number;
  /** The first and last block of any of the above. */
  firstBlock: number;
  lastBlock: number;
  /** Unix seconds of the first and last block of any of the above. */
  firstSeen: number;
  lastSeen: number;
}

/** The rows of `table` on the chain that count (FINAL, reorg tombstones left out). */
const current = (table: string) => `${table} FINAL WHERE chain_id = {chainId:UInt64} AND is_deleted = 0`;

/** The activity of those of `addresses` (lower-case 0x strings) with any on `chainId`, by address. */
export async function getAddressActivity(
  warehouse: Warehouse,
  chainId: number,
  addresses: readonly string[],
): Promise<AddressActivity[]> {
  if (addresses.length === 0) return [];
  // One event per (address, row): kinds 0 sent, 1 received, 2 token transfer, 3 swap.
  const rows = await queryRows<Record<string, string | number>>(
    warehouse,
    `SELECT address, countIf(kind = 0) AS sent, countIf(kind = 1) AS received, countIf(kind = 2) AS transfers,
            countIf(kind = 3) AS swaps, min(block_number) AS first_block, max(block_number) AS last_block,
            toUnixTimestamp(min(block_timestamp)) AS first_seen, toUnixTimestamp(max(block_timestamp)) AS last_seen
     FROM (
       SELECT from_address AS address, 0 AS kind, block_number, block_timestamp
       FROM ${current('transactions')} AND from_address IN {addresses:Array(String)}
       UNION ALL
       SELECT assumeNotNull(to_address), 1, block_number, block_timestamp
       FROM ${current('transactions')} AND to_address IN {addresses:Array(String)}
       UNION ALL
       SELECT arrayJoin(arrayDistinct([from_address, to_address])), 2, block_number, block_timestamp
       FROM ${current('token_transfers')}
         AND (from_address IN {addresses:Array(String)} OR to_address IN {addresses:Array(String)})
       UNION ALL
       SELECT arrayJoin(arrayDistinct([sender, recipient])), 3, block_number, block_timestamp
       FROM ${current('dex_swaps')}
         AND (sender IN {addresses:Array(String)} OR recipient IN {addresses:Array(String)})
     )
     WHERE address IN {addresses:Array(String)}
     GROUP BY address
     ORDER BY address`,
    { chainId, addresses },
  );
  return rows.map((row) => ({
    address: String(row.address),
    transactionsSent: Number(row.sent),
    transactionsReceived: Number(row.received),
    tokenTransfers: Number(row.transfers),
    swaps: Number(row.swaps),
    firstBlock: Number(row.first_block),
    lastBlock: Number(row.last_block),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
  }));
}
