import { LRUCache } from 'lru-cache';
import { createRpcClient } from '../chain/rpc/createRpcClient.js';
import type { Config } from '../config/configSchema.js';
import type { SnapshotContent } from '../graph/snapshotFile.js';
import type { Common } from '../internal/createCommon.js';
import { NonRetryableError } from '../internal/errors.js';
import { buildClaimTree, type ClaimTree } from '../tasks/airdrop/buildClaimTree.js';
import { getOnlyChain, onlyChainOf } from '../tasks/graphs/getOnlyChain.js';
import { loadSnapshot } from '../tasks/graphs/loadSnapshot.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../warehouse/airdropRows.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { getAirdropTargets } from '../warehouse/getAirdropRun.js';
import { getRiskScoredSnapshots, type RiskScoredSnapshot } from '../warehouse/getRiskScoredSnapshots.js';
import { getRiskScoreSummaries } from '../warehouse/getRiskScores.js';
import { getIndexedChains, getSnapshots, type SnapshotListing } from '../warehouse/snapshots/getSnapshots.js';
import type { RiskModel } from './apiModels.js';
import { type AddressReads, byAddress, createAddressReads } from './createAddressReads.js';
import type { ApiJobs } from './createApiJobs.js';
import { createLatestValue } from './createLatestValue.js';
import { createReadCoalescer, type ReadCoalescer } from './createReadCoalescer.js';
import { createRiskAlerts, type RiskAlerts } from './createRiskAlerts.js';
import { toRisk } from './toRisk.js';

/** An airdrop run's targets as the API pages them, with the claim tree for proofs. */
export interface CampaignTargets {
  recipients: AirdropTargetRow[];
  excluded: AirdropTargetRow[];
  tree: ClaimTree | undefined;
  /** Index of each claiming address in the tree's entries. */
  claimIndex: Map<string, number>;
}

/** What the resolvers share across requests: the warehouse, the jobs, and caches of the latest results. */
export interface ApiServices {
  common: Common;
  warehouse: Warehouse;
  jobs: ApiJobs;
  limits: Config['api'];
  /** The chain the API serves (the only one in the warehouse). */
  chainId(): Promise<number>;
  /** The newest risk-scored snapshot, or undefined before the first scoring. */
  latestRiskScoring(): Promise<RiskScoredSnapshot | undefined>;
  /** The newest graph snapshot, or undefined before the first one. */
  latestGraphSnapshot(): Promise<SnapshotListing | undefined>;
  /** The head block of the configured RPC node (null without one, or when it does not answer). */
  headBlock(): Promise<number | null>;
  /** Labels, sybil rows, communities, features and activity of addresses, concurrent requests' in one read per kind. */
  addressReads: AddressReads;
  /** The latest risk score of each address (undefined where it has none), from an LRU cache in front of the warehouse. */
  riskScores(addresses: readonly string[]): Promise<(RiskModel | undefined)[]>;
  /** A graph snapshot's file content (the last few are kept in memory). */
  snapshotContent(listing: SnapshotListing): Promise<SnapshotContent>;
  /** An airdrop run's targets and claim tree (the last few runs are kept). */
  campaignTargets(campaign: AirdropCampaignRow): Promise<CampaignTargets>;
  /** Drops every cache but the served chain (after a rescoring, a new snapshot, new labels or a new campaign run). */
  invalidate(): void;
  /** Risk alert subscriptions, fed after every scoring job. */
  alerts: RiskAlerts;
}

/** Options for {@link createApiServices}. */
export interface ApiServicesOptions {
  /** How long the latest snapshot and scoring are trusted before they are checked again (default 5 s). */
  latestTtlMs?: number;
  /** Risk scores kept in memory (default 200,000). */
  maxCachedScores?: number;
}

/** Builds the API's shared services; caches are dropped whenever a job that changes results completes. */
export function createApiServices(
  common: Common,
  warehouse: Warehouse,
  jobs: ApiJobs,
  options: ApiServicesOptions = {},
): ApiServices {
  const ttl = options.latestTtlMs ?? 5_000;
  // No chain yet is an answer (nothing indexed, so nothing scored); several chains is a configuration error.
  let servedChain: number | undefined;
  const chain = createLatestValue(async () => {
    const chains = await getIndexedChains(warehouse);
    servedChain = chains.length === 0 ? undefined : onlyChainOf(chains);
    return servedChain;
  }, ttl);
  const onChain = <T>(read: (chainId: number) => Promise<T[]>) =>
    createLatestValue(async () => {
      const chainId = await chain.get();
      return chainId === undefined ? undefined : (await read(chainId))[0];
    }, ttl);
  const scoring = onChain((chainId) => getRiskScoredSnapshots(warehouse, chainId));
  const graph = onChain((chainId) => getSnapshots(warehouse, chainId));
  const { rpcUrl } = common.config;
  const rpc = rpcUrl?.startsWith('http')
    ? createRpcClient({ url: rpcUrl, timeoutMs: 2_000, maxAttempts: 1 })
    : undefined;
  const head = createLatestValue(
    async () =>
      rpc ? Number(await rpc.request<string>('eth_blockNumber').catch(() => Number.NaN)) : Number.NaN,
    ttl,
  );
  // Each score is held as the `Risk` the API answers with, made once when it is read: one object per address (and
  // its address string, the warehouse's, not a slice of the request that asked), little for the collector to mark.
  const scores = new LRUCache<string, RiskModel | false>({ max: options.maxCachedScores ?? 200_000 });
  /** The scoring the cached scores belong to, and the reader of its scores the cache misses. */
  let scoresOf: { version: string; reader: ReadCoalescer<RiskModel> } | undefined;
  const contents = new LRUCache<string, Promise<SnapshotContent>>({ max: 2 });
  const campaigns = new LRUCache<string, Promise<CampaignTargets>>({ max: 4 });

  const services: ApiServices = {
    common,
    warehouse,
    jobs,
    limits: common.config.api,
    chainId: async () => (await chain.get()) ?? getOnlyChain(warehouse),
    latestRiskScoring: () => scoring.get(),
    latestGraphSnapshot: () => graph.get(),
    addressReads: createAddressReads({
      warehouse,
      chainId: () => services.chainId(),
      latestGraphSnapshot: () => services.latestGraphSnapshot(),
    }),
    headBlock: async () => {
      const block = await head.get();
      return Number.isFinite(block) ? block : null;
    },
    async riskScores(addresses) {
      const latest = await scoring.get();
      if (!latest) return addresses.map(() => undefined);
      const version = `${latest.snapshotId}@${latest.modelVersion}@${latest.scoredAt}`;
      if (version !== scoresOf?.version) {
        scores.clear();
        scoresOf = {
          version,
          reader: createReadCoalescer(async (keys) => {
            const rows = await getRiskScoreSummaries(
              warehouse,
              await services.chainId(),
              latest.snapshotId,
              keys,
            );
            return byAddress(rows.map(toRisk));
          }),
        };
      }
      const { reader } = scoresOf;
      // One cache lookup per address; `false` caches "not scored". The reader asks each address once.
      const cached = addresses.map((address) => scores.get(address));
      const missing = addresses.filter((_, i) => cached[i] === undefined);
      if (missing.length === 0) return cached.map((hit) => hit || undefined);
      const found = await reader.load(missing);
      if (scoresOf?.version === version) {
        for (const address of missing) {
          const risk = found.get(address);
          scores.set(risk?.address ?? address, risk ?? false);
        }
      }
      return addresses.map((address, i) => cached[i] || found.get(address));
    },
    snapshotContent(listing) {
      let content = contents.get(listing.snapshotId);
      if (!content) {
        content = loadSnapshot(warehouse, common.config.dataDir, {
          snapshotId: listing.snapshotId,
          chainId: listing.chainId,
        }).then((loaded) => loaded.content);
        content.catch(() => contents.delete(listing.snapshotId));
        contents.set(listing.snapshotId, content);
      }
      return content;
    },
    campaignTargets(campaign) {
      const key = `${campaign.chain_id}/${campaign.campaign_id}@${campaign.created_at}`;
      let targets = campaigns.get(key);
      if (!targets) {
        targets = readCampaignTargets(warehouse, campaign);
        targets.catch(() => campaigns.delete(key));
        campaigns.set(key, targets);
      }
      return targets;
    },
    alerts: createRiskAlerts(warehouse, common.logger),
    invalidate() {
      // Once a chain is indexed, no job moves it: it is kept (a second chain shows at its next refresh, as an error).
      if (servedChain === undefined) chain.reset();
      for (const value of [scoring, graph]) value.reset();
      scores.clear();
      contents.clear();
      campaigns.clear();
    },
  };
  jobs.onCompleted((kind) => {
    services.invalidate();
    if (kind !== 'score' && kind !== 'refresh') return;
    services
      .chainId()
      .then((chainId) => services.alerts.publish(chainId))
      .catch((error: unknown) => common.logger.error({ err: error }, 'risk alerts failed'));
  });
  return services;
}

/** Reads a run's targets and rebuilds its claim tree, refusing a tree whose root differs from the stored one. */
async function readCampaignTargets(
  warehouse: Warehouse,
  campaign: AirdropCampaignRow,
): Promise<CampaignTargets> {
  const rows = await getAirdropTargets(warehouse, campaign);
  const recipients = rows.filter((row) => row.excluded === 0);
  const claims = recipients.filter((row) => row.amount > 0n);
  const tree =
    claims.length > 0
      ? buildClaimTree(claims.map(({ address, amount }) => ({ address, amount })))
      : undefined;
  if (tree && tree.root !== campaign.merkle_root) {
    throw new NonRetryableError(
      `Airdrop campaign ${campaign.campaign_id}: its targets do not give its Merkle root`,
      {
        code: 'AIRDROP_TREE_MISMATCH',
        details: `Stored root ${campaign.merkle_root}, rebuilt ${tree.root}. Run the campaign again.`,
      },
    );
  }
  return {
    recipients,
    excluded: rows.filter((row) => row.excluded !== 0),
    tree,
    claimIndex: new Map(claims.map((row, index) => [row.address, index])),
  };
}
