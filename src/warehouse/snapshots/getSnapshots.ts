import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';

/** A snapshot as listed in `graph_snapshots`. */
export interface SnapshotListing {
  chainId: number;
  snapshotId: string;
  asOfBlock: number;
  fromBlock: number;
  nodes: number;
  edges: number;
  file: string;
  /** The node features' names, in column order. */
  featureNames: string[];
  createdAt: string;
}

/** The snapshots of `chainId` (every chain without it), newest as-of block first. */
export async function getSnapshots(warehouse: Warehouse, chainId?: number): Promise<SnapshotListing[]> {
  const rows = await queryRows<Record<string, string> & { feature_names: string[] }>(
    warehouse,
    `SELECT chain_id, snapshot_id, as_of_block, from_block, nodes, edges, files, feature_names,
            toString(created_at) AS created_at
     FROM graph_snapshots ${chainId === undefined ? '' : 'WHERE chain_id = {chainId:UInt64}'}
     ORDER BY as_of_block DESC, created_at DESC`,
    chainId === undefined ? {} : { chainId },
  );
  return rows.map((r) => ({
    chainId: Number(r.chain_id),
    snapshotId: r.snapshot_id!,
    asOfBlock: Number(r.as_of_block),
    fromBlock: Number(r.from_block),
    nodes: Number(r.nodes),
    edges: Number(r.edges),
    file: r.files!,
    featureNames: r.feature_names,
    createdAt: r.created_at!,
  }));
}

/**
 * The chain ids that have blocks in the warehouse, or transactions (imported transaction lists have no blocks).
 * Found one at a time, each the least chain id above the last in either table: both tables' sorting keys start
 * with `chain_id`, so each step reads the first matching granule of each part, and the cost grows with the
 * chains and parts, not with the rows (a DISTINCT over both tables read 2M rows in 5 ms more than a trivial
 * query, and would read every transaction of a mainnet warehouse). Read without FINAL: any row lists its chain.
 */
export async function getIndexedChains(warehouse: Warehouse): Promise<number[]> {
  const chains: number[] = [];
  const first = (table: string, after: string) =>
    `SELECT chain_id FROM ${table} WHERE ${after} ORDER BY chain_id LIMIT 1`;
  for (;;) {
    const after = chains.length === 0 ? '1' : 'chain_id > {after:UInt64}';
    const [row] = await queryRows<{ chain_id: string }>(
      warehouse,
      `SELECT chain_id FROM (${first('blocks', after)} UNION ALL ${first('transactions', after)})
       ORDER BY chain_id LIMIT 1 SETTINGS final = 0`,
      { after: chains.at(-1) ?? 0 },
    );
    if (!row) return chains;
    chains.push(Number(row.chain_id));
  }
}
