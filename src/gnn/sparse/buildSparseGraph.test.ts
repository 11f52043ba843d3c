import { describe, expect, it } from 'vitest';
import { buildSparseGraph } from './buildSparseGraph.js';

describe('buildSparseGraph', () => {
  it('groups edges by destination and by source, edge ids ascending within each node', () => {
    // Edges: 0: 2→1, 1: 0→1, 2: 1→1, 3: 2→2 (self loop), 4: 0→1 (repeat); node 0 has no in-edges.
    const graph = buildSparseGraph({
      src: Uint32Array.of(2, 0, 1, 2, 0),
      dst: Uint32Array.of(1, 1, 1, 2, 1),
      numNodes: 3,
    });
    expect(graph).toMatchObject({ numSources: 3, numDestinations: 3, numEdges: 5 });
    expect(graph.byDestination).toEqual({
      offsets: Uint32Array.of(0, 0, 4, 5),
      targets: Uint32Array.of(2, 0, 1, 0, 2),
      edges: Uint32Array.of(0, 1, 2, 4, 3),
    });
    expect(graph.bySource).toEqual({
      offsets: Uint32Array.of(0, 2, 3, 5),
      targets: Uint32Array.of(1, 1, 1, 1, 2),
      edges: Uint32Array.of(1, 4, 2, 0, 3),
    });
  });

  it('keeps sources and destinations apart in a bipartite block', () => {
    const graph = buildSparseGraph({
      src: Uint32Array.of(4, 0),
      dst: Uint32Array.of(1, 1),
      numSources: 5,
      numDestinations: 2,
    });
    expect(graph.byDestination.offsets).toEqual(Uint32Array.of(0, 0, 2));
    expect(graph.bySource.offsets).toEqual(Uint32Array.of(0, 1, 1, 1, 1, 2));
  });

  it('refuses edges outside the graph or of unequal lengths, naming the edge and the limit', () => {
    expect(() =>
      buildSparseGraph({ src: Uint32Array.of(0, 1), dst: Uint32Array.of(0, 3), numNodes: 3 }),
    ).toThrow(/Edge 1 has dst 3, outside the graph[\s\S]*below numDestinations = 3/);
    expect(() =>
      buildSparseGraph({ src: Uint32Array.of(0), dst: Uint32Array.of(0, 1), numNodes: 3 }),
    ).toThrow('src has 1, dst has 2');
    expect(() =>
      buildSparseGraph({ src: new Uint32Array(0), dst: new Uint32Array(0), numNodes: -1 }),
    ).toThrow('numSources must be a non-negative integer');
  });
});
