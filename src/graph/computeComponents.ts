import type { GraphSnapshot } from '../types/graph.js';
import { createUnionFind } from '../utils/createUnionFind.js';

/**
 * Weakly connected components (direction ignored) by union–find: each node's component root, its smallest node.
 * Every edge joins by default; `keep` chooses which edges (by edge id) do.
 */
export function computeComponents(snapshot: GraphSnapshot, keep?: (edge: number) => boolean): Uint32Array {
  const sets = createUnionFind(snapshot.nodes.addresses.length);
  const { src, dst } = snapshot.edges;
  for (let e = 0; e < src.length; e += 1) if (!keep || keep(e)) sets.union(src[e]!, dst[e]!);
  return sets.roots();
}
