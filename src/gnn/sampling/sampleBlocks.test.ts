import { describe, expect, it } from 'vitest';
import { createRng } from '../../utils/createRng.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';
import { sampleBlocks } from './sampleBlocks.js';

/** A random directed graph with `n` nodes and `m` edges (repeats and self loops allowed), from a seed. */
function randomGraph(n: number, m: number, seed: number) {
  const rng = createRng(seed);
  const src = Uint32Array.from({ length: m }, () => rng.int(0, n - 1));
  const dst = Uint32Array.from({ length: m }, () => rng.int(0, n - 1));
  return { src, dst, graph: buildSparseGraph({ src, dst, numNodes: n }) };
}

describe('sampleBlocks', () => {
  const { src, dst, graph } = randomGraph(300, 3_000, 1);
  const seeds = Uint32Array.from([5, 17, 42, 99]);

  it('samples at most the fanout per destination, only real edges, destinations first among sources', () => {
    const batch = sampleBlocks(graph.byDestination, seeds, [4, 3], createRng(7));
    expect(batch.blocks).toHaveLength(2);
    expect(Array.from(batch.outputNodes)).toEqual(Array.from(seeds));
    // Walk from the output block back to the input: each block's destinations are the next block's sources.
    let destinations: Uint32Array = seeds;
    for (let layer = 1; layer >= 0; layer -= 1) {
      const { graph: block } = batch.blocks[layer]!;
      const ids = batch.edgeIds[layer]!;
      expect(block.numDestinations).toBe(destinations.length);
      const sources = layer === 0 ? batch.inputNodes : nodesOf(batch, layer);
      expect(Array.from(sources.subarray(0, destinations.length))).toEqual(Array.from(destinations));
      const perDestination = new Uint32Array(block.numDestinations);
      for (let e = 0; e < block.numEdges; e += 1) {
        perDestination[block.dst[e]!]! += 1;
        // The block edge is the graph edge it names.
        expect([sources[block.src[e]!], destinations[block.dst[e]!]]).toEqual([src[ids[e]!], dst[ids[e]!]]);
      }
      const fanout = layer === 1 ? 4 : 3;
      for (const [d, count] of perDestination.entries()) {
        const degree =
          graph.byDestination.offsets[destinations[d]! + 1]! - graph.byDestination.offsets[destinations[d]!]!;
        expect(count).toBe(Math.min(fanout, degree));
      }
      destinations = sources;
    }
  });

  it('takes every in-edge with fanout -1, and the same seed gives the same sample', () => {
    const all = sampleBlocks(graph.byDestination, seeds, [-1], createRng(1));
    const inDegrees = Array.from(
      seeds,
      (v) => graph.byDestination.offsets[v + 1]! - graph.byDestination.offsets[v]!,
    );
    expect(all.blocks[0]!.graph.numEdges).toBe(inDegrees.reduce((a, b) => a + b, 0));
    const a = sampleBlocks(graph.byDestination, seeds, [5, 5], createRng(3));
    const b = sampleBlocks(graph.byDestination, seeds, [5, 5], createRng(3));
    expect(Array.from(a.inputNodes)).toEqual(Array.from(b.inputNodes));
    expect(a.edgeIds.map((ids) => Array.from(ids))).toEqual(b.edgeIds.map((ids) => Array.from(ids)));
  });

  it('refuses a fanout that is not a positive number or -1', () => {
    expect(() => sampleBlocks(graph.byDestination, seeds, [10, 0], createRng(1))).toThrow(
      /fanouts\[1\] is 0/,
    );
  });
});

/**
 * The graph node ids of the sources of `blocks[layer]`: since every block's destinations are the first of its
 * sources, each block's sources are a prefix of the input nodes.
 */
function nodesOf(batch: ReturnType<typeof sampleBlocks>, layer: number): Uint32Array {
  return batch.inputNodes.subarray(0, batch.blocks[layer]!.graph.numSources);
}
