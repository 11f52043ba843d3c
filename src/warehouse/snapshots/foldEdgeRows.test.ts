import { describe, expect, it } from 'vitest';
import { foldEdgeRows, type ValueBytes } from './foldEdgeRows.js';

type Row = [src: number, dst: number, type: number, token: number, value: bigint, block: number];

/** Rows as the warehouse streams them: u32 dst, src (a u64 pair), u8 type, u32 token, the value (u256 or u128), u32 block. */
function encode(rows: readonly Row[], valueBytes: ValueBytes = 32): Uint8Array {
  const rowBytes = 17 + valueBytes;
  const bytes = new Uint8Array(rows.length * rowBytes);
  const view = new DataView(bytes.buffer);
  rows.forEach(([src, dst, type, token, value, block], r) => {
    const at = r * rowBytes;
    view.setUint32(at, dst, true);
    view.setUint32(at + 4, src, true);
    view.setUint8(at + 8, type);
    view.setUint32(at + 9, token, true);
    for (let i = 0; i < valueBytes / 8; i += 1)
      view.setBigUint64(at + 13 + 8 * i, (value >> BigInt(64 * i)) & (2n ** 64n - 1n), true);
    view.setUint32(at + 13 + valueBytes, block, true);
  });
  return bytes;
}

async function* inChunks(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Folds `rows` streamed in chunks of `size` bytes; returns the edges and the exact values as bigints. */
async function fold(rows: readonly Row[], size = 1 << 16, valueBytes: ValueBytes = 32) {
  const written: Uint8Array[] = [];
  const edges = await foldEdgeRows(
    inChunks(encode(rows, valueBytes), size),
    (b) => written.push(b.slice()),
    valueBytes,
  );
  const all = Buffer.concat(written);
  const word = (at: number) =>
    [0, 1, 2, 3].reduce((sum, i) => sum | (all.readBigUInt64LE(at + 8 * i) << BigInt(64 * i)), 0n);
  const values = Array.from(edges.src, (_, e) => ({ total: word(e * 64), max: word(e * 64 + 32) }));
  return { edges, values };
}

const top = 2n ** 256n;

describe('foldEdgeRows', () => {
  it('folds each run of equal keys into one edge with exact UInt256 totals and maxima', async () => {
    const { edges, values } = await fold([
      [0, 1, 1, 0xffff_ffff, 0xffff_ffffn, 7],
      [0, 1, 1, 0xffff_ffff, 1n, 3],
      [0, 1, 1, 0xffff_ffff, 5n, 9],
      [0, 1, 2, 4, 2n ** 255n, 2],
      [0, 1, 2, 4, 2n ** 255n + 1n, 4],
      [2, 0, 0, 0xffff_ffff, 10n ** 30n, 5],
    ]);
    expect(Array.from(edges.src)).toEqual([0, 0, 2]);
    expect(Array.from(edges.dst)).toEqual([1, 1, 0]);
    expect(Array.from(edges.type)).toEqual([1, 2, 0]);
    expect(Array.from(edges.token)).toEqual([0xffff_ffff, 4, 0xffff_ffff]);
    expect(Array.from(edges.count)).toEqual([3, 2, 1]);
    expect(Array.from(edges.firstBlock)).toEqual([3, 2, 5]);
    expect(Array.from(edges.lastBlock)).toEqual([9, 4, 5]);
    // The carry crosses a limb; a total past 2^256 wraps, as ClickHouse's UInt256 sum does.
    expect(values).toEqual([
      { total: 0xffff_ffffn + 6n, max: 0xffff_ffffn },
      { total: (2n ** 256n + 1n) % top, max: 2n ** 255n + 1n },
      { total: 10n ** 30n, max: 10n ** 30n },
    ]);
    expect(edges.logTotal[0]).toBeCloseTo(Math.log1p(0xffff_ffff + 6), 5);
    expect(edges.logMax[1]).toBeCloseTo(Math.log1p(2 ** 255), 3);
    expect(edges.logTotal[1]).toBeCloseTo(Math.log1p(2 ** 256), 3);
    // The float of a value comes from its limbs: as JavaScript's own conversion of the bigint.
    expect(edges.logTotal[2]).toBe(Math.fround(Math.log1p(Number(10n ** 30n))));
  });

  it('gives the same edges and values however the stream is cut', async () => {
    const rows: Row[] = [];
    for (let s = 0; s < 30; s += 1)
      for (let r = 0; r < (s % 4) + 1; r += 1)
        rows.push([s, s % 3, s % 5, 0xffff_ffff, BigInt(s) ** 20n + BigInt(r), r]);
    const whole = await fold(rows);
    for (const size of [1, 48, 49, 50, 1000]) {
      const cut = await fold(rows, size);
      expect([size, cut.values]).toEqual([size, whole.values]);
      expect([size, Array.from(cut.edges.count)]).toEqual([size, Array.from(whole.edges.count)]);
    }
    expect(whole.edges.src.length).toBe(30);
  });

  it('folds rows with UInt128 values into the same edges and UInt256 totals as with UInt256 values', async () => {
    const big = 2n ** 128n - 1n;
    const rows: Row[] = [
      [0, 1, 1, 7, big, 4],
      [0, 1, 1, 7, big, 2],
      [0, 1, 1, 7, 3n, 9],
      [0, 2, 1, 7, 2n ** 100n + 5n, 1],
      [1, 0, 2, 7, 2n ** 64n, 3],
      [1, 0, 2, 7, 2n ** 64n - 1n, 3],
    ];
    const wide = await fold(rows);
    for (const size of [1, 33, 34, 1000]) {
      const narrow = await fold(rows, size, 16);
      expect(narrow.edges).toEqual(wide.edges);
      expect(narrow.values).toEqual(wide.values);
    }
    // The total carries past the row's 128 bits.
    expect(wide.values[0]).toEqual({ total: 2n * big + 3n, max: big });
    expect(wide.values[2]).toEqual({ total: 2n ** 65n - 1n, max: 2n ** 64n });
  });

  it('refuses rows out of order and a stream cut inside a row', async () => {
    await expect(
      fold([
        [1, 0, 0, 0, 1n, 0],
        [0, 5, 0, 0, 1n, 0],
      ]),
    ).rejects.toThrow(/out of order/);
    const bytes = encode([[0, 1, 0, 0, 1n, 0]]).subarray(0, 40);
    await expect(foldEdgeRows(inChunks(bytes, 8), () => {})).rejects.toThrow(/40 stray bytes/);
    await expect(
      foldEdgeRows(inChunks(encode([[0, 1, 0, 0, 1n, 0]], 16).subarray(0, 30), 8), () => {}, 16),
    ).rejects.toThrow(/30 stray bytes/);
  });
});
