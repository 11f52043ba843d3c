import type { AirdropTargetRow } from '../warehouse/airdropRows.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { type AddressActivity, getAddressActivity } from '../warehouse/getAddressActivity.js';
import { type AddressCommunity, getAddressCommunities } from '../warehouse/getAddressCommunities.js';
import { type AddressFeatureRow, getAddressFeatures } from '../warehouse/getAddressFeatures.js';
import { type AddressLabel, getAddressLabels } from '../warehouse/getAddressLabels.js';
import { getLatestAirdropTargets } from '../warehouse/getLatestAirdropTargets.js';
import type { SnapshotListing } from '../warehouse/snapshots/getSnapshots.js';
import { createReadCoalescer, type ReadCoalescer } from './createReadCoalescer.js';

/** The per-address rows the API reads without caching them, each kind through its own coalescer. */
export interface AddressReads {
  labels: ReadCoalescer<AddressLabel[]>;
  sybil: ReadCoalescer<AirdropTargetRow>;
  community: ReadCoalescer<AddressCommunity & { snapshotId: string }>;
  features: ReadCoalescer<AddressFeatureRow & { featureNames: readonly string[] }>;
  activity: ReadCoalescer<AddressActivity>;
}

/** Where the reads find their chain and latest graph snapshot (asked when each read starts). */
export interface AddressReadSources {
  warehouse: Warehouse;
  chainId(): Promise<number>;
  latestGraphSnapshot(): Promise<SnapshotListing | undefined>;
}

/** Rows by address (the last row of an address wins). */
export function byAddress<T extends { address: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.address, row]));
}

/**
 * Readers of labels, sybil rows, communities, features and activity: the addresses concurrent requests ask while a
 * read of the same kind runs go to the warehouse together in the next one (see createReadCoalescer).
 */
export function createAddressReads(sources: AddressReadSources): AddressReads {
  const { warehouse } = sources;
  /** A reader of rows by address on the chain the API serves. */
  const onChain = <T extends { address: string }>(
    read: (warehouse: Warehouse, chainId: number, addresses: readonly string[]) => Promise<T[]>,
  ) =>
    createReadCoalescer(async (addresses) =>
      byAddress(await read(warehouse, await sources.chainId(), addresses)),
    );
  /** A reader of rows by address in the latest graph snapshot (none before the first), each completed by `tag`. */
  const inLatestSnapshot = <R, T extends { address: string }>(
    read: (
      warehouse: Warehouse,
      chainId: number,
      snapshotId: string,
      addresses: readonly string[],
    ) => Promise<R[]>,
    tag: (row: R, snapshot: SnapshotListing) => T,
  ) =>
    createReadCoalescer(async (addresses) => {
      const snapshot = await sources.latestGraphSnapshot();
      if (!snapshot) return new Map<string, T>();
      const rows = await read(warehouse, snapshot.chainId, snapshot.snapshotId, addresses);
      return byAddress(rows.map((row) => tag(row, snapshot)));
    });
  return {
    labels: createReadCoalescer(async (addresses) => {
      const labels = new Map<string, AddressLabel[]>();
      for (const row of await getAddressLabels(warehouse, await sources.chainId(), addresses)) {
        const list = labels.get(row.address);
        if (list) list.push(row);
        else labels.set(row.address, [row]);
      }
      return labels;
    }),
    sybil: onChain(getLatestAirdropTargets),
    community: inLatestSnapshot(getAddressCommunities, (row, snapshot) => ({
      ...row,
      snapshotId: snapshot.snapshotId,
    })),
    features: inLatestSnapshot(getAddressFeatures, (row, snapshot) => ({
      ...row,
      featureNames: snapshot.featureNames,
    })),
    activity: onChain(getAddressActivity),
  };
}
