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
 * Read without FINAL: a chain is listed from any of its rows, and the sorting key's first column is cheap to scan.
 */
export async function getIndexedChains(warehouse: Warehouse): Promise<number[]> {
  const rows = await queryRows<{ chain_id: string }>(
    warehouse,
    `SELECT DISTINCT chain_id FROM (SELECT chain_id FROM blocks UNION ALL SELECT chain_id FROM transactions)
     ORDER BY chain_id SETTINGS final = 0`,
  );
  return rows.map((r) => Number(r.chain_id));
}
