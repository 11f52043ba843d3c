import type { GraphSnapshot } from '../types/graph.js';

/** Weakly connected components (all edge types, direction ignored) by union–find: each node's component root. */
export function computeComponents(snapshot: GraphSnapshot): Uint32Array {
  const n = snapshot.nodes.addresses.length;
  const parent = new Uint32Array(n);
  for (let v = 0; v < n; v += 1) parent[v] = v;
  const find = (node: number): number => {
    let root = node;
    while (parent[root] !== root) root = parent[root]!;
    for (let v = node; parent[v] !== root; ) {
      const up = parent[v]!;
      parent[v] = root;
      v = up;
    }
    return root;
  };
  const { src, dst } = snapshot.edges;
  for (let e = 0; e < src.length; e += 1) {
    const a = find(src[e]!);
    const b = find(dst[e]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  for (let v = 0; v < n; v += 1) parent[v] = find(v);
  return parent;
}
