import { buildCsr } from '../../src/graph/buildCsr.js';
import type { GraphEdges, GraphSnapshot } from '../../src/types/graph.js';
import { createRng } from '../../src/utils/createRng.js';

/** A snapshot of `n` nodes and about `m` random typed edges (self loops, parallel types, isolated nodes). */
export function randomSnapshot(n: number, m: number, seed: number): GraphSnapshot {
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
