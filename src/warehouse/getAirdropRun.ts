import { NonRetryableError } from '../internal/errors.js';
import type { AirdropCampaignRow, AirdropTargetRow } from './airdropRows.js';
import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** A row as JSON gives it: wide integers as strings, and `created_at` as `created_ms` (an alias named like the
 *  column would shadow it in WHERE). */
export type StoredAirdropRow<T> = {
  [K in Exclude<keyof T, 'created_at'>]: T[K] extends bigint | number ? string | number : T[K];
} & {
  created_ms: string;
};

/** The SELECT list of an airdrop table that {@link toAirdropCampaignRow} and {@link toAirdropTargetRow} convert. */
export const airdropRowColumns = '* EXCEPT (created_at), toUnixTimestamp64Milli(created_at) AS created_ms';

/** A campaign row read with {@link airdropRowColumns} as an {@link AirdropCampaignRow}. */
export function toAirdropCampaignRow({
  created_ms,
  ...row
}: StoredAirdropRow<AirdropCampaignRow>): AirdropCampaignRow {
  return {
    ...row,
    chain_id: Number(row.chain_id),
    snapshot_block: Number(row.snapshot_block),
    token_decimals: Number(row.token_decimals),
    budget: BigInt(row.budget),
    eligible: Number(row.eligible),
    recipients: Number(row.recipients),
    excluded: Number(row.excluded),
    sybil_clusters: Number(row.sybil_clusters),
    created_at: Number(created_ms),
  };
}

/** A target row read with {@link airdropRowColumns} as an {@link AirdropTargetRow}. */
export function toAirdropTargetRow({
  created_ms,
  ...row
}: StoredAirdropRow<AirdropTargetRow>): AirdropTargetRow {
  return {
    ...row,
    chain_id: Number(row.chain_id),
    amount: BigInt(row.amount),
    rank: Number(row.rank),
    engagement: Number(row.engagement),
    sybil_probability: Number(row.sybil_probability),
    excluded: Number(row.excluded),
    created_at: Number(created_ms),
  };
}

/** The latest run of campaign `campaignId` (on `chainId` when given), or a clear error listing the campaigns there are. */
export async function getAirdropCampaign(
  warehouse: Warehouse,
  campaignId: string,
  chainId?: number,
): Promise<AirdropCampaignRow> {
  const rows = await queryRows<StoredAirdropRow<AirdropCampaignRow>>(
    warehouse,
    `SELECT ${airdropRowColumns} FROM airdrop_campaigns
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
  return toAirdropCampaignRow(row);
}

/**
 * The targets of a campaign's run (only `addresses` when given), by rank then address (excluded last). Read
 * without FINAL: a later run interrupted before its campaign row has newer rows with the same keys, which FINAL
 * would keep instead of this run's (a row written twice by the same run is read once).
 */
export async function getAirdropTargets(
  warehouse: Warehouse,
  campaign: Pick<AirdropCampaignRow, 'chain_id' | 'campaign_id' | 'created_at'>,
  addresses?: readonly string[],
): Promise<AirdropTargetRow[]> {
  const rows = await queryRows<StoredAirdropRow<AirdropTargetRow>>(
    warehouse,
    `SELECT ${airdropRowColumns} FROM airdrop_targets
     WHERE chain_id = {chainId:UInt64} AND campaign_id = {campaignId:String}
       AND toUnixTimestamp64Milli(created_at) = {createdAt:Int64}
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY excluded, rank, address
     LIMIT 1 BY address
     SETTINGS final = 0`,
    {
      chainId: campaign.chain_id,
      campaignId: campaign.campaign_id,
      createdAt: campaign.created_at,
      ...(addresses === undefined ? {} : { addresses }),
    },
  );
  return rows.map(toAirdropTargetRow);
}
