import type { Logger } from 'pino';
import { createTfBackend, type TfBackendName } from '../../gnn/createTfBackend.js';
import type { NodeArchitecture } from '../../gnn/models/nodeModelConfig.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { NonRetryableError } from '../../internal/errors.js';
import { stringifyJson } from '../../utils/stringifyJson.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../../warehouse/airdropRows.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getAirdropActivity } from '../../warehouse/getAirdropActivity.js';
import { getLabelledAddresses } from '../../warehouse/getLabelledAddresses.js';
import { getRiskScores } from '../../warehouse/getRiskScores.js';
import { getSybilLabels } from '../../warehouse/getSybilLabels.js';
import { insertAirdropRun } from '../../warehouse/insertAirdropRun.js';
import { getSnapshots } from '../../warehouse/snapshots/getSnapshots.js';
import { buildSnapshot } from '../graphs/buildSnapshot.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { allocateBudget } from './allocateBudget.js';
import { allocationWeights } from './allocationWeights.js';
import { buildClaimTree, type ClaimTree } from './buildClaimTree.js';
import type { Campaign } from './campaignSchema.js';
import { computeEngagement, type Engagement } from './computeEngagement.js';
import { computeSybilEvaluation, type SybilEvaluation, toFarmKind } from './computeSybilEvaluation.js';
import { crossFitSybilModel, type SybilModelResult } from './crossFitSybilModel.js';
import { findComponentClusters } from './findComponentClusters.js';
import { findSybilClusters, type SybilCluster } from './findSybilClusters.js';
import { loadExcludedAddresses } from './loadExcludedAddresses.js';

/** Label categories whose addresses are hubs (many unrelated customers): funding through them links no one. */
const hubCategories = new Set(['exchange', 'cex', 'bridge']);

/** Options for {@link runAirdrop}. */
export interface RunAirdropOptions {
  campaign: Campaign;
  warehouse: Warehouse;
  logger: Logger;
  /** Snapshots are read from and built under `<dataDir>/graphs/`. */
  dataDir: string;
  /** The sybil model (default sage), its folds (default 5) and most epochs per fold (default 60). */
  architecture?: NodeArchitecture | undefined;
  folds?: number | undefined;
  epochs?: number | undefined;
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
}

/** One eligible address's outcome, in the order of the targets table. */
export type AirdropTarget = AirdropTargetRow;

/** What a run decided and measured. */
export interface AirdropRun {
  campaign: AirdropCampaignRow;
  /** Every eligible address: recipients by rank, then the excluded by address. */
  targets: AirdropTarget[];
  tree: ClaimTree | undefined;
  clusters: SybilCluster[];
  sybilModel: SybilModelResult & { labels: 'labels' | 'weak' | 'none' };
  /** Against the warehouse's sybil labels, when it has any for the chain: ours and the components baseline. */
  evaluation: SybilEvaluation | undefined;
}

/**
 * Runs a campaign: the graph snapshot at its block (built when missing), the addresses that meet its minimum
 * activity, sybil clusters (funding trees, lockstep communities, behavioural similarity), out-of-fold GNN sybil
 * probabilities, exclusions (lists, risk, sybils), engagement, the allocation of the budget and its Merkle tree;
 * then writes `airdrop_targets` and, last, the `airdrop_campaigns` row that makes the run current.
 */
export async function runAirdrop(options: RunAirdropOptions): Promise<AirdropRun> {
  const { campaign, warehouse, logger } = options;
  const excludedByList = loadExcludedAddresses(campaign);
  const content = await loadCampaignSnapshot(options);
  const { snapshot } = content;
  const activity = await getAirdropActivity(warehouse, {
    chainId: campaign.chainId,
    toBlock: campaign.snapshotBlock,
    contracts: campaign.qualifying.contracts,
    tokens: campaign.qualifying.tokens,
    actions: campaign.qualifying.actions,
    minActions: campaign.minActivity.actions,
    minActiveDays: campaign.minActivity.activeDays,
    minDistinctContracts: campaign.minActivity.distinctContracts,
    excludeContracts: campaign.exclusions.contracts,
  });
  logger.info({ eligible: activity.length }, 'addresses meeting the minimum activity');
  const risk = await loadRiskFilter(options, snapshot.id);
  const labelled = await getLabelledAddresses(warehouse, campaign.chainId);
  const knownHubs = new Set(
    labelled.filter((l) => l.categories.some((c) => hubCategories.has(c))).map((l) => l.address),
  );
  const found = findSybilClusters(snapshot, content.communities.community, activity, {
    minClusterSize: campaign.sybil.minClusterSize,
    similarity: campaign.sybil.similarity,
    seed: campaign.seed,
    knownHubs,
  });
  logger.info({ clusters: found.clusters.length }, 'sybil clusters found');

  const { nodes } = found;
  const sybilLabels = await getSybilLabels(warehouse, campaign.chainId);
  const sybilModel = await scoreSybilModel(options, content, nodes, found, sybilLabels, activity);

  const engagement = computeEngagement(activity, snapshot.point.asOfTime);
  const outcome = activity.map((row, i) => {
    const finding = found.findings[i];
    const probability = sybilModel.trained ? sybilModel.probabilities[i]! : 0;
    const listed = excludedByList.get(row.address);
    const riskScore = risk?.get(row.address);
    if (listed) return { reason: 'list', evidence: [`listed in ${listed}`] };
    if (riskScore !== undefined && riskScore > campaign.exclusions.maxRiskScore!) {
      return {
        reason: 'risk',
        evidence: [`risk score ${riskScore.toFixed(3)} is above ${campaign.exclusions.maxRiskScore}`],
      };
    }
    if (finding) return { reason: 'sybil_cluster', evidence: finding.evidence };
    if (probability >= campaign.sybil.maxProbability) {
      return {
        reason: 'sybil_model',
        evidence: [
          `sybil model: probability ${probability.toFixed(3)} is at or above ${campaign.sybil.maxProbability} ` +
            `(trained on ${sybilModel.labels === 'labels' ? 'sybil labels' : 'the heuristic clusters'}, out of fold)`,
        ],
      };
    }
    return { reason: '', evidence: [] };
  });
  const recipients = activity
    .map((_, i) => i)
    .filter((i) => outcome[i]!.reason === '')
    .sort(
      (a, b) =>
        engagement[b]!.score - engagement[a]!.score || (activity[a]!.address < activity[b]!.address ? -1 : 1),
    );
  const amounts = recipients.length
    ? allocateBudget(
        campaign.budget,
        allocationWeights(
          campaign.allocation,
          recipients.map((i) => engagement[i]!.score),
        ),
        'maxAmount' in campaign.allocation ? campaign.allocation.maxAmount : undefined,
      )
    : [];
  const entries = recipients
    .map((i, rank) => ({ address: activity[i]!.address, amount: amounts[rank]! }))
    .filter((entry) => entry.amount > 0n);
  const tree = entries.length ? buildClaimTree(entries) : undefined;

  const createdAt = Date.now();
  const rankOf = new Map(recipients.map((i, rank) => [i, rank]));
  const targets = activity
    .map((row, i): AirdropTarget => {
      const rank = rankOf.get(i);
      return {
        chain_id: campaign.chainId,
        campaign_id: campaign.id,
        address: row.address,
        amount: rank === undefined ? 0n : amounts[rank]!,
        rank: rank === undefined ? 0 : rank + 1,
        engagement: engagement[i]!.score,
        sybil_probability: sybilModel.trained ? sybilModel.probabilities[i]! : 0,
        cluster_id: found.findings[i]?.clusterId ?? '',
        excluded: rank === undefined ? 1 : 0,
        reason: outcome[i]!.reason,
        evidence: [...outcome[i]!.evidence, describeEngagement(engagement[i]!)],
        peers: found.findings[i]?.peers ?? [],
        created_at: createdAt,
      };
    })
    .sort((a, b) => a.excluded - b.excluded || a.rank - b.rank || (a.address < b.address ? -1 : 1));
  const campaignRow: AirdropCampaignRow = {
    chain_id: campaign.chainId,
    campaign_id: campaign.id,
    name: campaign.name,
    snapshot_id: snapshot.id,
    snapshot_block: campaign.snapshotBlock,
    token_symbol: campaign.token.symbol,
    token_decimals: campaign.token.decimals,
    budget: campaign.budget,
    allocation_rule: campaign.allocation.rule,
    merkle_root: tree?.root ?? '',
    sybil_labels: sybilModel.labels,
    eligible: activity.length,
    recipients: recipients.length,
    excluded: activity.length - recipients.length,
    sybil_clusters: found.clusters.length,
    config: stringifyJson(campaign),
    created_at: createdAt,
  };
  await insertAirdropRun(warehouse, campaignRow, targets);

  const evaluation = sybilLabels.size
    ? computeSybilEvaluation(
        activity.map((row) => {
          const label = sybilLabels.get(row.address);
          return label === undefined ? undefined : toFarmKind(label);
        }),
        [
          {
            name: 'chaingnn (clusters + model)',
            flagged: (i) => outcome[i]!.reason === 'sybil_cluster' || outcome[i]!.reason === 'sybil_model',
          },
          { name: 'chaingnn clusters only', flagged: (i) => found.findings[i] !== undefined },
          {
            name: `chaingnn model only (P ≥ ${campaign.sybil.maxProbability})`,
            flagged: (i) =>
              sybilModel.trained && sybilModel.probabilities[i]! >= campaign.sybil.maxProbability,
          },
          {
            name: `baseline: connected components ≥ ${campaign.sybil.minClusterSize}`,
            flagged: (
              (flags) => (i: number) =>
                flags[i]! >= 0
            )(findComponentClusters(snapshot, found.funding, nodes, campaign.sybil.minClusterSize)),
          },
        ],
      )
    : undefined;
  return { campaign: campaignRow, targets, tree, clusters: found.clusters, sybilModel, evaluation };
}

/** The campaign block's snapshot: the stored one, or built now (all history, normalizer fitted on it). */
async function loadCampaignSnapshot(options: RunAirdropOptions): Promise<SnapshotContent> {
  const { campaign, warehouse } = options;
  const id = `c${campaign.chainId}_b${campaign.snapshotBlock}_f0`;
  const stored = await getSnapshots(warehouse, campaign.chainId);
  if (stored.some((s) => s.snapshotId === id)) {
    return (await loadSnapshot(warehouse, options.dataDir, { snapshotId: id, chainId: campaign.chainId }))
      .content;
  }
  options.logger.info({ id }, 'no snapshot at the campaign block yet: building it');
  return buildSnapshot({
    warehouse,
    logger: options.logger,
    dataDir: options.dataDir,
    chainId: campaign.chainId,
    asOfBlock: campaign.snapshotBlock,
  });
}

/** The risk scores of the campaign snapshot when the campaign caps them, or a clear error when there are none. */
async function loadRiskFilter(
  options: RunAirdropOptions,
  snapshotId: string,
): Promise<Map<string, number> | undefined> {
  const { campaign } = options;
  if (campaign.exclusions.maxRiskScore === undefined) return undefined;
  const rows = await getRiskScores(options.warehouse, campaign.chainId, snapshotId);
  if (rows.length === 0) {
    throw new NonRetryableError(
      `exclusions.maxRiskScore is set but snapshot ${snapshotId} has no risk scores`,
      {
        code: 'AIRDROP_RISK_SCORES_MISSING',
        details: `Score it first: chaingnn risk score --snapshot ${snapshotId} (after chaingnn risk train), or remove exclusions.maxRiskScore.`,
      },
    );
  }
  return new Map(rows.map((row) => [row.address, row.score]));
}

/** The out-of-fold sybil model, trained on sybil labels or on the clusters as the campaign says. */
async function scoreSybilModel(
  options: RunAirdropOptions,
  content: SnapshotContent,
  nodes: readonly number[],
  found: ReturnType<typeof findSybilClusters>,
  sybilLabels: ReadonlyMap<string, string>,
  activity: readonly { address: string }[],
): Promise<AirdropRun['sybilModel']> {
  const { campaign } = options;
  const folds = options.folds ?? 5;
  const labelledEligible = activity.filter((row) => sybilLabels.has(row.address)).length;
  const useLabels =
    campaign.sybil.labels === 'labels' || (campaign.sybil.labels === 'auto' && labelledEligible >= 2 * folds);
  if (campaign.sybil.labels === 'labels' && labelledEligible === 0) {
    throw new NonRetryableError('sybil.labels is "labels" but no eligible address has a sybil label', {
      code: 'AIRDROP_SYBIL_LABELS_MISSING',
      details:
        'Import sybil labels (category sybil) with chaingnn labels import, or set sybil.labels to "weak" or "auto".',
    });
  }
  const targets = Int32Array.from(activity, (row, i) =>
    useLabels ? Number(sybilLabels.has(row.address)) : Number(found.findings[i] !== undefined),
  );
  // A wallet without a funding root is its own group (negative numbers never collide with node ids).
  const groups = Int32Array.from(found.roots, (root, i) => (root >= 0 ? root : -1 - i));
  await createTfBackend({ logger: options.logger, backend: options.backend, threads: options.threads });
  const result = await crossFitSybilModel({
    content,
    nodes,
    targets,
    groups,
    architecture: options.architecture ?? 'sage',
    folds,
    epochs: options.epochs ?? 60,
    seed: campaign.seed,
    logger: options.logger,
  });
  return { ...result, labels: result.trained ? (useLabels ? 'labels' : 'weak') : 'none' };
}

/** One evidence sentence on an address's engagement. */
function describeEngagement(e: Engagement): string {
  return (
    `engagement ${e.score.toFixed(3)}: ${e.diversity} contracts, ${e.longevityDays.toFixed(1)} days old, ` +
    `timing irregularity ${e.organicTiming.toFixed(2)}, ${e.valueEth.toFixed(4)} ETH sent`
  );
}
