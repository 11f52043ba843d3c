import type { RiskResolvers } from '../generated/graphqlTypes.js';

/** The fields of `Risk` that are not read with the score. */
export const riskResolvers: RiskResolvers = {
  reasons: (risk, _args, { loaders }) =>
    risk.reasons ?? loaders.riskReasons.load({ snapshotId: risk.snapshotId, address: risk.address }),
};
