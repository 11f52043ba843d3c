import type { GraphSnapshot } from '../types/graph.js';

/** Distinct undirected neighbours of each node (CSR), self-loops dropped. */
export function buildSimpleUndirected(snapshot: GraphSnapshot): {
  offsets: Uint32Array;
  targets: Uint32Array;
} {
  const n = snapshot.nodes.addresses.length;
  const offsets = new Uint32Array(n + 1);
  const seenBy = new Int32Array(n).fill(-1);
  const visit = (v: number, emit: (u: number) => void) => {
    for (const csr of [snapshot.out, snapshot.in]) {
      for (let i = csr.offsets[v]!; i < csr.offsets[v + 1]!; i += 1) {
        const u = csr.targets[i]!;
        if (u === v || seenBy[u] === v) continue;
        seenBy[u] = v;
        emit(u);
      }
    }
  };
  for (let v = 0; v < n; v += 1) visit(v, () => (offsets[v + 1]! += 1));
  for (let v = 0; v < n; v += 1) offsets[v + 1]! += offsets[v]!;
  const targets = new Uint32Array(offsets[n]!);
  seenBy.fill(-1);
  for (let v = 0; v < n; v += 1) {
    let at = offsets[v]!;
    visit(v, (u) => (targets[at++] = u));
  }
  return { offsets, targets };
}
