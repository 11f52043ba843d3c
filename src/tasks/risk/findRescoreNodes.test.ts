import { describe, expect, it } from 'vitest';
import { emptyCommunities } from '../../../test/setup/emptyCommunities.js';
import { buildCsr } from '../../graph/buildCsr.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { edgeTypes, noToken } from '../../types/graph.js';
import { findRescoreNodes } from './findRescoreNodes.js';

const featureNames = ['tx_sent', 'age'];

/** An edge by node letters: `a>b`, its type, count and last block. */
type EdgeSpec = [string, (typeof edgeTypes)[number], number, number];

/** A snapshot of lettered addresses (0x…a, 0x…b, …), the edges given, and features tx_sent (per letter) and age. */
function snapshotOf(letters: string, edgeSpecs: EdgeSpec[], txSent: Record<string, number> = {}, age = 100) {
  const address = (letter: string) => `0x${letter.padStart(40, '0')}`;
  const addresses = [...letters].sort().map(address);
  const index = new Map(addresses.map((a, i) => [a, i]));
  const rows = edgeSpecs
    .map(([pair, type, count, lastBlock]) => {
      const [s, d] = pair.split('>') as [string, string];
      return {
        src: index.get(address(s))!,
        dst: index.get(address(d))!,
        type: edgeTypes.indexOf(type),
        count,
        lastBlock,
      };
    })
    .sort((x, y) => x.src - y.src || x.dst - y.dst || x.type - y.type);
  const edges = {
    src: Uint32Array.from(rows, (r) => r.src),
    dst: Uint32Array.from(rows, (r) => r.dst),
    type: Uint8Array.from(rows, (r) => r.type),
    token: new Uint32Array(rows.length).fill(noToken),
    count: Uint32Array.from(rows, (r) => r.count),
    logTotal: new Float32Array(rows.length),
    logMax: new Float32Array(rows.length),
    firstBlock: new Uint32Array(rows.length),
    lastBlock: Uint32Array.from(rows, (r) => r.lastBlock),
  };
  const n = addresses.length;
  const rawFeatures = new Float64Array(n * 2);
  for (const [i, a] of addresses.entries()) {
    rawFeatures[2 * i] = txSent[a.at(-1)!] ?? 1;
    rawFeatures[2 * i + 1] = age;
  }
  const content: SnapshotContent = {
    snapshot: {
      id: `s${age}`,
      point: { chainId: 1, asOfBlock: age, asOfTime: age, fromBlock: 0 },
      nodes: { addresses, kind: new Uint8Array(n) },
      edges,
      ...buildCsr(edges, n),
    },
    featureNames,
    rawFeatures,
    features: new Float32Array(n * 2),
    normalizer: { names: featureNames, median: [0, 0], iqr: [1, 1] },
    communities: emptyCommunities(n),
    valuesSha256: '',
  };
  return {
    content,
    letters: (nodes: Uint32Array) => Array.from(nodes, (v) => addresses[v]!.at(-1)).join(''),
  };
}

// A path a-b-c-d-e-f and a pair g-h.
const path: EdgeSpec[] = [
  ['a>b', 'native', 1, 1],
  ['b>c', 'native', 1, 1],
  ['c>d', 'token', 1, 1],
  ['d>e', 'call', 1, 1],
  ['e>f', 'native', 1, 1],
  ['g>h', 'funding', 1, 1],
];

describe('findRescoreNodes', () => {
  const previous = snapshotOf('abcdefgh', path).content;

  it('rescores the nodes within the model’s hops of a changed edge or a new node, nothing else; age alone changes nothing', () => {
    // e>f seen again (count 2, a later block); a new address i pays h. Every address is older.
    const edges: EdgeSpec[] = [
      ...path.slice(0, 4),
      ['e>f', 'native', 2, 9],
      ['g>h', 'funding', 1, 1],
      ['i>h', 'native', 1, 9],
    ];
    const { content, letters } = snapshotOf('abcdefghi', edges, {}, 200);
    const one = findRescoreNodes(previous, content, 1);
    expect(letters(one.rescore)).toBe('defghi');
    expect(one).toMatchObject({ changed: 4, added: 1, edgesChanged: 2, edgesRemoved: 0 });
    expect(letters(findRescoreNodes(previous, content, 2).rescore)).toBe('cdefghi');
    // An mlp reads no edges: only the changed nodes themselves.
    expect(letters(findRescoreNodes(previous, content, 0).rescore)).toBe('efhi');
    // Nothing but time passed: nothing to rescore.
    expect(findRescoreNodes(previous, snapshotOf('abcdefgh', path, {}, 300).content, 2).rescore).toHaveLength(
      0,
    );
  });

  it('rescores around a node whose features changed and around both ends of a removed edge', () => {
    const { content, letters } = snapshotOf('abcdefgh', path, { b: 5 });
    expect(letters(findRescoreNodes(previous, content, 1).rescore)).toBe('abc');
    // A windowed snapshot no longer sees c>d; a is gone too.
    const windowed = snapshotOf(
      'bcdefgh',
      path.slice(1).filter(([pair]) => pair !== 'c>d'),
    );
    const result = findRescoreNodes(previous, windowed.content, 1);
    expect(windowed.letters(result.rescore)).toBe('bcde');
    expect(result).toMatchObject({ edgesRemoved: 2, edgesChanged: 0, added: 0 });
  });

  it('refuses snapshots with other features', () => {
    const other = snapshotOf('abcdefgh', path).content;
    other.featureNames = ['tx_sent', 'tx_received'];
    expect(() => findRescoreNodes(previous, other, 1)).toThrow(/have different features/);
  });
});
