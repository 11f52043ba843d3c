import { connectedComponents } from 'graphology-components';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import { describe, expect, it } from 'vitest';
import { randomSnapshot } from '../../test/setup/randomSnapshot.js';
import { toGraphology } from './computeCommunities.js';
import { computeComponents } from './computeComponents.js';
import { computePageRank } from './computePageRank.js';

const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

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
