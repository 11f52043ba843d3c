import type { JobSummary } from '../../jobs/createJobQueues.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../../warehouse/airdropRows.js';
import type { StoredPricePrediction } from '../../warehouse/insertPricePredictions.js';
import type { AirdropCampaignModel } from '../apiModels.js';
import type { CampaignTargets } from '../createApiServices.js';
import type { AirdropTarget, Job, PricePrediction } from '../generated/graphqlTypes.js';
import { fromMillis, fromSeconds } from '../isoTime.js';

/** An `airdrop_campaigns` row as the API's campaign (its targets load on demand). */
export function toAirdropCampaign(row: AirdropCampaignRow): AirdropCampaignModel {
  return {
    row,
    id: row.campaign_id,
    name: row.name,
    snapshotId: row.snapshot_id,
    snapshotBlock: row.snapshot_block,
    tokenSymbol: row.token_symbol,
    tokenDecimals: row.token_decimals,
    budget: String(row.budget),
    allocationRule: row.allocation_rule,
    merkleRoot: row.merkle_root,
    createdAt: fromMillis(row.created_at),
    stats: {
      eligible: row.eligible,
      recipients: row.recipients,
      excluded: row.excluded,
      sybilClusters: row.sybil_clusters,
    },
  };
}

/** An `airdrop_targets` row as the API's target, with its Merkle proof when it claims. */
export function toAirdropTarget(row: AirdropTargetRow, targets: CampaignTargets): AirdropTarget {
  const excluded = row.excluded !== 0;
  const claim = targets.claimIndex.get(row.address);
  return {
    address: row.address,
    amount: String(row.amount),
    rank: excluded ? null : row.rank,
    engagement: row.engagement,
    sybilProbability: row.sybil_probability,
    clusterId: row.cluster_id || null,
    excluded,
    reason: row.reason || null,
    evidence: row.evidence,
    proof: claim === undefined || !targets.tree ? null : targets.tree.getProof(claim),
  };
}

/** A `price_predictions` row as the API's forecast. */
export function toPricePrediction(row: StoredPricePrediction): PricePrediction {
  return {
    token: row.token,
    windowStart: fromSeconds(row.window_start),
    horizonSeconds: row.horizon_seconds,
    predictedReturn: row.predicted_return,
    lower: row.lower,
    upper: row.upper,
    directionProbability: row.direction_prob,
    actualReturn: row.actual_return,
    modelVersion: row.model_version,
    predictedAt: fromMillis(row.predicted_at),
  };
}

/** A queue's or the in-process runner's job summary as the API's `Job`. */
export function toJob(job: JobSummary): Job {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    attemptsMade: job.attemptsMade,
    progress: job.progress ?? null,
    payload: job.payload ?? null,
    result: job.result ?? null,
    failedReason: job.failedReason,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}
