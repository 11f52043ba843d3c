import type { GraphSnapshot } from '../types/graph.js';

/** Options for {@link computePageRank} (graphology's defaults). */
export interface PageRankOptions {
  alpha?: number;
  maxIterations?: number;
  /** Stop when the L1 change of the ranks is below nodes × tolerance. */
  tolerance?: number;
}

/**
 * PageRank over all edges (directed, weighted by interaction count, self loops ignored), by power iteration on
 * the out-CSR: the same algorithm and stopping rule as graphology-metrics' pagerank (dangling mass spread
 * evenly), without building a graphology graph. Returns the ranks (summing to 1) and whether they converged.
 */
export function computePageRank(
  snapshot: GraphSnapshot,
  options: PageRankOptions = {},
): { ranks: Float64Array; converged: boolean; iterations: number } {
  const alpha = options.alpha ?? 0.85;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const n = snapshot.nodes.addresses.length;
  const { offsets, targets, edges } = snapshot.out;
  const count = snapshot.edges.count;
  const outWeight = new Float64Array(n);
  for (let v = 0; v < n; v += 1) {
    for (let i = offsets[v]!; i < offsets[v + 1]!; i += 1)
      if (targets[i] !== v) outWeight[v]! += count[edges[i]!]!;
  }
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    let dangling = 0;
    for (let v = 0; v < n; v += 1) if (outWeight[v] === 0) dangling += x[v]!;
    const base = (alpha * dangling + 1 - alpha) / n;
    next.fill(base);
    for (let v = 0; v < n; v += 1) {
      if (outWeight[v] === 0) continue;
      const share = (alpha * x[v]!) / outWeight[v]!;
      for (let i = offsets[v]!; i < offsets[v + 1]!; i += 1) {
        const u = targets[i]!;
        if (u !== v) next[u]! += share * count[edges[i]!]!;
      }
    }
    let change = 0;
    for (let v = 0; v < n; v += 1) change += Math.abs(next[v]! - x[v]!);
    [x, next] = [next, x];
    if (change < n * tolerance) return { ranks: x, converged: true, iterations: iteration };
  }
  return { ranks: x, converged: false, iterations: maxIterations };
}
