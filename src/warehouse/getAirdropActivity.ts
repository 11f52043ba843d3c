import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** Which activity counts towards a campaign, up to which block, and how much of it an address needs. */
export interface AirdropActivityQuery {
  chainId: number;
  /** Only activity at or before this block counts. */
  toBlock: number;
  /** Calls to these contracts count (empty: calls to any contract). */
  contracts: readonly string[];
  /** Transfers and swaps of these tokens count (empty: any token). */
  tokens: readonly string[];
  /** The kinds of action that count. */
  actions: readonly ('call' | 'swap' | 'transfer')[];
  minActions: number;
  minActiveDays: number;
  minDistinctContracts: number;
  /** Leave contracts out (they cannot claim an airdrop for themselves). */
  excludeContracts: boolean;
}

/** An address that meets a campaign's minimum activity: its qualifying activity and every transaction it sent. */
export interface AirdropActivity {
  address: string;
  /** Qualifying actions (a call, a token transfer sent, a swap made), the days they fell on, the contracts they touched. */
  actions: number;
  activeDays: number;
  distinctContracts: number;
  /** Every successful transaction the address sent up to the block, in chain order. */
  blocks: number[];
  /** Unix seconds. */
  times: number[];
  /** Recipient ('' for a contract creation). */
  targets: string[];
  /** The 4-byte selector ('' for a plain transfer). */
  methods: string[];
  /** ETH sent (value / 10^18). */
  values: number[];
}

const zero = "'0x0000000000000000000000000000000000000000'";
const upTo = 'chain_id = {chainId:UInt64} AND block_number <= {toBlock:UInt64}';
const contractsAsOf = `SELECT address FROM contracts WHERE ${upTo}`;

/**
 * The addresses whose qualifying actions up to the block meet the minimums, by address, each with the sequence of
 * transactions it sent (for behavioural comparison). A swap is the swapping transaction's sender's; a token transfer
 * counts for the sender only (receiving is passive); calls are successful transactions to a contract or with input.
 */
export async function getAirdropActivity(
  warehouse: Warehouse,
  query: AirdropActivityQuery,
): Promise<AirdropActivity[]> {
  const qualifying = `
    SELECT address, count() AS actions, uniqExact(toDate(time)) AS active_days,
           uniqExact(target) AS distinct_contracts
    FROM (
      SELECT from_address AS address, block_timestamp AS time, assumeNotNull(to_address) AS target, 'call' AS kind
      FROM transactions
      WHERE ${upTo} AND to_address IS NOT NULL AND ifNull(status, 1) = 1
        AND (has_input OR to_address IN (${contractsAsOf}))
        AND (empty({contracts:Array(String)}) OR has({contracts:Array(String)}, to_address))
      UNION ALL
      SELECT from_address, block_timestamp, token_address, 'transfer'
      FROM token_transfers
      WHERE ${upTo} AND from_address != ${zero}
        AND (empty({tokens:Array(String)}) OR has({tokens:Array(String)}, token_address))
      UNION ALL
      SELECT t.from_address, s.block_timestamp, s.pool_address, 'swap'
      FROM (SELECT block_number, transaction_index, block_timestamp, pool_address FROM dex_swaps
            WHERE ${upTo}
              AND (empty({tokens:Array(String)}) OR has({tokens:Array(String)}, token_in)
                   OR has({tokens:Array(String)}, token_out))) AS s
      INNER JOIN (SELECT block_number, transaction_index, from_address FROM transactions
                  WHERE ${upTo} AND (block_number, transaction_index) IN
                        (SELECT block_number, transaction_index FROM dex_swaps WHERE ${upTo})) AS t
        USING (block_number, transaction_index))
    WHERE has({actions:Array(String)}, kind)
      ${query.excludeContracts ? `AND address NOT IN (${contractsAsOf})` : ''}
    GROUP BY address
    HAVING actions >= {minActions:UInt32} AND active_days >= {minActiveDays:UInt32}
       AND distinct_contracts >= {minDistinctContracts:UInt32}`;
  const rows = await queryRows<{
    address: string;
    actions: string;
    active_days: string;
    distinct_contracts: string;
    blocks: number[];
    times: number[];
    targets: string[];
    methods: string[];
    values: number[];
  }>(
    warehouse,
    `WITH eligible AS (${qualifying})
     SELECT e.address AS address, e.actions AS actions, e.active_days AS active_days,
            e.distinct_contracts AS distinct_contracts, s.blocks AS blocks, s.times AS times, s.targets AS targets,
            s.methods AS methods, s.values AS values
     FROM eligible AS e
     LEFT JOIN (
       SELECT address, groupArray(block) AS blocks, groupArray(time) AS times, groupArray(target) AS targets,
              groupArray(method) AS methods, groupArray(eth) AS values
       FROM (SELECT from_address AS address, toUInt32(block_number) AS block, toUInt32(block_timestamp) AS time,
                    ifNull(to_address, '') AS target, method_id AS method, toFloat64(value) / 1e18 AS eth
             FROM transactions
             WHERE ${upTo} AND ifNull(status, 1) = 1 AND from_address IN (SELECT address FROM eligible)
             ORDER BY block_number, transaction_index)
       GROUP BY address) AS s USING (address)
     ORDER BY address`,
    {
      chainId: query.chainId,
      toBlock: query.toBlock,
      contracts: query.contracts,
      tokens: query.tokens,
      actions: query.actions,
      minActions: query.minActions,
      minActiveDays: query.minActiveDays,
      minDistinctContracts: query.minDistinctContracts,
    },
  );
  return rows.map((row) => ({
    address: row.address,
    actions: Number(row.actions),
    activeDays: Number(row.active_days),
    distinctContracts: Number(row.distinct_contracts),
    blocks: row.blocks.map(Number),
    times: row.times.map(Number),
    targets: row.targets,
    methods: row.methods,
    values: row.values.map(Number),
  }));
}
