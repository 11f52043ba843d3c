import { NonRetryableError } from '../../internal/errors.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../../warehouse/airdropRows.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getAirdropCampaign, getAirdropTargets } from '../../warehouse/getAirdropRun.js';

/** An address's outcome in a campaign's latest run. */
export interface ExplainedAirdropTarget {
  campaign: AirdropCampaignRow;
  target: AirdropTargetRow;
}

/**
 * The row of `address` (lower-case) in the latest run of campaign `campaignId`: its amount and rank, or why it was
 * excluded with the evidence and peers; a clear error when the campaign does not exist or the address was not
 * eligible.
 */
export async function explainAirdropTarget(
  warehouse: Warehouse,
  campaignId: string,
  address: string,
  chainId?: number,
): Promise<ExplainedAirdropTarget> {
  const campaign = await getAirdropCampaign(warehouse, campaignId, chainId);
  const [target] = await getAirdropTargets(warehouse, campaign, [address]);
  if (!target) {
    throw new NonRetryableError(`${address} is not a target of campaign ${campaignId}`, {
      code: 'AIRDROP_TARGET_UNKNOWN',
      details: `It did not meet the campaign's minimum activity (or qualifying actions) at or before block ${campaign.snapshot_block}, or the address is mistyped.`,
    });
  }
  return { campaign, target };
}
