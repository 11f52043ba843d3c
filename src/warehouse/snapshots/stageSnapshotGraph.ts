import type { SnapshotPoint } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';

/** The staging tables of one snapshot being built: its aggregated edges and its numbered nodes. */
export interface StagedSnapshot {
  point: SnapshotPoint;
  edgesTable: string;
  nodesTable: string;
  /** An in-memory Join table from address to node index (for joinGet). */
  indexTable: string;
  /** Drops the staging tables. */
  drop(): Promise<void>;
}

const zero = "'0x0000000000000000000000000000000000000000'";

/**
 * Aggregates the interaction graph as of `point` in ClickHouse into two staging tables named after `name`:
 * edges per (src, dst, type, token) with count, total, max and first/last block, and the nodes (every
 * endpoint and token, sorted by address and numbered from 0) with their kind. Every source row read is at
 * or before the as-of block; only funding (the first ETH an address ever received) looks before the window.
 * Edge types: 0 call (successful tx to a contract or with input), 1 native transfer (tx value > 0),
 * 2 token transfer (mints and burns, to or from the zero address, left out), 3 swap (the swapping
 * transaction's sender, or the swap's recipient when transactions are not indexed, to the pool),
 * 4 funding (the first ETH an account ever received, funder to account; contracts are not "funded").
 * Node kinds: 0 EOA (or unknown), 1 contract, 2 token, 3 pool.
 */
export async function stageSnapshotGraph(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
): Promise<StagedSnapshot> {
  const edgesTable = `${name}_edges`;
  const nodesTable = `${name}_nodes`;
  const indexTable = `${name}_index`;
  const params = { chain: point.chainId, lo: point.fromBlock, hi: point.asOfBlock };
  const run = (query: string) => warehouse.client.command({ query, query_params: params });
  const drop = async () => {
    await run(`DROP TABLE IF EXISTS ${edgesTable}`);
    await run(`DROP TABLE IF EXISTS ${nodesTable}`);
    await run(`DROP TABLE IF EXISTS ${indexTable}`);
  };
  await drop();
  const window = 'chain_id = {chain:UInt64} AND block_number BETWEEN {lo:UInt64} AND {hi:UInt64}';
  const succeeded = 'to_address IS NOT NULL AND ifNull(status, 1) = 1';
  const contractsAsOf =
    'SELECT address FROM contracts WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}';
  try {
    await run(`
      CREATE TABLE ${edgesTable}
      (src String, dst String, type UInt8, token String, n UInt64, total UInt256, total_f Float64, top UInt256,
       first_block UInt64, last_block UInt64)
      ENGINE = Memory SETTINGS compress = 1`);
    await run(`
      INSERT INTO ${edgesTable}
      SELECT src, dst, type, token, count(), sum(value), sum(toFloat64(value)), max(value), min(block), max(block)
      FROM (
        -- One scan of transactions for both: a call (to a contract, or with input) and a native transfer (value).
        SELECT from_address AS src, assumeNotNull(to_address) AS dst,
               arrayJoin(arrayFilter(t -> (t = 0 AND is_call) OR (t = 1 AND value > 0), [0, 1])) AS type,
               '' AS token, value, block_number AS block
        FROM (
          SELECT from_address, to_address, value, block_number,
                 toUInt8(input != '0x' OR to_address IN (${contractsAsOf})) AS is_call
          FROM transactions WHERE ${window} AND ${succeeded})
        UNION ALL
        SELECT from_address, to_address, toUInt8(2), token_address, value, block_number
        FROM token_transfers WHERE ${window} AND from_address != ${zero} AND to_address != ${zero}
        UNION ALL
        SELECT if(t.from_address = '', s.recipient, t.from_address), s.pool_address, toUInt8(3), '', s.amount_in,
               s.block_number
        FROM dex_swaps AS s
        LEFT JOIN (SELECT block_number, transaction_index, from_address FROM transactions WHERE ${window}) AS t
          ON s.block_number = t.block_number AND s.transaction_index = t.transaction_index
        WHERE s.chain_id = {chain:UInt64} AND s.block_number BETWEEN {lo:UInt64} AND {hi:UInt64}
      )
      GROUP BY src, dst, type, token`);
    // Funding: the first ETH each account (not contract) received, ever (up to the as-of block); with a window,
    // only for addresses in the window's graph.
    await run(`
      INSERT INTO ${edgesTable}
      SELECT argMin(from_address, block_number * 4294967296 + transaction_index), assumeNotNull(to_address),
             toUInt8(4), '', 1,
             argMin(value, block_number * 4294967296 + transaction_index) AS first_value, toFloat64(first_value),
             first_value,
             min(block_number), min(block_number)
      FROM transactions
      WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64} AND ${succeeded} AND value > 0
        AND to_address NOT IN (${contractsAsOf})
        AND ({lo:UInt64} = 0 OR to_address IN (SELECT src FROM ${edgesTable} UNION ALL SELECT dst FROM ${edgesTable}))
      GROUP BY to_address`);
    await run(`
      CREATE TABLE ${nodesTable} ENGINE = MergeTree ORDER BY address AS
      SELECT address, toUInt32(row_number() OVER (ORDER BY address) - 1) AS idx,
        toUInt8(multiIf(
          address IN (SELECT pool_address FROM dex_pools WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}
                      UNION ALL
                      SELECT pool_address FROM dex_swaps WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}), 3,
          address IN (SELECT token_address FROM token_transfers
                      WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}
                      UNION ALL
                      ${contractsAsOf}
                        AND standard IN ('erc20', 'erc721', 'erc1155')), 2,
          address IN (${contractsAsOf}), 1,
          0)) AS kind
      FROM (SELECT src AS address FROM ${edgesTable}
            UNION DISTINCT SELECT dst FROM ${edgesTable}
            UNION DISTINCT SELECT token FROM ${edgesTable} WHERE token != '')`);
    await run(
      `CREATE TABLE ${indexTable} ENGINE = Join(ANY, LEFT, address) AS SELECT address, idx FROM ${nodesTable}`,
    );
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { point, edgesTable, nodesTable, indexTable, drop };
}
