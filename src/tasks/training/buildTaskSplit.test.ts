import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../graph/buildCsr.js';
import { type GraphSnapshot, noToken } from '../../types/graph.js';
import { buildTaskSplit } from './buildTaskSplit.js';

/** A ring of `n` addresses: edge i → i+1 first seen in block 10·i, so node i > 0 is first seen in block 10·(i − 1). */
function ringSnapshot(n: number): GraphSnapshot {
  const src = Uint32Array.from({ length: n }, (_, i) => i);
  const edges = {
    src,
    dst: Uint32Array.from(src, (i) => (i + 1) % n),
    type: new Uint8Array(n),
    token: new Uint32Array(n).fill(noToken),
    count: new Uint32Array(n).fill(1),
    logTotal: new Float32Array(n),
    logMax: new Float32Array(n),
    firstBlock: Uint32Array.from(src, (i) => 10 * i),
    lastBlock: Uint32Array.from(src, (i) => 10 * i + 5),
  };
  const addresses = Array.from({ length: n }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
  return {
    id: 'c1_b999_f0',
    point: { chainId: 1, asOfBlock: 999, asOfTime: 0, fromBlock: 0 },
    nodes: { addresses, kind: new Uint8Array(n) },
    edges,
    ...buildCsr(edges, n),
  };
}

describe('buildTaskSplit', () => {
  const snapshot = ringSnapshot(50);
  // Every third node positive; node 49 left out.
  const targets = Int32Array.from({ length: 50 }, (_, i) => (i === 49 ? -1 : i % 3 === 0 ? 1 : 0));

  it('splits by first-seen block: every train address was seen before every validation one, before every test one', () => {
    const { split, description } = buildTaskSplit({ kind: 'time', snapshot, targets, seed: 1 });
    const firstSeen = (node: number) => (node === 0 ? 0 : 10 * (node - 1));
    const range = (nodes: Uint32Array) => [
      Math.min(...Array.from(nodes, firstSeen)),
      Math.max(...Array.from(nodes, firstSeen)),
    ];
    expect([range(split.train), range(split.validation), range(split.test)]).toEqual([
      [0, 270],
      [280, 370],
      [380, 470],
    ]);
    expect(description).toMatchObject({
      kind: 'time',
      trainUntilBlock: 270,
      validationUntilBlock: 370,
      parts: { train: { nodes: 29 }, validation: { nodes: 10 }, test: { nodes: 10 } },
    });
    expect([...split.train, ...split.validation, ...split.test]).not.toContain(49);
  });

  it('splits at random with each class in every part, the same for the same seed', () => {
    const first = buildTaskSplit({ kind: 'stratified', snapshot, targets, seed: 4 });
    expect(first.description).toMatchObject({
      kind: 'stratified',
      seed: 4,
      parts: {
        train: { nodes: 29, positives: 10 },
        validation: { nodes: 11, positives: 4 },
        test: { nodes: 9, positives: 3 },
      },
    });
    expect(buildTaskSplit({ kind: 'stratified', snapshot, targets, seed: 4 })).toEqual(first);
  });

  it('refuses a split with a part lacking a class, naming the counts per part', () => {
    // Positives only among the earliest addresses: the time split's later parts have none.
    const early = Int32Array.from({ length: 50 }, (_, i) => (i < 12 ? 1 : 0));
    expect(() => buildTaskSplit({ kind: 'time', snapshot, targets: early, seed: 1 })).toThrow(
      /The time split leaves the validation and test part without both classes[\s\S]*train 30, 12; validation 10, 0; test 10, 0/,
    );
  });
});
