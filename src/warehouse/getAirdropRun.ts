import { NonRetryableError } from '../internal/errors.js';
import type { AirdropCampaignRow, AirdropTargetRow } from './airdropRows.js';
import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** A row as JSON gives it: wide integers as strings, and `created_at` as `created_ms` (an alias named like the
 *  column would shadow it in WHERE). */
type Stored<T> = {
  [K in Exclude<keyof T, 'created_at'>]: T[K] extends bigint | number ? string | number : T[K];
} & {
  created_ms: string;
};

/** The latest run of campaign `campaignId` (on `chainId` when given), or a clear error listing the campaigns there are. */
export async function getAirdropCampaign(
  warehouse: Warehouse,
  campaignId: string,
  chainId?: number,
): Promise<AirdropCampaignRow> {
  const rows = await queryRows<Stored<AirdropCampaignRow>>(
    warehouse,
    `SELECT * EXCEPT (created_at), toUnixTimestamp64Milli(created_at) AS created_ms FROM airdrop_campaigns
     WHERE campaign_id = {campaignId:String} ${chainId === undefined ? '' : 'AND chain_id = {chainId:UInt64}'}
     ORDER BY created_at DESC LIMIT 1`,
    { campaignId, ...(chainId === undefined ? {} : { chainId }) },
  );
  const row = rows[0];
  if (!row) {
    const known = await queryRows<{ campaign_id: string }>(
      warehouse,
      'SELECT DISTINCT campaign_id FROM airdrop_campaigns ORDER BY campaign_id',
    );
    throw new NonRetryableError(`No airdrop campaign "${campaignId}" in the warehouse`, {
      code: 'AIRDROP_CAMPAIGN_UNKNOWN',
      details: known.length
        ? `Expected one of: ${known.map((k) => k.campaign_id).join(', ')}.`
        : 'No campaign has been run yet: run `chaingnn airdrop run --campaign FILE --out DIR` first.',
    });
  }
  const { created_ms: _, ...rest } = row;
  return {
    ...rest,
    chain_id: Number(row.chain_id),
    snapshot_block: Number(row.snapshot_block),
    token_decimals: Number(row.token_decimals),
    budget: BigInt(row.budget),
    eligible: Number(row.eligible),
    recipients: Number(row.recipients),
    excluded: Number(row.excluded),
    sybil_clusters: Number(row.sybil_clusters),
    created_at: Number(row.created_ms),
  };
}

/** The targets of a campaign's run (only `addresses` when given), by rank then address (excluded last). */
export async function getAirdropTargets(
  warehouse: Warehouse,
  campaign: Pick<AirdropCampaignRow, 'chain_id' | 'campaign_id' | 'created_at'>,
  addresses?: readonly string[],
): Promise<AirdropTargetRow[]> {
  const rows = await queryRows<Stored<AirdropTargetRow>>(
    warehouse,
    `SELECT * EXCEPT (created_at), toUnixTimestamp64Milli(created_at) AS created_ms FROM airdrop_targets
     WHERE chain_id = {chainId:UInt64} AND campaign_id = {campaignId:String}
       AND toUnixTimestamp64Milli(created_at) = {createdAt:Int64}
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY excluded, rank, address`,
    {
      chainId: campaign.chain_id,
      campaignId: campaign.campaign_id,
      createdAt: campaign.created_at,
      ...(addresses === undefined ? {} : { addresses }),
    },
  );
  return rows.map(({ created_ms, ...row }) => ({
    ...row,
    chain_id: Number(row.chain_id),
    amount: BigInt(row.amount),
    rank: Number(row.rank),
    engagement: Number(row.engagement),
    sybil_probability: Number(row.sybil_probability),
    excluded: Number(row.excluded),
    created_at: Number(created_ms),
  }));
}
