import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** The node features of an address in a snapshot, in the order of the snapshot's `feature_names`. */
export interface AddressFeatureRow {
  address: string;
  nodeIndex: number;
  /** The node's kind (EOA, contract, token, pool). */
  kind: string;
  /** As computed. */
  raw: number[];
  /** After the snapshot's fitted normalization. */
  normalized: number[];
}

/** The features of those of `addresses` that are in snapshot `snapshotId`, by address. */
export async function getAddressFeatures(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses: readonly string[],
): Promise<AddressFeatureRow[]> {
  if (addresses.length === 0) return [];
  const rows = await queryRows<{
    address: string;
    node_index: string | number;
    kind: string;
    raw: (string | number)[];
    normalized: (string | number)[];
  }>(
    warehouse,
    `SELECT address, node_index, kind, raw, normalized
     FROM address_features FINAL
     WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String} AND address IN {addresses:Array(String)}
     ORDER BY address`,
    { chainId, snapshotId, addresses },
  );
  return rows.map((row) => ({
    address: row.address,
    nodeIndex: Number(row.node_index),
    kind: row.kind,
    raw: row.raw.map(Number),
    normalized: row.normalized.map(Number),
  }));
}
