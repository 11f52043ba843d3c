import type { AirdropTargetRow } from './airdropRows.js';
import type { Warehouse } from './createWarehouse.js';
import { airdropRowColumns, type StoredAirdropRow, toAirdropTargetRow } from './getAirdropRun.js';
import { queryRows } from './queryRows.js';

/**
 * For each of `addresses` on `chainId` that a campaign's latest run lists, its target row in the newest such run
 * (ties between runs of the same millisecond broken by campaign id), by address.
 */
export async function getLatestAirdropTargets(
  warehouse: Warehouse,
  chainId: number,
  addresses: readonly string[],
): Promise<AirdropTargetRow[]> {
  if (addresses.length === 0) return [];
  // Only the rows of each campaign's latest run count. Read without FINAL: a run interrupted before its campaign
  // row was written has newer rows with the same keys, which FINAL would keep instead of the current run's.
  const rows = await queryRows<StoredAirdropRow<AirdropTargetRow>>(
    warehouse,
    `SELECT ${airdropRowColumns} FROM airdrop_targets
     WHERE chain_id = {chainId:UInt64} AND address IN {addresses:Array(String)}
       AND (campaign_id, created_at) IN (
         SELECT campaign_id, max(created_at) FROM airdrop_campaigns
         WHERE chain_id = {chainId:UInt64} GROUP BY campaign_id)
     ORDER BY address, created_at DESC, campaign_id
     LIMIT 1 BY address
     SETTINGS final = 0`,
    { chainId, addresses },
  );
  return rows.map(toAirdropTargetRow);
}
