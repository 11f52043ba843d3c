import type { AirdropCampaignRow } from './airdropRows.js';
import type { Warehouse } from './createWarehouse.js';
import { airdropRowColumns, type StoredAirdropRow, toAirdropCampaignRow } from './getAirdropRun.js';
import { queryRows } from './queryRows.js';

/** The latest run of every airdrop campaign (on `chainId` when given), newest first. */
export async function getAirdropCampaigns(
  warehouse: Warehouse,
  chainId?: number,
): Promise<AirdropCampaignRow[]> {
  const rows = await queryRows<StoredAirdropRow<AirdropCampaignRow>>(
    warehouse,
    `SELECT ${airdropRowColumns} FROM airdrop_campaigns FINAL
     ${chainId === undefined ? '' : 'WHERE chain_id = {chainId:UInt64}'}
     ORDER BY created_at DESC, chain_id, campaign_id
     LIMIT 1 BY chain_id, campaign_id`,
    chainId === undefined ? {} : { chainId },
  );
  return rows.map(toAirdropCampaignRow);
}
