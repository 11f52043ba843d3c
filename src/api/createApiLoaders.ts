import DataLoader from 'dataloader';
import type { AirdropTargetRow } from '../warehouse/airdropRows.js';
import { type AddressActivity, getAddressActivity } from '../warehouse/getAddressActivity.js';
import { type AddressCommunity, getAddressCommunities } from '../warehouse/getAddressCommunities.js';
import { type AddressFeatureRow, getAddressFeatures } from '../warehouse/getAddressFeatures.js';
import { type AddressLabel, getAddressLabels } from '../warehouse/getAddressLabels.js';
import { getLatestAirdropTargets } from '../warehouse/getLatestAirdropTargets.js';
import { getRiskReasons, type RiskScoreSummary } from '../warehouse/getRiskScores.js';
import type { ApiServices } from './createApiServices.js';

/** One request's batching loaders: each turns the addresses a query touches into one warehouse read. */
export interface ApiLoaders {
  risk: DataLoader<string, RiskScoreSummary | undefined>;
  /** The reasons of scores, by snapshot and address (asked only by queries that select them). */
  riskReasons: DataLoader<{ snapshotId: string; address: string }, string[]>;
  labels: DataLoader<string, AddressLabel[]>;
  sybil: DataLoader<string, AirdropTargetRow | undefined>;
  community: DataLoader<string, (AddressCommunity & { snapshotId: string }) | undefined>;
  features: DataLoader<string, (AddressFeatureRow & { featureNames: readonly string[] }) | undefined>;
  activity: DataLoader<string, AddressActivity | undefined>;
}

/** Rows keyed by address, in the order of `addresses` (undefined where none was found). */
function byAddress<T extends { address: string }>(
  addresses: readonly string[],
  rows: readonly T[],
): (T | undefined)[] {
  const found = new Map(rows.map((row) => [row.address, row]));
  return addresses.map((address) => found.get(address));
}

/** Creates the loaders of one request (DataLoader caches per request; the services cache across requests). */
export function createApiLoaders(services: ApiServices): ApiLoaders {
  const { warehouse } = services;
  return {
    risk: new DataLoader((addresses) => services.riskScores(addresses)),
    riskReasons: new DataLoader(
      async (keys) => {
        const chainId = await services.chainId();
        const reasons = new Map<string, string[]>();
        for (const snapshotId of new Set(keys.map((key) => key.snapshotId))) {
          const addresses = keys.filter((key) => key.snapshotId === snapshotId).map((key) => key.address);
          for (const row of await getRiskReasons(warehouse, chainId, snapshotId, addresses))
            reasons.set(`${snapshotId}/${row.address}`, row.reasons);
        }
        return keys.map(({ snapshotId, address }) => reasons.get(`${snapshotId}/${address}`) ?? []);
      },
      { cacheKeyFn: ({ snapshotId, address }) => `${snapshotId}/${address}` },
    ),
    labels: new DataLoader(async (addresses) => {
      const rows = await getAddressLabels(warehouse, await services.chainId(), addresses);
      return addresses.map((address) => rows.filter((row) => row.address === address));
    }),
    sybil: new DataLoader(async (addresses) =>
      byAddress(addresses, await getLatestAirdropTargets(warehouse, await services.chainId(), addresses)),
    ),
    community: new DataLoader(async (addresses) => {
      const snapshot = await services.latestGraphSnapshot();
      if (!snapshot) return addresses.map(() => undefined);
      const rows = await getAddressCommunities(warehouse, snapshot.chainId, snapshot.snapshotId, addresses);
      return byAddress(addresses, rows).map((row) => row && { ...row, snapshotId: snapshot.snapshotId });
    }),
    features: new DataLoader(async (addresses) => {
      const snapshot = await services.latestGraphSnapshot();
      if (!snapshot) return addresses.map(() => undefined);
      const rows = await getAddressFeatures(warehouse, snapshot.chainId, snapshot.snapshotId, addresses);
      return byAddress(addresses, rows).map((row) => row && { ...row, featureNames: snapshot.featureNames });
    }),
    activity: new DataLoader(async (addresses) =>
      byAddress(addresses, await getAddressActivity(warehouse, await services.chainId(), addresses)),
    ),
  };
}
