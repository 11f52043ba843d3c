import { DirectedGraph, UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';
import { edgeTypes, type GraphSnapshot } from '../types/graph.js';
import { createRng } from '../utils/createRng.js';
import { computeComponents } from './computeComponents.js';
import { computeCoreNumbers } from './computeCoreNumbers.js';
import { computePageRank } from './computePageRank.js';
import { toLouvainGraph } from './toLouvainGraph.js';
import { countPairDegrees, toNodePairs } from './toNodePairs.js';

// This CommonJS module exports the function itself; its typings declare it as `default` (wrong under NodeNext).
const louvain = louvainModule as unknown as typeof louvainModule.default;

/** Edge types whose undirected projection Louvain clusters: value moving between addresses. */
const communityTypes = new Set(['native', 'token', 'funding'].map((t) => edgeTypes.indexOf(t as never)));

/** Per-node graph analytics of a snapshot, in node order. */
export interface Communities {
  /** Louvain community, numbered by size (0 = largest); an address without transfer or funding edges is alone. */
  community: Uint32Array;
  communitySize: Uint32Array;
  /** Modularity of the Louvain partition. */
  modularity: number;
  /** PageRank over all edge types (directed, weighted by interaction count), summing to 1. */
  pagerank: Float64Array;
  /** Weakly connected component over all edge types, numbered by size (0 = largest). */
  component: Uint32Array;
  componentSize: Uint32Array;
  coreNumber: Uint32Array;
}

/** Options for {@link computeCommunities}. */
export interface CommunityOptions {
  /** Seeds Louvain's random order (default 1): the same snapshot and seed give the same communities. */
  seed?: number;
}

/**
 * Runs Louvain with graphology-communities-louvain (on the undirected projection of the snapshot's aggregated
 * transfer and funding edges, one edge per node pair, weights summed: not one edge per raw transfer, and read
 * through a view of those pairs rather than a graphology graph, which costs ~4 µs an edge to build), and
 * PageRank (graphology's algorithm), weakly connected components and k-cores directly on the typed arrays.
 */
export function computeCommunities(snapshot: GraphSnapshot, options: CommunityOptions = {}): Communities {
  const n = snapshot.nodes.addresses.length;
  const pairs = toNodePairs(snapshot, true, (type) => communityTypes.has(type));
  const detailed = louvain.detailed(toLouvainGraph(pairs), {
    getEdgeWeight: 'weight',
    rng: (() => {
      const rng = createRng(options.seed ?? 1);
      return () => rng.next();
    })(),
  });
  const degree = countPairDegrees(pairs);
  const louvainIds = new Uint32Array(n);
  // Louvain lumps edgeless nodes together (merging them changes nothing); each is its own community here.
  for (let v = 0; v < n; v += 1) louvainIds[v] = degree[v] ? detailed.communities[v]! : n + v;
  const { labels: community, sizes: communitySize } = renumberBySize(louvainIds);

  const { ranks } = computePageRank(snapshot);
  const { labels: component, sizes: componentSize } = renumberBySize(computeComponents(snapshot));

  return {
    community,
    communitySize,
    modularity: detailed.modularity,
    pagerank: ranks,
    component,
    componentSize,
    coreNumber: computeCoreNumbers(snapshot),
  };
}

/** A graphology graph of the snapshot's edges of the kept types, one edge per node pair, `weight` = interactions. */
export function toGraphology(
  snapshot: GraphSnapshot,
  type: 'directed' | 'undirected',
  keep: (edgeType: number) => boolean,
): AbstractGraph {
  const { nodes, source, target, weight } = toNodePairs(snapshot, type === 'undirected', keep);
  const graph = type === 'directed' ? new DirectedGraph() : new UndirectedGraph();
  for (let v = 0; v < nodes; v += 1) graph.addNode(String(v));
  for (let p = 0; p < source.length; p += 1) {
    graph.addEdge(String(source[p]), String(target[p]), { weight: weight[p] });
  }
  return graph;
}

/** Relabels groups 0.. by decreasing size (ties by first member), with each node's group size. */
function renumberBySize(labels: Uint32Array): { labels: Uint32Array; sizes: Uint32Array } {
  const counts = new Map<number, { size: number; first: number }>();
  labels.forEach((label, v) => {
    const entry = counts.get(label);
    if (entry) entry.size += 1;
    else counts.set(label, { size: 1, first: v });
  });
  const order = [...counts.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first);
  const renamed = new Map(order.map(([label], i) => [label, i]));
  const out = new Uint32Array(labels.length);
  const sizes = new Uint32Array(labels.length);
  labels.forEach((label, v) => {
    out[v] = renamed.get(label)!;
    sizes[v] = counts.get(label)!.size;
  });
  return { labels: out, sizes };
}
