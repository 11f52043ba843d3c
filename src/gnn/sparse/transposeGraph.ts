import type { SparseGraph } from './buildSparseGraph.js';
import type { NodeScales } from './spmm.js';

/**
 * The graph with every edge reversed (sharing its arrays), and scales to match: spmm over it is the transposed
 * product, the gradient of spmm with respect to x.
 */
export function transposeGraph(graph: SparseGraph, scales: NodeScales): [SparseGraph, NodeScales] {
  const transposed: SparseGraph = {
    numSources: graph.numDestinations,
    numDestinations: graph.numSources,
    numEdges: graph.numEdges,
    src: graph.dst,
    dst: graph.src,
    byDestination: graph.bySource,
    bySource: graph.byDestination,
  };
  return [transposed, { destinations: scales.sources, sources: scales.destinations }];
}
