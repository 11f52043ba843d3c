import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** The graph analytics of an address in a snapshot (see schema/clickhouse/014_address_communities.sql). */
export interface AddressCommunity {
  address: string;
  /** Louvain community id, and how many addresses it has. */
  community: number;
  communitySize: number;
  pagerank: number;
  /** Weakly connected component id, and how many addresses it has. */
  component: number;
  componentSize: number;
  /** k-core number. */
  coreNumber: number;
}

/** The communities of those of `addresses` that are in snapshot `snapshotId`, by address. */
export async function getAddressCommunities(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses: readonly string[],
): Promise<AddressCommunity[]> {
  if (addresses.length === 0) return [];
  const rows = await queryRows<Record<string, string | number>>(
    warehouse,
    `SELECT address, community, community_size, pagerank, component, component_size, core_number
     FROM address_communities FINAL
     WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String} AND address IN {addresses:Array(String)}
     ORDER BY address`,
    { chainId, snapshotId, addresses },
  );
  return rows.map((row) => ({
    address: String(row.address),
    community: Number(row.community),
    communitySize: Number(row.community_size),
    pagerank: Number(row.pagerank),
    component: Number(row.component),
    componentSize: Number(row.component_size),
    coreNumber: Number(row.core_number),
  }));
}
