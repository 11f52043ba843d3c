import type { AirdropCampaignRow, AirdropTargetRow } from './airdropRows.js';
import type { Warehouse } from './createWarehouse.js';

/**
 * Writes one run of a campaign: its targets, `batch` rows per INSERT (default 50,000), then the campaign row that
 * makes them current. Every row must carry the campaign row's `created_at`: reads take only that run's targets.
 */
export async function insertAirdropRun(
  warehouse: Warehouse,
  campaign: AirdropCampaignRow,
  targets: readonly AirdropTargetRow[],
  batch = 50_000,
): Promise<void> {
  for (let start = 0; start < targets.length; start += batch) {
    await warehouse.insert('airdrop_targets', targets.slice(start, start + batch));
  }
  await warehouse.insert('airdrop_campaigns', [campaign]);
}
