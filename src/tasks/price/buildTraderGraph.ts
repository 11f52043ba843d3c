import {
  computePropagatedEmbeddings,
  type EmbeddingProjection,
} from '../../graph/computePropagatedEmbeddings.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { nodeKinds } from '../../types/graph.js';
import type { TraderGraph } from './buildTraderFlowFeatures.js';

/** Options for {@link buildTraderGraph}. */
export interface TraderGraphOptions {
  /** Embedding width (default 4); ignored with a projection. */
  dims?: number;
  /** The projection of a model's training snapshot, applied unchanged (default: fitted on this snapshot). */
  projection?: EmbeddingProjection;
}

/**
 * What a snapshot says of every trader: its PageRank percentile among the snapshot's EOAs (contracts 0) and its
 * propagated embedding; with the projection that embeds it (to reuse on later snapshots).
 */
export function buildTraderGraph(
  content: SnapshotContent,
  options: TraderGraphOptions = {},
): { graph: TraderGraph; projection: EmbeddingProjection } {
  const { snapshot, features, communities } = content;
  const { embeddings, dims, projection } = computePropagatedEmbeddings(snapshot, features, {
    dims: options.dims ?? 4,
    ...(options.projection ? { projection: options.projection } : {}),
  });
  const eoa = nodeKinds.indexOf('eoa');
  const eoas = snapshot.nodes.addresses
    .map((_, v) => v)
    .filter((v) => snapshot.nodes.kind[v] === eoa)
    .sort((a, b) => communities.pagerank[a]! - communities.pagerank[b]! || a - b);
  const pagerankPercentile = new Map(
    eoas.map((v, rank) => [snapshot.nodes.addresses[v]!, eoas.length > 1 ? rank / (eoas.length - 1) : 1]),
  );
  const embedding = new Map(
    snapshot.nodes.addresses.map((address, v) => [address, embeddings.subarray(v * dims, (v + 1) * dims)]),
  );
  return { graph: { snapshotId: snapshot.id, dims, pagerankPercentile, embedding }, projection };
}
