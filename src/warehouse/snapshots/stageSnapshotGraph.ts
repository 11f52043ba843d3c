import { noToken, type SnapshotPoint } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';
import type { ValueBytes } from './foldEdgeRows.js';

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
  /** The bytes of the view's `value`: 16 (a UInt128) when every value fits, else 32 (a UInt256). */
  valueBytes: ValueBytes;
  /**
   * Why the addresses were keyed by themselves instead of their hashes (slower, as exact), when they were:
   * two addresses share a hash, one has the hash of '', or `address_names` misses an address of the snapshot.
   */
  keyedByAddressBecause?: string;
  /** Drops the staging tables. */
  drop(): Promise<void>;
}

/** Options for {@link stageSnapshotGraph}. */
export interface StageOptions {
  /** Key addresses by themselves even when the hashes would do (the fallback, for tests). */
  byAddress?: boolean;
}

const zero = "'0x0000000000000000000000000000000000000000'";
const maxUInt128 = "toUInt256('340282366920938463463374607431768211455')";
/** A row's place in the chain, `block * 2^32 + transaction index`: orders the rows of a block by transaction. */
const positionSql = (block: string, index: string) => `${block} * 4294967296 + ${index}`;
/** The block of a position. */
const blockOfSql = (position: string) => `toUInt32(intDiv(${position}, 4294967296))`;
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
 * received) looks before the window. (`address_names` only names the hashes found there.)
 * Edge types: 0 call (successful tx to a contract or with input), 1 native transfer (tx value > 0),
 * 2 token transfer (mints and burns, to or from the zero address, left out), 3 swap (the swapping
 * transaction's sender, or the swap's recipient when transactions are not indexed, to the pool),
 * 4 funding (the first ETH an account ever received, funder to account; contracts are not "funded").
 * Node kinds: 0 EOA (or unknown), 1 contract, 2 token, 3 pool.
 * Why this shape: a GROUP BY on pairs of 42-character addresses, with UInt256 sums in each group, costs more
 * than numbering the addresses once and sorting the interactions by node index (a sort the CSR needs anyway),
 * after which equal neighbours fold into edges as they stream. The interactions are read once, each address
 * kept as its 64-bit hash (cheaper to store, collect and look up than the string); funding is found among them
 * (and, with a window, before it); the hashes are named by looking them up in `address_names` (which the
 * warehouse fills as rows arrive) and numbered as the rows are read back. Exact: each hash must name exactly
 * one address there, and none that of '' (no token), else the staging runs again keyed by the addresses
 * themselves (and says why).
 */
export async function stageSnapshotGraph(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
  options: StageOptions = {},
): Promise<StagedSnapshot> {
  if (options.byAddress) return (await stage(warehouse, point, name, false)) as StagedSnapshot;
  const staged = await stage(warehouse, point, name, true);
  if (typeof staged !== 'string') return staged;
  const byAddress = (await stage(warehouse, point, name, false)) as StagedSnapshot;
  return { ...byAddress, keyedByAddressBecause: staged };
}

/**
 * Stages the snapshot with addresses keyed by hash or by themselves; keyed by hash, the reason to key them by
 * themselves instead, when there is one.
 */
async function stage(
  warehouse: Warehouse,
  point: SnapshotPoint,
  name: string,
  byHash: boolean,
): Promise<StagedSnapshot | string> {
  const table = (part: string) => `${name}_${part}`;
  const [swaps, keyed, funding, used, nodesTable, index, rowsView] = [
    'swaps',
    'keyed',
    'funding',
    'used',
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
  const drop = () => dropTables([rowsView, swaps, keyed, funding, used, nodesTable, index]);
  await drop();
  const key = (address: string) => (byHash ? `cityHash64(${address})` : address);
  const noTokenKey = key("''");
  // The keys of every address in an interaction.
  const keyedAddresses = `SELECT sk FROM ${keyed} UNION ALL SELECT dk FROM ${keyed}
                          UNION ALL SELECT kk FROM ${keyed} WHERE kk != ${noTokenKey}`;
  const idx = (addressKey: string) => `joinGet('${index}', 'idx', ${addressKey})`;
  let valueBytes: ValueBytes;
  try {
    await run(`
      CREATE TABLE ${swaps} ENGINE = Memory AS
      SELECT if(t.from_address = '', s.recipient, t.from_address) AS src, s.pool_address AS dst,
             s.amount_in AS value, ${positionSql('s.block_number', 's.transaction_index')} AS position
      FROM dex_swaps AS s
      LEFT JOIN (
        -- Only the swapping transactions: a hash table of every transaction in the window costs more.
        SELECT block_number, transaction_index, from_address FROM transactions
        WHERE ${window} AND (block_number, transaction_index) IN (SELECT block_number, transaction_index FROM dex_swaps WHERE ${window})
      ) AS t ON s.block_number = t.block_number AND s.transaction_index = t.transaction_index
      WHERE s.chain_id = {chain:UInt64} AND s.block_number BETWEEN {lo:UInt64} AND {hi:UInt64}`);
    await run(`
      CREATE TABLE ${keyed} ENGINE = Memory AS
      SELECT ${key('src')} AS sk, ${key('dst')} AS dk, type, ${key('token')} AS kk, value, position
      FROM (${interactionsSql(swaps)})`);
    // Funding: the first ETH each account (not contract) received, ever (up to the as-of block): its first
    // native transfer in the window, unless one came before the window (looked for only for the window's
    // addresses).
    await run(`
      CREATE TABLE ${funding} ENGINE = Memory AS
      SELECT argMin(sk, position) AS sk, dk, argMin(value, position) AS amount,
             ${blockOfSql('min(position)')} AS block
      FROM (
        SELECT sk, dk, value, position FROM ${keyed} WHERE type = 1
        UNION ALL
        SELECT ${key('from_address')}, ${key('assumeNotNull(to_address)')}, value,
               ${positionSql('block_number', 'transaction_index')}
        FROM transactions
        WHERE chain_id = {chain:UInt64} AND block_number < {lo:UInt64} AND ${succeeded} AND value > 0
          AND ${key('assumeNotNull(to_address)')} IN (${keyedAddresses}))
      WHERE dk NOT IN (SELECT ${key('address')} FROM contracts WHERE chain_id = {chain:UInt64} AND block_number <= {hi:UInt64})
      GROUP BY dk`);
    // Every key above, once, with its address: looked up in `address_names`, or, keyed by the addresses, the key.
    await run(`
      CREATE TABLE ${used} ENGINE = Memory AS
      SELECT DISTINCT sk AS key FROM (${keyedAddresses} UNION ALL SELECT sk FROM ${funding})`);
    const names = byHash
      ? `SELECT key, address FROM address_names WHERE chain_id = {chain:UInt64} AND key IN ${used}`
      : `SELECT key, key AS address FROM ${used}`;
    await run(`
      CREATE TABLE ${nodesTable} ENGINE = Memory AS
      SELECT address, key, toUInt32(row_number() OVER (ORDER BY address) - 1) AS idx, ${nodeKindSql} AS kind
      FROM (${names})`);
    if (byHash) {
      const problem = await findHashProblem(warehouse, point.chainId, nodesTable, used, noTokenKey);
      if (problem) {
        await drop();
        return problem;
      }
    }
    await run(`CREATE TABLE ${index} ENGINE = Join(ANY, LEFT, key) AS SELECT key, idx FROM ${nodesTable}`);
    const [widest] = await queryRows<{ narrow: number }>(
      warehouse,
      `SELECT greatest((SELECT max(value) FROM ${keyed}), (SELECT max(amount) FROM ${funding})) <= ${maxUInt128} AS narrow`,
    );
    valueBytes = widest?.narrow ? 16 : 32;
    const value = (column: string) => (valueBytes === 16 ? `toUInt128(${column})` : column);
    await run(`
      CREATE VIEW ${rowsView} AS
      SELECT ${idx('sk')} AS s, ${idx('dk')} AS d, type, if(kk = ${noTokenKey}, ${noToken}, ${idx('kk')}) AS k,
             ${value('value')} AS value, ${blockOfSql('position')} AS block
      FROM ${keyed}
      UNION ALL
      SELECT ${idx('sk')}, ${idx('dk')}, toUInt8(4), ${noToken}, ${value('amount')}, block FROM ${funding}`);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { point, nodesTable, rowsView, valueBytes, drop };
}

/**
 * Why the hash-keyed nodes in table `nodes` cannot number the snapshot, if they cannot: two of them share a hash,
 * `address_names` lacks the name of a key in table `used`, or an address there has the hash of '' (the key that
 * stands for "no token": a token with it would lose its transfers' token).
 */
async function findHashProblem(
  warehouse: Warehouse,
  chainId: number,
  nodes: string,
  used: string,
  noTokenKey: string,
): Promise<string | undefined> {
  const [row] = await queryRows<Record<'named' | 'keys' | 'used' | 'tokenless', string>>(
    warehouse,
    `SELECT count() AS named, uniqExact(key) AS keys, (SELECT count() FROM ${used}) AS used,
            (SELECT count() FROM address_names
             WHERE chain_id = {chain:UInt64} AND key = ${noTokenKey} AND address != '') AS tokenless
     FROM ${nodes}`,
    { chain: chainId },
  );
  const [named, keys, usedKeys, tokenless] = (['named', 'keys', 'used', 'tokenless'] as const).map((n) =>
    Number(row![n]),
  );
  if (named !== keys) return `${named! - keys!} addresses share an address hash with another`;
  if (keys !== usedKeys)
    return `address_names lacks the names of ${usedKeys! - keys!} of the snapshot's ${usedKeys} addresses (rows written without its materialized views?)`;
  if (tokenless) return `${tokenless} addresses have the hash of '', which stands for "no token"`;
  return undefined;
}

/**
 * One row per interaction in the window (src, dst, type, token, value, position; token '' when none), swaps from
 * `swaps`.
 */
function interactionsSql(swaps: string): string {
  return `
    SELECT from_address AS src, assumeNotNull(to_address) AS dst,
           arrayJoin(arrayFilter(t -> (t = 0 AND is_call) OR (t = 1 AND value > 0), [0, 1])) AS type,
           '' AS token, value, ${positionSql('block_number', 'transaction_index')} AS position
    FROM (
      SELECT from_address, to_address, value, block_number, transaction_index,
             has_input OR to_address IN (${contractsAsOf}) AS is_call
      FROM transactions WHERE ${window} AND ${succeeded})
    UNION ALL
    SELECT from_address, to_address, toUInt8(2), token_address, value, ${positionSql('block_number', 'transaction_index')}
    FROM token_transfers WHERE ${window} AND from_address != ${zero} AND to_address != ${zero}
    UNION ALL
    SELECT src, dst, toUInt8(3), '', value, position FROM ${swaps}`;
}
