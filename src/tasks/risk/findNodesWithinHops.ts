import type { GraphSnapshot } from '../../types/graph.js';

/**
 * The nodes within `hops` of any of `sources`, edges followed either way, each with its distance to the nearest
 * source (the sources themselves at 0), in the order a breadth-first search reaches them. With `passesThrough`,
 * paths continue only through the nodes it accepts (the sources always; other nodes are still reached).
 */
export function findNodesWithinHops(
  snapshot: Pick<GraphSnapshot, 'out' | 'in'>,
  sources: Iterable<number>,
  hops: number,
  passesThrough?: (node: number) => boolean,
): Map<number, number> {
  const distance = new Map<number, number>();
  let frontier: number[] = [];
  for (const v of sources) {
    if (!distance.has(v)) {
      distance.set(v, 0);
      frontier.push(v);
    }
  }
  for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
    const next: number[] = [];
    for (const v of frontier) {
      for (const csr of [snapshot.out, snapshot.in]) {
        for (let i = csr.offsets[v]!; i < csr.offsets[v + 1]!; i += 1) {
          const u = csr.targets[i]!;
          if (!distance.has(u)) {
            distance.set(u, hop);
            if (passesThrough === undefined || passesThrough(u)) next.push(u);
          }
        }
      }
    }
    frontier = next;
  }
  return distance;
}
