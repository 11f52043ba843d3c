import type { GraphSnapshot } from '../types/graph.js';
import { buildSimpleUndirected } from './buildSimpleUndirected.js';

/**
 * The k-core number of every node in the undirected simple projection of the snapshot (all edge types,
 * self-loops and repeated pairs ignored), by Batagelj–Zaversnik bucket peeling in O(nodes + edges).
 */
export function computeCoreNumbers(snapshot: GraphSnapshot): Uint32Array {
  const n = snapshot.nodes.addresses.length;
  const adjacency = buildSimpleUndirected(snapshot);
  const degree = new Uint32Array(n);
  let maxDegree = 0;
  for (let v = 0; v < n; v += 1) {
    degree[v] = adjacency.offsets[v + 1]! - adjacency.offsets[v]!;
    if (degree[v]! > maxDegree) maxDegree = degree[v]!;
  }
  const bucketStart = new Uint32Array(maxDegree + 2);
  for (let v = 0; v < n; v += 1) bucketStart[degree[v]! + 1]! += 1;
  for (let d = 0; d <= maxDegree; d += 1) bucketStart[d + 1]! += bucketStart[d]!;
  const order = new Uint32Array(n);
  const position = new Uint32Array(n);
  const fill = bucketStart.slice();
  for (let v = 0; v < n; v += 1) {
    position[v] = fill[degree[v]!]!++;
    order[position[v]!] = v;
  }
  for (let i = 0; i < n; i += 1) {
    const v = order[i]!;
    for (let j = adjacency.offsets[v]!; j < adjacency.offsets[v + 1]!; j += 1) {
      const u = adjacency.targets[j]!;
      if (degree[u]! <= degree[v]!) continue;
      // Move u to the front of its bucket, then shrink its degree by one.
      const du = degree[u]!;
      const front = bucketStart[du]!;
      const w = order[front]!;
      if (w !== u) {
        order[position[u]!] = w;
        position[w] = position[u]!;
        order[front] = u;
        position[u] = front;
      }
      bucketStart[du]! += 1;
      degree[u] = du - 1;
    }
  }
  return degree;
}
