import { buildSparseGraph } from '../../gnn/sparse/buildSparseGraph.js';
import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { edgeTypes } from '../../types/graph.js';

/** The edge feature columns {@link buildTrainingInputs} builds for edge-aware models (gine). */
export const trainingEdgeFeatureNames: readonly string[] = [
  ...edgeTypes.map((type) => `type_${type}`),
  'reversed',
  'log_count',
  'log_total',
  'log_max',
];

/** ln(10^18): edge values are ln(1 + raw units), so a total of one ether (10^18 wei) becomes about 1. */
const logEther = Math.log(1e18);

/**
 * A model's inputs from a snapshot: every aggregated edge in both directions (messages flow both ways, the
 * reversed copy flagged), the snapshot's normalized node features, and with `edgeFeatures` one row per edge
 * (one-hot type, reversed flag, ln(1 + count), and ln(1 + total) and ln(1 + max) over ln(10^18)).
 */
export function buildTrainingInputs(content: SnapshotContent, edgeFeatures: boolean): NodeInputs {
  const { snapshot, featureNames, features } = content;
  const { src, dst } = snapshot.edges;
  const numNodes = snapshot.nodes.addresses.length;
  const edges = src.length;
  const both = (forward: Uint32Array, backward: Uint32Array) => {
    const out = new Uint32Array(2 * edges);
    out.set(forward);
    out.set(backward, edges);
    return out;
  };
  const inputs: NodeInputs = {
    graph: buildSparseGraph({ src: both(src, dst), dst: both(dst, src), numNodes }),
    features: { values: features, channels: featureNames.length },
  };
  if (edgeFeatures) inputs.edgeFeatures = buildEdgeFeatures(content);
  return inputs;
}

/** The edge feature matrix [2 · edges, trainingEdgeFeatureNames.length]: forward edges, then their reversed copies. */
function buildEdgeFeatures(content: SnapshotContent): NonNullable<NodeInputs['edgeFeatures']> {
  const { type, count, logTotal, logMax } = content.snapshot.edges;
  const edges = type.length;
  const channels = trainingEdgeFeatureNames.length;
  const reversed = edgeTypes.length;
  const values = new Float32Array(2 * edges * channels);
  for (let copy = 0; copy < 2; copy += 1) {
    for (let e = 0; e < edges; e += 1) {
      const row = (copy * edges + e) * channels;
      values[row + type[e]!] = 1;
      values[row + reversed] = copy;
      values[row + reversed + 1] = Math.log1p(count[e]!);
      values[row + reversed + 2] = logTotal[e]! / logEther;
      values[row + reversed + 3] = logMax[e]! / logEther;
    }
  }
  return { values, channels };
}
