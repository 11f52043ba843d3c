import { noToken, type SnapshotPoint } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';

/** The staging tables of one snapshot being built: its numbered nodes and its interactions by node index. */
export interface StagedSnapshot {
  point: SnapshotPoint;
  /** `address`, `idx` (from 0, in address order) and `kind`, one row per node. */
  nodesTable: string;
  /**
   * A view with one row per interaction and per funding, unsorted: node indexes `s`, `d`, `type`, the token's
   * node index `k`, `value`, `block`.
   */
  rowsView: string;
  /** Drops the staging tables. */
  drop(): Promise<void>;
}

/** Options for {@link stageSnapshotGraph}. */
export interface StageOptions {
  /** Key addresses by themselves even when no two share an address hash (the fallback, for tests). */
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
 * endpoint, token and funder, sorted by address and numbered from 0) with their kind, and a view of one row per
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
 * after which equal neighbours fold into edges as they stream. The interactions are read once, each address
 * kept as its 64-bit hash (cheaper to store, collect and look up than the string), and numbered as they are
 * read back. Exact: every address that gets a key is checked to have a hash of its own, else the staging runs
 * again keyed by the addresses themselves.
 */
export async function stageSnapshotGraph(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
  options: StageOptions = {},
): Promise<StagedSnapshot> {
  if (!options.byAddress) {
    const staged = await stage(warehouse, point, name, true);
    if (staged) return staged;
  }
  return (await stage(warehouse, point, name, false))!;
}

/** Stages the snapshot with addresses keyed by hash or by themselves; undefined when two addresses share a hash. */
async function stage(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
  byHash: boolean,
): Promise<StagedSnapshot | undefined> {
  const table = (part: string) => `${name}_${part}`;
  const [swaps, keyed, funding, names, nodesTable, index, rowsView] = [
    'swaps',
    'keyed',
    'funding',
    'names',
    'nodes',
    'index',
    'rows',
  ].map(table) as [string, string, string, string, string, string, string];
  const params = { chain: point.chainId, lo: point.fromBlock, hi: point.asOfBlock };
  const run = (query: string) => warehouse.client.command({ query, query_params: params });
  const dropTables = async (tables: readonly string[]) => {
    for (const name of tables) await run(`DROP ${name === rowsView ? 'VIEW' : 'TABLE'} IF EXISTS ${name}`);
  };
  // The view first: it reads the tables after it.
  const drop = () => dropTables([rowsView, swaps, keyed, funding, names, nodesTable, index]);
  await drop();
  const key = (address: string) => (byHash ? `cityHash64(${address})` : address);
  const noTokenKey = key("''");
  // The keys of every address in an interaction.
  const keyedAddresses = `SELECT sk FROM ${keyed} UNION ALL SELECT dk FROM ${keyed}
                          UNION ALL SELECT kk FROM ${keyed} WHERE kk != ${noTokenKey}`;
  const idx = (addressKey: string) => `joinGet('${index}', 'idx', ${addressKey})`;
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
      CREATE TABLE ${keyed} ENGINE = Memory AS
      SELECT ${key('src')} AS sk, ${key('dst')} AS dk, type, ${key('token')} AS kk, value, toUInt32(block) AS block
      FROM (${interactionsSql(swaps)})`);
    // Funding: the first ETH each account (not contract) received, ever (up to the as-of block); with a window,
    // only for addresses in the window's graph.
    await run(`
      CREATE TABLE ${funding} ENGINE = Memory AS
      SELECT argMin(from_address, block_number * 4294967296 + transaction_index) AS src,
             assumeNotNull(to_address) AS dst, argMin(value, block_number * 4294967296 + transaction_index) AS amount,
             toUInt32(min(block_number)) AS block
      FROM transactions
      WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64} AND ${succeeded} AND value > 0
        AND to_address NOT IN (${contractsAsOf})
        AND ({lo:UInt64} = 0 OR ${key('to_address')} IN (${keyedAddresses}))
      GROUP BY to_address`);
    // Every address given a key above ('' too), and more, each once with its key. Made distinct by the address
    // itself and keyed after: cheaper than grouping by key and comparing each group's least and greatest address.
    await run(`
      CREATE TABLE ${names} ENGINE = Memory AS
      SELECT ${key('address')} AS key, address FROM (SELECT a AS address FROM (
        SELECT arrayJoin([from_address, assumeNotNull(to_address)]) AS a FROM transactions
        WHERE ${window} AND to_address IS NOT NULL
        UNION ALL
        SELECT arrayJoin([from_address, to_address]) FROM token_transfers WHERE ${window}
        UNION ALL
        -- Few tokens over many transfers: cheaper made distinct first.
        SELECT DISTINCT token_address FROM token_transfers WHERE ${window}
        UNION ALL
        SELECT arrayJoin([src, dst]) FROM ${swaps}
        UNION ALL
        SELECT arrayJoin([src, dst]) FROM ${funding}
        UNION ALL
        SELECT '')
      GROUP BY a)`);
    if (byHash) {
      const [row] = await queryRows<{ shared: number }>(
        warehouse,
        `SELECT count() != uniqExact(key) AS shared FROM ${names}`,
      );
      if (row?.shared) {
        await drop();
        return undefined;
      }
    }
    await run(`
      CREATE TABLE ${nodesTable} ENGINE = Memory AS
      SELECT address, key, toUInt32(row_number() OVER (ORDER BY address) - 1) AS idx, ${nodeKindSql} AS kind
      FROM ${names}
      WHERE key IN (${keyedAddresses} UNION ALL SELECT ${key('src')} FROM ${funding})`);
    await run(`CREATE TABLE ${index} ENGINE = Join(ANY, LEFT, key) AS SELECT key, idx FROM ${nodesTable}`);
    await run(`DROP TABLE ${names}`);
    await run(`
      CREATE VIEW ${rowsView} AS
      SELECT ${idx('sk')} AS s, ${idx('dk')} AS d, type, if(kk = ${noTokenKey}, ${noToken}, ${idx('kk')}) AS k,
             value, block
      FROM ${keyed}
      UNION ALL
      SELECT ${idx(key('src'))}, ${idx(key('dst'))}, toUInt8(4), ${noToken}, amount, block FROM ${funding}`);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { point, nodesTable, rowsView, drop };
}

/** One row per interaction in the window (src, dst, type, token, value, block; token '' when none), swaps from `swaps`. */
function interactionsSql(swaps: string): string {
  return `
    SELECT from_address AS src, assumeNotNull(to_address) AS dst,
           arrayJoin(arrayFilter(t -> (t = 0 AND is_call) OR (t = 1 AND value > 0), [0, 1])) AS type,
           '' AS token, value, block_number AS block
    FROM (
      SELECT from_address, to_address, value, block_number,
             has_input OR to_address IN (${contractsAsOf}) AS is_call
      FROM transactions WHERE ${window} AND ${succeeded})
    UNION ALL
    SELECT from_address, to_address, toUInt8(2), token_address, value, block_number
    FROM token_transfers WHERE ${window} AND from_address != ${zero} AND to_address != ${zero}
    UNION ALL
    SELECT src, dst, toUInt8(3), '', value, block FROM ${swaps}`;
}
