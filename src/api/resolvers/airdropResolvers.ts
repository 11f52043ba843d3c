import type { AirdropCampaignResolvers } from '../generated/graphqlTypes.js';
import { toOffsetConnection } from './cursors.js';
import { toAirdropTarget } from './toApiTypes.js';

/** `AirdropCampaign.targets`: recipients by rank (or the excluded), paged, each with its Merkle proof. */
export const airdropResolvers: AirdropCampaignResolvers = {
  targets: async (parent, { first, after, excluded }, { services }) => {
    const targets = await services.campaignTargets(parent.row);
    const rows = excluded ? targets.excluded : targets.recipients;
    const page = toOffsetConnection(rows, first, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ ...edge, node: toAirdropTarget(edge.node, targets) })),
    };
  },
};
