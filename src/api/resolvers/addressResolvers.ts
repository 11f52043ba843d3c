import { edgeTypes, type GraphSnapshot, noToken } from '../../types/graph.js';
import type { AddressProfileResolvers, InteractionType } from '../generated/graphqlTypes.js';
import { fromSeconds } from '../isoTime.js';
import { toOffsetConnection } from './cursors.js';

/** The fields of `AddressProfile`: each loads its part through the request's loaders. */
export const addressResolvers: AddressProfileResolvers = {
  address: (parent) => parent.address,
  risk: async (parent, _args, { loaders }) => {
    return (await loaders.risk.load(parent.address)) ?? null;
  },
  labels: async (parent, _args, { loaders }) =>
    (await loaders.labels.load(parent.address)).map(({ label, category, source }) => ({
      label,
      category,
      source,
    })),
  sybil: async (parent, _args, { loaders }) => {
    const row = await loaders.sybil.load(parent.address);
    return row
      ? {
          campaignId: row.campaign_id,
          probability: row.sybil_probability,
          clusterId: row.cluster_id || null,
          evidence: row.evidence,
          excluded: row.excluded !== 0,
        }
      : null;
  },
  community: async (parent, _args, { loaders }) => {
    const row = await loaders.community.load(parent.address);
    return row
      ? {
          id: row.community,
          size: row.communitySize,
          pagerank: row.pagerank,
          componentSize: row.componentSize,
          coreNumber: row.coreNumber,
          snapshotId: row.snapshotId,
        }
      : null;
  },
  features: async (parent, _args, { loaders }) => {
    const row = await loaders.features.load(parent.address);
    if (!row) return [];
    return row.featureNames.map((name, i) => ({ name, value: row.raw[i]!, normalized: row.normalized[i]! }));
  },
  activity: async (parent, _args, { loaders }) => {
    const row = await loaders.activity.load(parent.address);
    return row
      ? {
          transactionsSent: row.transactionsSent,
          transactionsReceived: row.transactionsReceived,
          tokenTransfers: row.tokenTransfers,
          swaps: row.swaps,
          firstBlock: row.firstBlock,
          lastBlock: row.lastBlock,
          firstSeen: fromSeconds(row.firstSeen),
          lastSeen: fromSeconds(row.lastSeen),
        }
      : null;
  },
  counterparties: async (parent, { first, after, type }, { services }) => {
    const listing = await services.latestGraphSnapshot();
    const content = listing && (await services.snapshotContent(listing));
    const rows = content ? listCounterparties(content.snapshot, parent.address, type ?? undefined) : [];
    return toOffsetConnection(rows, first, after);
  },
};

/** The interactions of `address` in a snapshot, both directions, most interactions first (then by address). */
function listCounterparties(snapshot: GraphSnapshot, address: string, type: InteractionType | undefined) {
  const { addresses } = snapshot.nodes;
  const node = findIndex(addresses, address);
  if (node < 0) return [];
  const wanted =
    type === undefined ? -1 : edgeTypes.indexOf(type.toLowerCase() as (typeof edgeTypes)[number]);
  const { edges } = snapshot;
  const rows = [];
  for (const [direction, csr] of [['OUT', snapshot.out] as const, ['IN', snapshot.in] as const]) {
    for (let i = csr.offsets[node]!; i < csr.offsets[node + 1]!; i += 1) {
      const edge = csr.edges[i]!;
      if (wanted >= 0 && edges.type[edge] !== wanted) continue;
      const token = edges.token[edge]!;
      const counterparty = addresses[csr.targets[i]!]!;
      rows.push({
        address: counterparty,
        profile: { address: counterparty },
        direction,
        type: edgeTypes[edges.type[edge]!]!.toUpperCase() as InteractionType,
        token: token === noToken ? null : addresses[token]!,
        count: edges.count[edge]!,
        firstBlock: edges.firstBlock[edge]!,
        lastBlock: edges.lastBlock[edge]!,
      });
    }
  }
  return rows.sort(
    (a, b) => b.count - a.count || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );
}

/** Binary search in sorted addresses; −1 when absent. */
function findIndex(sorted: readonly string[], address: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid]!;
    if (at === address) return mid;
    if (at < address) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
