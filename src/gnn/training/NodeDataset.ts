import type { SparseGraph } from '../sparse/buildSparseGraph.js';

/** A row-major float matrix: row `r` is `values[r * channels .. (r + 1) * channels)`. */
export interface FeatureMatrix {
  values: Float32Array;
  channels: number;
}

/** What a node model reads: the whole graph and its node (and edge) features. */
export interface NodeInputs {
  /** The whole graph: its sources and destinations are the same nodes. */
  graph: SparseGraph;
  /** [numNodes, inChannels]. */
  features: FeatureMatrix;
  /** [numEdges, edgeChannels], row `e` for edge `e` of `graph`; needed by gine models. */
  edgeFeatures?: FeatureMatrix | undefined;
}

/** A model's inputs with what it learns: per node a class (classification) or values (regression). */
export interface NodeDataset extends NodeInputs {
  /** Classification: each node's class (Int32Array, -1 unlabelled); regression: [numNodes, outChannels] values. */
  targets: Int32Array | Float32Array;
}
