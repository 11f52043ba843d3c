import { connectedComponents } from 'graphology-components';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import { describe, expect, it } from 'vitest';
import type { GraphEdges, GraphSnapshot } from '../types/graph.js';
import { createRng } from '../utils/createRng.js';
import { buildCsr } from './buildCsr.js';
import { toGraphology } from './computeCommunities.js';
import { computeComponents } from './computeComponents.js';
import { computePageRank } from './computePageRank.js';

const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

/** A snapshot of `n` nodes and about `m` random typed edges (self loops, parallel types, isolated nodes). */
function randomSnapshot(n: number, m: number, seed: number): GraphSnapshot {
  const rng = createRng(seed);
  const keys = new Set<string>();
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < m; i += 1) {
    const row: [number, number, number, number] = [
      rng.int(0, n - 11),
      rng.int(0, n - 11),
      rng.int(0, 4),
      rng.int(1, 9),
    ];
    if (i % 17 === 0) row[1] = row[0];
    const key = `${row[0]},${row[1]},${row[2]}`;
    if (keys.has(key)) continue;
    keys.add(key);
    rows.push(row);
  }
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const column = (i: number) => Uint32Array.from(rows, (r) => r[i]!);
  const edges: GraphEdges = {
    src: column(0),
    dst: column(1),
    type: Uint8Array.from(rows, (r) => r[2]),
    token: new Uint32Array(rows.length).fill(0xffff_ffff),
    count: column(3),
    logTotal: new Float32Array(rows.length),
    logMax: new Float32Array(rows.length),
    firstBlock: new Uint32Array(rows.length),
    lastBlock: new Uint32Array(rows.length),
  };
  const nodes = {
    addresses: Array.from({ length: n }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`),
    kind: new Uint8Array(n),
  };
  return {
    id: 't',
    point: { chainId: 1, asOfBlock: 1, asOfTime: 0, fromBlock: 0 },
    nodes,
    edges,
    ...buildCsr(edges, n),
  };
}

describe('graph analytics on the typed arrays', () => {
  const snapshot = randomSnapshot(400, 1_500, 3);

  it('PageRank equals graphology-metrics pagerank on the same weighted directed graph', () => {
    const ours = computePageRank(snapshot);
    const theirs = pagerank(
      toGraphology(snapshot, 'directed', () => true),
      { getEdgeWeight: 'weight' },
    );
    expect(ours.converged).toBe(true);
    let worst = 0;
    for (let v = 0; v < 400; v += 1) worst = Math.max(worst, Math.abs(ours.ranks[v]! - theirs[String(v)]!));
    expect(worst).toBeLessThan(1e-12);
    expect(ours.ranks.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('weakly connected components equal graphology-components on the same graph', () => {
    const roots = computeComponents(snapshot);
    const theirs = connectedComponents(toGraphology(snapshot, 'directed', () => true));
    const ours = new Map<number, number[]>();
    for (const [v, root] of roots.entries()) ours.set(root, [...(ours.get(root) ?? []), v]);
    const canonical = (groups: number[][]) => groups.map((g) => g.sort((a, b) => a - b).join(',')).sort();
    expect(canonical([...ours.values()])).toEqual(canonical(theirs.map((g) => g.map(Number))));
    expect(ours.size).toBeGreaterThan(10); // the 10 isolated nodes at least
  });
});
