import louvainModule from 'graphology-communities-louvain';
import { connectedComponents } from 'graphology-components';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import { describe, expect, it } from 'vitest';
import { randomSnapshot } from '../../test/setup/randomSnapshot.js';
import { createRng } from '../utils/createRng.js';
import { toGraphology } from './computeCommunities.js';
import { computeComponents } from './computeComponents.js';
import { computePageRank } from './computePageRank.js';
import { toLouvainGraph } from './toLouvainGraph.js';
import { toNodePairs } from './toNodePairs.js';

const pagerank = pagerankModule as unknown as typeof pagerankModule.default;
const louvain = louvainModule as unknown as typeof louvainModule.default;

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

  it('pairs edges per node pair as a Map in edge order would: counts summed, self-loops and other types left out', () => {
    const keep = (type: number) => type !== 1;
    for (const undirected of [true, false]) {
      const expected = new Map<string, number>();
      const { src, dst, type, count } = snapshot.edges;
      for (let e = 0; e < src.length; e += 1) {
        if (src[e] === dst[e] || !keep(type[e]!)) continue;
        const [a, b] = undirected && dst[e]! < src[e]! ? [dst[e], src[e]] : [src[e], dst[e]];
        expected.set(`${a}-${b}`, (expected.get(`${a}-${b}`) ?? 0) + count[e]!);
      }
      const pairs = toNodePairs(snapshot, undirected, keep);
      const listed = Array.from(pairs.source, (a, p) => [`${a}-${pairs.target[p]}`, pairs.weight[p]]);
      expect(listed).toEqual([...expected.entries()]);
      expect(listed.length).toBeGreaterThan(500);
    }
  });

  it('Louvain on the pair view finds what it finds on a graphology graph of the same pairs', () => {
    const keep = (type: number) => type !== 0;
    const run = (graph: Parameters<typeof louvain.detailed>[0]) => {
      const rng = createRng(5);
      return louvain.detailed(graph, { getEdgeWeight: 'weight', rng: () => rng.next() });
    };
    const theirs = run(toGraphology(snapshot, 'undirected', keep));
    const ours = run(toLouvainGraph(toNodePairs(snapshot, true, keep)));
    expect(ours.modularity).toBe(theirs.modularity);
    expect(ours.count).toBe(theirs.count);
    expect(Object.entries(ours.communities)).toEqual(Object.entries(theirs.communities));
    expect(theirs.count).toBeGreaterThan(5);
  });
});
