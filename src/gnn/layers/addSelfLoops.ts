import { buildSparseGraph, type SparseGraph } from '../sparse/buildSparseGraph.js';

/**
 * The block's graph plus one self loop per destination (edge d→d: destination d is source d), i.e. A + I. Its
 * edges are listed by destination (each destination's loop, then its in-edges), so an array over its edges is
 * also in its in-CSR order. Existing self loops stay, so a node with one gets 2 on the diagonal, as in A + I.
 */
export function addSelfLoops(graph: SparseGraph): SparseGraph {
  const { numSources, numDestinations, numEdges } = graph;
  const { offsets, targets } = graph.byDestination;
  const src = new Uint32Array(numEdges + numDestinations);
  const dst = new Uint32Array(numEdges + numDestinations);
  let e = 0;
  for (let d = 0; d < numDestinations; d += 1) {
    src[e] = d;
    dst[e] = d;
    e += 1;
    for (let j = offsets[d]!; j < offsets[d + 1]!; j += 1) {
      src[e] = targets[j]!;
      dst[e] = d;
      e += 1;
    }
  }
  return buildSparseGraph({ src, dst, numSources, numDestinations });
}
