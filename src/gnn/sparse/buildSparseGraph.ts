import { NonRetryableError } from '../../internal/errors.js';
import type { Csr } from '../../types/graph.js';

/**
 * A graph as the sparse ops see it, built once and shared by every layer and epoch. Edge `e` goes from source
 * node `src[e]` to destination node `dst[e]`; tensors over edges are in this edge order. Messages flow from
 * sources to destinations. Sources and destinations may be different node sets (a sampled bipartite block);
 * for a whole graph both are its nodes.
 */
export interface SparseGraph {
  numSources: number;
  numDestinations: number;
  numEdges: number;
  src: Uint32Array;
  dst: Uint32Array;
  /** In-edges of each destination: `targets` are their sources, `edges` their edge ids (ascending per row). */
  byDestination: Csr;
  /** Out-edges of each source (the transpose): `targets` are their destinations, `edges` their edge ids. */
  bySource: Csr;
}

/** The edges (COO) and node counts to build a {@link SparseGraph} from. */
export type BuildSparseGraphInput = { src: Uint32Array; dst: Uint32Array } & (
  | { numNodes: number }
  | { numSources: number; numDestinations: number }
);

/** Builds CSR by destination and by source (stable counting sorts, O(nodes + edges)) from COO edges. */
export function buildSparseGraph(input: BuildSparseGraphInput): SparseGraph {
  const { src, dst } = input;
  const numSources = 'numNodes' in input ? input.numNodes : input.numSources;
  const numDestinations = 'numNodes' in input ? input.numNodes : input.numDestinations;
  if (src.length !== dst.length) {
    throw new NonRetryableError(
      `Edge arrays differ in length: src has ${src.length}, dst has ${dst.length}`,
      { code: 'GNN_SHAPE_MISMATCH', details: 'Expected one source and one destination per edge.' },
    );
  }
  for (const [name, count] of [
    ['numSources', numSources],
    ['numDestinations', numDestinations],
  ] as const) {
    if (!Number.isInteger(count) || count < 0 || count >= 2 ** 32) {
      throw new NonRetryableError(`${name} must be a non-negative integer below 2^32, got ${count}`, {
        code: 'GNN_SHAPE_MISMATCH',
      });
    }
  }
  checkIndices('src', src, numSources, 'numSources');
  checkIndices('dst', dst, numDestinations, 'numDestinations');
  return {
    numSources,
    numDestinations,
    numEdges: src.length,
    src,
    dst,
    byDestination: groupEdges(dst, src, numDestinations),
    bySource: groupEdges(src, dst, numSources),
  };
}

/** Throws naming the first edge whose endpoint is not below `limit`. */
function checkIndices(name: string, indices: Uint32Array, limit: number, limitName: string): void {
  for (let e = 0; e < indices.length; e += 1) {
    if (indices[e]! >= limit) {
      throw new NonRetryableError(`Edge ${e} has ${name} ${indices[e]}, outside the graph`, {
        code: 'GNN_SHAPE_MISMATCH',
        details: `Expected every ${name} index below ${limitName} = ${limit}.`,
      });
    }
  }
}

/** CSR of the edges grouped by `rows[e]`, each entry naming `others[e]` and `e`, edge ids ascending per row. */
function groupEdges(rows: Uint32Array, others: Uint32Array, numRows: number): Csr {
  const offsets = new Uint32Array(numRows + 1);
  for (let e = 0; e < rows.length; e += 1) offsets[rows[e]! + 1]! += 1;
  for (let r = 0; r < numRows; r += 1) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, numRows);
  const targets = new Uint32Array(rows.length);
  const edges = new Uint32Array(rows.length);
  for (let e = 0; e < rows.length; e += 1) {
    const at = cursor[rows[e]!]!++;
    targets[at] = others[e]!;
    edges[at] = e;
  }
  return { offsets, targets, edges };
}
