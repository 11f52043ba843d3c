import { resolve } from 'node:path';
import { readSnapshotFile, type SnapshotContent } from '../../graph/snapshotFile.js';
import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getSnapshots } from '../../warehouse/snapshots/getSnapshots.js';
import { getOnlyChain } from './getOnlyChain.js';

/** Which snapshot {@link loadSnapshot} reads. */
export interface LoadSnapshotOptions {
  /** Default: the latest snapshot of the chain. */
  snapshotId?: string | undefined;
  /** Default: the only chain in the warehouse. */
  chainId?: number | undefined;
}

/** A snapshot read back from its file, and the file's path. */
export interface LoadedSnapshot {
  content: SnapshotContent;
  path: string;
}

/**
 * Reads a snapshot listed in `graph_snapshots` from its file under `dataDir`: the one named, or the latest of the
 * chain; a clear error naming the snapshots there are when it does not exist.
 */
export async function loadSnapshot(
  warehouse: Warehouse,
  dataDir: string,
  options: LoadSnapshotOptions = {},
): Promise<LoadedSnapshot> {
  const id = options.snapshotId;
  const listed = await getSnapshots(
    warehouse,
    id === undefined ? (options.chainId ?? (await getOnlyChain(warehouse))) : options.chainId,
  );
  const chosen = id === undefined ? listed[0] : listed.find((s) => s.snapshotId === id);
  if (!chosen) {
    throw new NonRetryableError(id === undefined ? 'No graph snapshot yet' : `No graph snapshot ${id}`, {
      code: 'SNAPSHOT_NOT_FOUND',
      details:
        listed.length > 0
          ? `Snapshots: ${listed.map((s) => s.snapshotId).join(', ')}.`
          : 'Build one first: chaingnn graph build.',
    });
  }
  const path = resolve(dataDir, chosen.file);
  return { content: readSnapshotFile(path), path };
}
