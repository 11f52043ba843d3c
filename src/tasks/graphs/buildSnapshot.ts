import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { buildCsr } from '../../graph/buildCsr.js';
import { computeCommunities } from '../../graph/computeCommunities.js';
import { computeGraphFeatures, graphFeatureNames } from '../../graph/computeGraphFeatures.js';
import { applyNormalizer, fitNormalizer, type Normalizer } from '../../graph/fitNormalizer.js';
import {
  edgeValuesFile,
  type SnapshotContent,
  snapshotFile,
  writeSnapshotFile,
} from '../../graph/snapshotFile.js';
import type { GraphSnapshot } from '../../types/graph.js';
import { openAtomicFile } from '../../utils/writeFileAtomic.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { insertRows } from '../../warehouse/insertRows.js';
import { insertSnapshotRows } from '../../warehouse/insertSnapshotRows.js';
import { getSnapshotPoint, type SnapshotRequest } from '../../warehouse/snapshots/getSnapshotPoint.js';
import { nodeActivityColumns, readNodeActivity } from '../../warehouse/snapshots/readNodeActivity.js';
import { readSnapshotEdges, readSnapshotNodes } from '../../warehouse/snapshots/readSnapshotGraph.js';
import { stageSnapshotGraph } from '../../warehouse/snapshots/stageSnapshotGraph.js';

/** Options for {@link buildSnapshot}. */
export interface BuildSnapshotOptions extends SnapshotRequest {
  warehouse: Warehouse;
  logger: Logger;
  /** Snapshot files go to `<dataDir>/graphs/<id>/snapshot.bin`. */
  dataDir: string;
  /** A normalizer fitted on the training snapshot, applied unchanged; without it, one is fitted on this snapshot. */
  normalizer?: Normalizer;
  /** Seeds Louvain (default 1). */
  seed?: number;
  /** Rows per insert when writing features and communities back (default 50,000). */
  insertBatch?: number;
  /** After each step (stage, read, features, communities, write): the share of steps done and the step's name. */
  onProgress?: (share: number, step: string) => void;
}

/** A built snapshot, with where it was written and how long each step took. */
export interface BuiltSnapshot extends SnapshotContent {
  file: string;
  seconds: Record<'stage' | 'read' | 'features' | 'communities' | 'write', number>;
}

/** Every feature column: the warehouse's activity aggregates, then the graph's structural features. */
export const featureNames: string[] = [...nodeActivityColumns, ...graphFeatureNames];

/**
 * Builds the interaction graph as of a block or time from the warehouse (only rows at or before it), its node
 * features (normalized with the given normalizer, or one fitted here), its communities, PageRank, components
 * and k-cores; writes the exact edge values file and the snapshot file (which holds the values' checksum),
 * then `address_features` and `address_communities`, and last the `graph_snapshots` row that makes it visible.
 */
export async function buildSnapshot(options: BuildSnapshotOptions): Promise<BuiltSnapshot> {
  const { warehouse, logger } = options;
  const seconds = { stage: 0, read: 0, features: 0, communities: 0, write: 0 };
  let clock = performance.now();
  const lap = (step: keyof typeof seconds) => {
    const now = performance.now();
    seconds[step] = (now - clock) / 1000;
    clock = now;
    const steps = Object.keys(seconds);
    options.onProgress?.((steps.indexOf(step) + 1) / steps.length, step);
  };

  const point = await getSnapshotPoint(warehouse, options);
  const id = `c${point.chainId}_b${point.asOfBlock}_f${point.fromBlock}`;
  const dir = join(options.dataDir, 'graphs', id);
  mkdirSync(dir, { recursive: true });
  logger.info({ id, ...point }, 'building graph snapshot');
  const staged = await stageSnapshotGraph(warehouse, point, `stage_${randomBytes(4).toString('hex')}`);
  if (staged.keyedByAddressBecause)
    logger.warn(
      { id, why: staged.keyedByAddressBecause },
      'graph staged by address instead of address hash (slower)',
    );
  lap('stage');
  let snapshot: GraphSnapshot;
  let activity: Float64Array;
  const values = openAtomicFile(join(dir, edgeValuesFile));
  let valuesSha256: string;
  try {
    const nodes = await readSnapshotNodes(warehouse, staged);
    const edges = await readSnapshotEdges(warehouse, staged, (bytes) => values.write(bytes));
    activity = await readNodeActivity(warehouse, staged, nodes.addresses.length);
    snapshot = { id, point, nodes, edges, ...buildCsr(edges, nodes.addresses.length) };
    valuesSha256 = values.commit();
  } catch (error) {
    values.abort();
    throw error;
  } finally {
    await staged.drop();
  }
  lap('read');
  const n = snapshot.nodes.addresses.length;
  logger.info({ nodes: n, edges: snapshot.edges.src.length }, 'graph read');

  const rawFeatures = joinColumns(
    activity,
    nodeActivityColumns.length,
    computeGraphFeatures(snapshot),
    graphFeatureNames.length,
  );
  const normalizer = options.normalizer ?? fitNormalizer(rawFeatures, featureNames);
  const features = applyNormalizer(normalizer, rawFeatures, featureNames);
  lap('features');
  const communities = computeCommunities(snapshot, options.seed !== undefined ? { seed: options.seed } : {});
  lap('communities');

  const file = join(dir, snapshotFile);
  const content: SnapshotContent = {
    snapshot,
    featureNames,
    rawFeatures,
    features,
    normalizer,
    communities,
    valuesSha256,
  };
  writeSnapshotFile(file, content);
  await writeRows(options, content, relative(options.dataDir, file));
  lap('write');
  logger.info({ id, file, seconds }, 'graph snapshot written');
  return { ...content, file, seconds };
}

/** Writes the snapshot's rows: features and communities first, the `graph_snapshots` row (file relative to the data directory) last. */
async function writeRows(
  options: BuildSnapshotOptions,
  content: SnapshotContent,
  file: string,
): Promise<void> {
  const { warehouse } = options;
  const { snapshot, communities, rawFeatures, features } = content;
  const { chainId } = snapshot.point;
  const columns = {
    chainId,
    snapshotId: snapshot.id,
    addresses: snapshot.nodes.addresses,
    kinds: snapshot.nodes.kind,
    featureWidth: content.featureNames.length,
    rawFeatures,
    features,
    ...communities,
  };
  const batch = options.insertBatch ?? 50_000;
  const n = snapshot.nodes.addresses.length;
  for (let start = 0; start < n; start += batch)
    await insertSnapshotRows(warehouse, columns, start, Math.min(n, start + batch));
  await insertRows(warehouse, 'graph_snapshots', [
    {
      chain_id: chainId,
      snapshot_id: snapshot.id,
      as_of_block: snapshot.point.asOfBlock,
      as_of_time: snapshot.point.asOfTime,
      from_block: snapshot.point.fromBlock,
      nodes: n,
      edges: snapshot.edges.src.length,
      communities: new Set(communities.community).size,
      feature_names: content.featureNames,
      files: file,
    },
  ]);
}

/** Places two row-major matrices side by side (same rows); non-finite values become 0. */
function joinColumns(
  left: Float64Array,
  leftWidth: number,
  right: Float64Array,
  rightWidth: number,
): Float64Array {
  const rows = left.length / leftWidth;
  const width = leftWidth + rightWidth;
  const out = new Float64Array(rows * width);
  for (let i = 0; i < rows; i += 1) {
    out.set(left.subarray(i * leftWidth, (i + 1) * leftWidth), i * width);
    out.set(right.subarray(i * rightWidth, (i + 1) * rightWidth), i * width + leftWidth);
  }
  for (let i = 0; i < out.length; i += 1) if (!Number.isFinite(out[i])) out[i] = 0;
  return out;
}
