import type { Logger } from 'pino';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getSnapshotPoint } from '../../warehouse/snapshots/getSnapshotPoint.js';
import { getSnapshots } from '../../warehouse/snapshots/getSnapshots.js';
import { buildSnapshot } from './buildSnapshot.js';
import { loadSnapshot } from './loadSnapshot.js';

/** Where and as of when {@link getSnapshotAsOf} finds or builds a snapshot. */
export interface SnapshotAsOfOptions {
  warehouse: Warehouse;
  logger: Logger;
  dataDir: string;
  chainId: number;
  /** Unix seconds: the snapshot holds only rows at or before the last block at or before it. */
  asOfTime: number;
}

/** The whole-history snapshot as of a time: read from its file when it was built before, otherwise built now. */
export async function getSnapshotAsOf(options: SnapshotAsOfOptions): Promise<SnapshotContent> {
  const { warehouse, logger, dataDir, chainId, asOfTime } = options;
  const point = await getSnapshotPoint(warehouse, { chainId, asOfTime });
  const existing = (await getSnapshots(warehouse, chainId)).find(
    (s) => s.asOfBlock === point.asOfBlock && s.fromBlock === point.fromBlock,
  );
  if (existing)
    return (await loadSnapshot(warehouse, dataDir, { chainId, snapshotId: existing.snapshotId })).content;
  return buildSnapshot({ warehouse, logger, dataDir, chainId, asOfTime });
}
