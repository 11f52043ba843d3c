import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../graph/buildCsr.js';
import { edgeTypes, type GraphSnapshot, nodeKinds, noToken } from '../../types/graph.js';
import { findFundingRoots, isFundedBy } from './findFundingRoots.js';

/** A snapshot of EOAs (node 9 a contract) with the given funding edges (funder → account). */
function fundingSnapshot(n: number, funding: [number, number][], contracts: number[] = []): GraphSnapshot {
  const sorted = [...funding].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const edges = {
    src: Uint32Array.from(sorted, ([s]) => s),
    dst: Uint32Array.from(sorted, ([, d]) => d),
    type: new Uint8Array(sorted.length).fill(edgeTypes.indexOf('funding')),
    token: new Uint32Array(sorted.length).fill(noToken),
    count: new Uint32Array(sorted.length).fill(1),
    logTotal: new Float32Array(sorted.length),
    logMax: new Float32Array(sorted.length),
    firstBlock: new Uint32Array(sorted.length),
    lastBlock: new Uint32Array(sorted.length),
  };
  const kind = Uint8Array.from({ length: n }, (_, v) =>
    nodeKinds.indexOf(contracts.includes(v) ? 'contract' : 'eoa'),
  );
  return {
    id: 'test',
    point: { chainId: 1, asOfBlock: 1, asOfTime: 0, fromBlock: 0 },
    nodes: { addresses: Array.from({ length: n }, (_, v) => `0x${v.toString(16).padStart(40, '0')}`), kind },
    edges,
    ...buildCsr(edges, n),
  };
}

describe('findFundingRoots', () => {
  it('climbs hop chains to the top funder below a hub, and gives hub-funded accounts no root', () => {
    // 0 is an exchange funding 1..4 and the farm funder 5; 5 → hop 6 → wallets 7, 8; 5 also funds 9 (a contract).
    const snapshot = fundingSnapshot(
      10,
      [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [0, 5],
        [5, 6],
        [6, 7],
        [6, 8],
        [5, 9],
      ],
      [9],
    );
    const roots = findFundingRoots(snapshot, { minFunded: 5, maxHops: 4 });
    expect(Array.from(roots.hub)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(roots.root)).toEqual([-1, -1, -1, -1, -1, -1, 5, 5, 5, 5]);
    expect(Array.from(roots.depth)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 2, 1]);
    expect(isFundedBy(roots, 8, 5)).toBe(true);
    expect(isFundedBy(roots, 8, 1)).toBe(false);
  });

  it('treats known hubs as hubs whatever they funded, and stops at maxHops', () => {
    const snapshot = fundingSnapshot(6, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    expect(Array.from(findFundingRoots(snapshot, { minFunded: 100, maxHops: 2 }).root)).toEqual([
      -1, 0, 0, 1, 2, 3,
    ]);
    const known = new Set([snapshot.nodes.addresses[2]!]);
    const roots = findFundingRoots(snapshot, { minFunded: 100, maxHops: 4 }, known);
    expect(Array.from(roots.root)).toEqual([-1, 0, 0, -1, 3, 3]);
  });
});
