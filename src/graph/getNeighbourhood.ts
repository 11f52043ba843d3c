import type { GraphSnapshot } from '../types/graph.js';

/** A neighbourhood: node indexes (the centre first, then by hops) and the ids of the edges between them. */
export interface Neighbourhood {
  nodes: number[];
  /** Hops from the centre, per entry of `nodes`. */
  hops: number[];
  edges: number[];
  /** True when `maxNodes` cut the neighbourhood short. */
  truncated: boolean;
}

/**
 * The nodes within `hops` of `centre` (edges followed either way) and every edge among them; at most
 * `maxNodes` nodes, nearer first and, at the same distance, those with more interactions with the frontier first.
 */
export function getNeighbourhood(
  snapshot: GraphSnapshot,
  centre: number,
  hops: number,
  maxNodes = 200,
): Neighbourhood {
  const distance = new Map<number, number>([[centre, 0]]);
  let frontier = [centre];
  let truncated = false;
  for (let hop = 1; hop <= hops && frontier.length > 0 && !truncated; hop += 1) {
    const weight = new Map<number, number>();
    for (const v of frontier) {
      for (const csr of [snapshot.out, snapshot.in]) {
        for (let i = csr.offsets[v]!; i < csr.offsets[v + 1]!; i += 1) {
          const u = csr.targets[i]!;
          if (!distance.has(u)) weight.set(u, (weight.get(u) ?? 0) + snapshot.edges.count[csr.edges[i]!]!);
        }
      }
    }
    const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([u]) => u);
    const room = maxNodes - distance.size;
    if (ranked.length > room) truncated = true;
    frontier = ranked.slice(0, Math.max(0, room));
    for (const u of frontier) distance.set(u, hop);
  }
  const nodes = [...distance.keys()];
  const edges: number[] = [];
  for (const v of nodes) {
    for (let i = snapshot.out.offsets[v]!; i < snapshot.out.offsets[v + 1]!; i += 1) {
      if (distance.has(snapshot.out.targets[i]!)) edges.push(snapshot.out.edges[i]!);
    }
  }
  return { nodes, hops: nodes.map((v) => distance.get(v)!), edges: edges.sort((a, b) => a - b), truncated };
}
