import { NonRetryableError } from '../internal/errors.js';
import type { Csr, GraphEdges } from '../types/graph.js';

/**
 * Builds CSR in both directions from edges sorted by source: `out` shares the edges' `dst` array (the
 * order is already by source), `in` is a counting sort by destination (stable: by source within a target).
 */
export function buildCsr(edges: GraphEdges, nodeCount: number): { out: Csr; in: Csr } {
  const m = edges.src.length;
  const outOffsets = new Uint32Array(nodeCount + 1);
  const inOffsets = new Uint32Array(nodeCount + 1);
  let previous = 0;
  for (let e = 0; e < m; e += 1) {
    const s = edges.src[e]!;
    if (s < previous) {
      throw new NonRetryableError(
        `Edges are not sorted by source (edge ${e} has source ${s} after ${previous})`,
        {
          code: 'GRAPH_EDGES_UNSORTED',
          details: 'Expected edges ordered by (src, dst, type, token), as the warehouse streams them.',
        },
      );
    }
    previous = s;
    outOffsets[s + 1]! += 1;
    inOffsets[edges.dst[e]! + 1]! += 1;
  }
  for (let i = 0; i < nodeCount; i += 1) {
    outOffsets[i + 1]! += outOffsets[i]!;
    inOffsets[i + 1]! += inOffsets[i]!;
  }
  const identity = new Uint32Array(m);
  for (let e = 0; e < m; e += 1) identity[e] = e;
  const inTargets = new Uint32Array(m);
  const inEdges = new Uint32Array(m);
  const cursor = inOffsets.slice(0, nodeCount);
  for (let e = 0; e < m; e += 1) {
    const at = cursor[edges.dst[e]!]!++;
    inTargets[at] = edges.src[e]!;
    inEdges[at] = e;
  }
  return {
    out: { offsets: outOffsets, targets: edges.dst, edges: identity },
    in: { offsets: inOffsets, targets: inTargets, edges: inEdges },
  };
}
