import { listModels } from '../../gnn/registry/listModels.js';
import { type JobStatus, jobStatuses } from '../../jobs/jobQueueSettings.js';
import { getCheckpoints } from '../../warehouse/checkpoints.js';
import { getAirdropCampaigns } from '../../warehouse/getAirdropCampaigns.js';
import { getPricePredictions } from '../../warehouse/getPricePredictions.js';
import { getRiskiest } from '../../warehouse/getRiskiest.js';
import type { QueryResolvers } from '../generated/graphqlTypes.js';
import { toRisk } from '../toRisk.js';
import { decodeCursor, encodeCursor } from './cursors.js';
import { toAirdropCampaign, toJob, toPricePrediction } from './toApiTypes.js';

/** The position after the last row of a `riskiest` page. */
interface RiskCursor {
  score: number;
  address: string;
}

function isRiskCursor(value: unknown): value is RiskCursor {
  const cursor = value as RiskCursor;
  // Scores are probabilities: anything else did not come from a page (and a huge one cannot even be sent on).
  return (
    typeof cursor?.score === 'number' &&
    cursor.score >= 0 &&
    cursor.score <= 1 &&
    typeof cursor.address === 'string'
  );
}

/** A model card that could not be read: only its task, version and error are known. */
const unreadableCard = {
  architecture: null,
  snapshotId: null,
  createdAt: null,
  backend: null,
  metrics: null,
  baseline: null,
  split: null,
  training: null,
  hyperparameters: null,
  featureNames: null,
};

/** The root queries. */
export const queryResolvers: QueryResolvers = {
  address: (_parent, { address }) => ({ address }),
  riskScores: async (_parent, { addresses }, { loaders, services }) => {
    const risks = await loaders.risk.loadMany(addresses);
    const latest = await services.latestRiskScoring();
    return addresses.map((address, i) => {
      const risk = risks[i];
      if (risk instanceof Error) throw risk;
      if (risk) return { address, risk, reason: null };
      return {
        address,
        risk: null,
        reason: latest
          ? `not scored in snapshot ${latest.snapshotId}: the address had no activity by its block`
          : 'no risk scores yet: train and score with `chaingnn risk train` and `chaingnn risk score`',
      };
    });
  },
  riskiest: async (_parent, { first, after, category }, { services }) => {
    const latest = await services.latestRiskScoring();
    if (!latest) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const rows = await getRiskiest(services.warehouse, {
      chainId: await services.chainId(),
      snapshotId: latest.snapshotId,
      first: first + 1,
      ...(after ? { after: decodeCursor(after, isRiskCursor) } : {}),
      ...(category ? { category } : {}),
    });
    const edges = rows.slice(0, first).map((row) => ({
      cursor: encodeCursor({ score: row.score, address: row.address }),
      node: { address: row.address, risk: toRisk(row) },
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  },
  airdropCampaigns: async (_parent, _args, { services }) =>
    (await getAirdropCampaigns(services.warehouse, await services.chainId())).map(toAirdropCampaign),
  airdropCampaign: async (_parent, { id }, { services }) => {
    const campaigns = await getAirdropCampaigns(services.warehouse, await services.chainId());
    const row = campaigns.find((campaign) => campaign.campaign_id === id);
    return row ? toAirdropCampaign(row) : null;
  },
  pricePredictions: async (_parent, { token, from, to, horizon, modelVersion }, { services }) => {
    const rows = await getPricePredictions(services.warehouse, {
      chainId: await services.chainId(),
      token,
      ...(from == null ? {} : { from }),
      ...(to == null ? {} : { to }),
      ...(horizon == null ? {} : { horizonSeconds: horizon }),
      ...(modelVersion == null ? {} : { modelVersion }),
    });
    return rows.sort((a, b) => a.window_start - b.window_start).map(toPricePrediction);
  },
  models: (_parent, { task }, { services }) =>
    listModels(services.common.config.dataDir, task ?? undefined).map((entry) => {
      if (!('card' in entry)) {
        const { task: name, version, error } = entry;
        return { ...unreadableCard, task: name, version, error };
      }
      const { card } = entry;
      const { architecture, ...hyperparameters } = card.model as unknown as Record<string, unknown>;
      return {
        task: card.task,
        version: card.version,
        architecture: typeof architecture === 'string' ? architecture : null,
        snapshotId: card.snapshotId || null,
        createdAt: card.createdAt,
        backend: card.backend,
        metrics: card.metrics,
        baseline: card.baseline,
        split: card.split,
        training: card.training,
        hyperparameters,
        featureNames: card.featureNames,
        error: null,
      };
    }),
  indexerStatus: async (_parent, _args, { services }) => {
    const chainId = await services.chainId().catch(() => undefined);
    const head = await services.headBlock();
    if (chainId === undefined) return { chainId: null, indexedBlock: null, head, lag: null };
    const checkpoints = await getCheckpoints(services.warehouse, chainId);
    const indexedBlock = checkpoints.length ? Math.max(...checkpoints.map((c) => c.blockNumber)) : null;
    return {
      chainId,
      indexedBlock,
      head,
      lag: head !== null && indexedBlock !== null ? Math.max(0, head - indexedBlock) : null,
    };
  },
  jobs: async (_parent, { status, first }, { services }) => {
    const statuses = status ? [status.toLowerCase().replace('_', '-') as JobStatus] : jobStatuses;
    return (await services.jobs.list(statuses, first)).map(toJob);
  },
};
