import { noToken, type SnapshotPoint } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';

/** The staging tables of one snapshot being built: its numbered nodes and its interactions by node index. */
export interface StagedSnapshot {
  point: SnapshotPoint;
  /** `address`, `idx` (from 0, in address order) and `kind`, one row per node. */
  nodesTable: string;
  /** One row per interaction and per funding: node indexes `s`, `d`, `type`, the token's node index `k`, `value`, `block`. */
  rowsTable: string;
  /** Drops the staging tables. */
  drop(): Promise<void>;
}

/** Options for {@link stageSnapshotGraph}. */
export interface StageOptions {
  /** Look node indexes up by address even when no two nodes share an address hash (the fallback, for tests). */
  byAddress?: boolean;
}

const zero = "'0x0000000000000000000000000000000000000000'";
const window = 'chain_id = {chain:UInt64} AND block_number BETWEEN {lo:UInt64} AND {hi:UInt64}';
const succeeded = 'to_address IS NOT NULL AND ifNull(status, 1) = 1';
const contractsAsOf =
  'SELECT address FROM contracts WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}';
/** The kind of node `address` as of the as-of block. */
const nodeKindSql = `toUInt8(multiIf(
  address IN (SELECT pool_address FROM dex_pools WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}
              UNION ALL
              SELECT pool_address FROM dex_swaps WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}), 3,
  address IN (SELECT token_address FROM token_transfers WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64}
              UNION ALL
              ${contractsAsOf} AND standard IN ('erc20', 'erc721', 'erc1155')), 2,
  address IN (${contractsAsOf}), 1,
  0))`;

/**
 * Stages the interaction graph as of `point` in ClickHouse, in tables named after `name`: the nodes (every
 * endpoint, token and funder, sorted by address and numbered from 0) with their kind, and one row per
 * interaction by node index, which readSnapshotEdges sorts and folds into edges per (src, dst, type, token).
 * Every source row read is at or before the as-of block; only funding (the first ETH an address ever
 * received) looks before the window.
 * Edge types: 0 call (successful tx to a contract or with input), 1 native transfer (tx value > 0),
 * 2 token transfer (mints and burns, to or from the zero address, left out), 3 swap (the swapping
 * transaction's sender, or the swap's recipient when transactions are not indexed, to the pool),
 * 4 funding (the first ETH an account ever received, funder to account; contracts are not "funded").
 * Node kinds: 0 EOA (or unknown), 1 contract, 2 token, 3 pool.
 * Why this shape: a GROUP BY on pairs of 42-character addresses, with UInt256 sums in each group, costs more
 * than numbering the addresses once and sorting the interactions by node index (a sort the CSR needs anyway),
 * after which equal neighbours fold into edges as they stream.
 */
export async function stageSnapshotGraph(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
  options: StageOptions = {},
): Promise<StagedSnapshot> {
  const table = (part: string) => `${name}_${part}`;
  const [swaps, addresses, funding, nodesTable, index, rowsTable] = [
    'swaps',
    'addresses',
    'funding',
    'nodes',
    'index',
    'rows',
  ].map(table) as [string, string, string, string, string, string];
  const params = { chain: point.chainId, lo: point.fromBlock, hi: point.asOfBlock };
  const run = (query: string) => warehouse.client.command({ query, query_params: params });
  const dropTables = async (tables: readonly string[]) => {
    for (const name of tables) await run(`DROP TABLE IF EXISTS ${name}`);
  };
  const scratch = [swaps, addresses, funding, index];
  const drop = () => dropTables([...scratch, nodesTable, rowsTable]);
  await drop();
  const interactions = interactionsSql(swaps);
  try {
    await run(`
      CREATE TABLE ${swaps} ENGINE = Memory AS
      SELECT if(t.from_address = '', s.recipient, t.from_address) AS src, s.pool_address AS dst,
             s.amount_in AS value, s.block_number AS block
      FROM dex_swaps AS s
      LEFT JOIN (
        -- Only the swapping transactions: a hash table of every transaction in the window costs more.
        SELECT block_number, transaction_index, from_address FROM transactions
        WHERE ${window} AND (block_number, transaction_index) IN (SELECT block_number, transaction_index FROM dex_swaps WHERE ${window})
      ) AS t ON s.block_number = t.block_number AND s.transaction_index = t.transaction_index
      WHERE s.chain_id = {chain:UInt64} AND s.block_number BETWEEN {lo:UInt64} AND {hi:UInt64}`);
    await run(`
      CREATE TABLE ${addresses} ENGINE = Memory AS
      SELECT DISTINCT arrayJoin(if(token = '', [src, dst], [src, dst, token])) AS address
      FROM (${interactions})`);
    // Funding: the first ETH each account (not contract) received, ever (up to the as-of block); with a window,
    // only for addresses in the window's graph.
    await run(`
      CREATE TABLE ${funding} ENGINE = Memory AS
      SELECT argMin(from_address, block_number * 4294967296 + transaction_index) AS src,
             assumeNotNull(to_address) AS dst, argMin(value, block_number * 4294967296 + transaction_index) AS amount,
             min(block_number) AS block
      FROM transactions
      WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64} AND ${succeeded} AND value > 0
        AND to_address NOT IN (${contractsAsOf})
        AND ({lo:UInt64} = 0 OR to_address IN (SELECT address FROM ${addresses}))
      GROUP BY to_address`);
    await run(`
      CREATE TABLE ${nodesTable} ENGINE = Memory AS
      SELECT address, toUInt32(row_number() OVER (ORDER BY address) - 1) AS idx, ${nodeKindSql} AS kind
      FROM (SELECT address FROM ${addresses} UNION DISTINCT SELECT src FROM ${funding})`);
    // Node indexes are looked up by the address's 64-bit hash when no two nodes share one (checked: every address
    // looked up is a node, so this is exact), which costs half as much as a lookup by the 42-character string.
    const [hashes] = await queryRows<{ unique: number }>(
      warehouse,
      `SELECT uniqExact(cityHash64(address)) = count() AS unique FROM ${nodesTable}`,
    );
    const byHash = !options.byAddress && hashes?.unique === 1;
    const key = (address: string) => (byHash ? `cityHash64(${address})` : address);
    await run(
      `CREATE TABLE ${index} ENGINE = Join(ANY, LEFT, key) AS SELECT ${key('address')} AS key, idx FROM ${nodesTable}`,
    );
    const idx = (address: string) => `joinGet('${index}', 'idx', ${key(address)})`;
    await run(`
      CREATE TABLE ${rowsTable} ENGINE = Memory AS
      SELECT ${idx('src')} AS s, ${idx('dst')} AS d, type, if(token = '', ${noToken}, ${idx('token')}) AS k, value,
             toUInt32(block) AS block
      FROM (${interactions}
            UNION ALL
            SELECT src, dst, toUInt8(4), '', amount, block FROM ${funding})`);
    await dropTables(scratch);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { point, nodesTable, rowsTable, drop };
}

/** One row per interaction in the window (src, dst, type, token, value, block; token '' when none), swaps from `swaps`. */
function interactionsSql(swaps: string): string {
  return `
    SELECT from_address AS src, assumeNotNull(to_address) AS dst,
           arrayJoin(arrayFilter(t -> (t = 0 AND is_call) OR (t = 1 AND value > 0), [0, 1])) AS type,
           '' AS token, value, block_number AS block
    FROM (
      SELECT from_address, to_address, value, block_number,
             input != '0x' OR to_address IN (${contractsAsOf}) AS is_call
      FROM transactions WHERE ${window} AND ${succeeded})
    UNION ALL
    SELECT from_address, to_address, toUInt8(2), token_address, value, block_number
    FROM token_transfers WHERE ${window} AND from_address != ${zero} AND to_address != ${zero}
    UNION ALL
    SELECT src, dst, toUInt8(3), '', value, block FROM ${swaps}`;
}
