/** Disjoint sets over the integers 0..n-1. */
export interface UnionFind {
  /** The representative of `node`'s set: its smallest member once `roots()` has run, some member before. */
  find(node: number): number;
  /** Merges the sets of `a` and `b`; the smaller root becomes the root. */
  union(a: number, b: number): void;
  /** Every node's root, which is the smallest node of its set. */
  roots(): Uint32Array;
}

/** Union–find with path compression over n nodes, each alone at first. */
export function createUnionFind(n: number): UnionFind {
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
  return {
    find,
    union(a, b) {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    },
    roots() {
      for (let v = 0; v < n; v += 1) parent[v] = find(v);
      return parent.slice();
    },
  };
}
