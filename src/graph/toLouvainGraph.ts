import type { AbstractGraph } from 'graphology-types';
import { countPairDegrees, type NodePairs } from './toNodePairs.js';

/**
 * An undirected graph of node pairs (each pair one edge, `weight` its weight) as graphology-communities-louvain
 * reads it, without building a graphology graph (300k nodes and 1.2M pairs: 5.6 s to build, where Louvain itself
 * takes 3.3). It has the members that `louvain` and graphology-indices' `UndirectedLouvainIndex` read (the graph
 * checks, order and size, nodes with their degrees, and edges with their weight as an attribute), in the order a
 * graphology graph built from the same pairs gives: Louvain's result is the same (a test compares them). Nodes
 * are keyed by their index as a number. It has nothing else: the graph checks' `addUndirectedEdgeWithKey` and
 * `dropNode` throw.
 */
export function toLouvainGraph(pairs: NodePairs): AbstractGraph {
  const { nodes, source, target, weight } = pairs;
  const degree = countPairDegrees(pairs);
  const unsupported = (member: string) => () => {
    throw new Error(`toLouvainGraph: a Louvain view has no ${member}`);
  };
  const view = {
    type: 'undirected',
    multi: false,
    order: nodes,
    size: source.length,
    selfLoopCount: 0,
    addUndirectedEdgeWithKey: unsupported('addUndirectedEdgeWithKey'),
    dropNode: unsupported('dropNode'),
    forEachNode(callback: (node: number, attributes: object) => void) {
      for (let v = 0; v < nodes; v += 1) callback(v, {});
    },
    undirectedDegreeWithoutSelfLoops: (node: number) => degree[node]!,
    forEachEdge(
      callback: (edge: number, attributes: { weight: number }, source: number, target: number) => void,
    ) {
      for (let p = 0; p < source.length; p += 1) callback(p, { weight: weight[p]! }, source[p]!, target[p]!);
    },
  };
  return view as unknown as AbstractGraph;
}
