import { describe, expect, it } from 'vitest';
import { createRng } from '../../utils/createRng.js';
import { buildSparseGraph } from './buildSparseGraph.js';
import { type CsrSpmmInput, csrSpmm } from './csrSpmm.js';
import { parallelCsrSpmm, startSpmmHelper } from './parallelCsrSpmm.js';

describe('parallelCsrSpmm', () => {
  it('shares a large product with the helper thread and writes exactly what csrSpmm writes', async () => {
    const rng = createRng('parallelCsrSpmm');
    const nodes = 5000;
    const edges = 70_000;
    const width = 64;
    const graph = buildSparseGraph({
      src: Uint32Array.from({ length: edges }, () => rng.int(0, nodes - 1)),
      dst: Uint32Array.from({ length: edges }, () => rng.int(1, nodes - 1)),
      numNodes: nodes,
    });
    const values = (length: number) => Float32Array.from({ length }, () => rng.next() * 2 - 1);
    const x = values(nodes * width);
    const scales = { rowScale: values(nodes), gatherScale: values(nodes) };
    const product = (input: Omit<CsrSpmmInput, 'out'>, run: (input: CsrSpmmInput) => unknown) => {
      const out = new Float32Array(nodes * width).fill(Number.NaN);
      run({ ...input, out });
      return out;
    };
    const { offsets, targets: gather } = graph.byDestination;
    expect(await startSpmmHelper()).toBe(true);
    for (const input of [
      { offsets, gather, x, width },
      { offsets, gather, x, width, ...scales },
    ]) {
      expect(parallelCsrSpmm({ ...input, out: new Float32Array(nodes * width) })).toBe(true);
      expect(product(input, parallelCsrSpmm)).toEqual(product(input, csrSpmm));
    }
    // A small product runs in-thread.
    const small = { offsets: offsets.subarray(0, 11), gather, x, width };
    expect(parallelCsrSpmm({ ...small, out: new Float32Array(10 * width) })).toBe(false);
  });
});
