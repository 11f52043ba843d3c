import { NonRetryableError } from '../../internal/errors.js';
import type { GraphEdges } from '../../types/graph.js';
import { toRowChunks } from './toRowChunks.js';

/**
 * One interaction row as the warehouse streams it (RowBinary, little-endian): u64 src * 2^32 + dst (so u32 dst,
 * then u32 src), u8 type, u32 token, the value (u256, or u128 when every value of the snapshot fits: 16 bytes a
 * row less to sort and send), u32 block: these columns of the staged rows, in this order, sorted by the first
 * three. The engine sorts one 64-bit pair column faster than src and dst apart (0.76-0.81 s against 0.80-0.89 s
 * for the bench's 3.7M rows). The value's float is computed here from its limbs (cheaper than the engine
 * converting and sending 8 more bytes a row).
 */
export const edgeRowColumns = 'bitOr(bitShiftLeft(toUInt64(s), 32), d) AS pair, type, k, value, block';
/** The order of {@link edgeRowColumns} that the fold needs: by (src, dst, type, token). */
export const edgeRowOrder = 'pair, type, k';
/** The bytes of a row's value: a UInt256 or a UInt128. */
export type ValueBytes = 32 | 16;
const valueAt = 13;
/** The exact total and max of an edge, as written out: two UInt256. */
const valueBytes = 64;
/** Edges per chunk of columns while their number is unknown. */
const chunkEdges = 1 << 16;

/**
 * Folds interaction rows sorted by (src, dst, type, token) into one edge per run of equal keys, as ClickHouse's
 * GROUP BY would: count, exact UInt256 total (wrapping like UInt256) and max, ln(1 + float total) and
 * ln(1 + float max), first and last block. Each row's value takes `rowValueBytes` (32: UInt256, 16: UInt128). The exact total and max of each edge (32 bytes little-endian each)
 * go, chunk by chunk in edge order, to `writeValues` (the bytes are reused after it returns).
 */
export async function foldEdgeRows(
  chunks: AsyncIterable<Uint8Array>,
  writeValues: (bytes: Uint8Array) => void,
  rowValueBytes: ValueBytes = 32,
): Promise<GraphEdges> {
  const folder = new EdgeFolder(rowValueBytes);
  const stray = (bytes: number) => folder.unexpected(`${bytes} stray bytes after the last row`);
  for await (const { spans, rows } of toRowChunks(chunks, folder.rowBytes, stray)) {
    // Room for every run this chunk can end: one per row in it, and the one left open before it.
    folder.startValues(rows + 1);
    for (const { view, from, to } of spans) folder.fold(view, from, to);
    writeValues(folder.takeValues());
  }
  folder.startValues(1);
  folder.end();
  writeValues(folder.takeValues());
  return folder.edges();
}

/** The fold's state between chunks: the edges so far, the run being folded, and the current chunk's values. */
class EdgeFolder {
  /** The bytes of one row, and the 32-bit limbs of its value. */
  readonly rowBytes: number;
  private readonly limbs: number;
  private readonly blockAt: number;
  /** The edges so far, in chunks of chunkEdges (their number is known only at the end). */
  private readonly chunks: GraphEdges[] = [];
  private count = 0;
  // The open run: its key (type -1: none yet), row count, float sums and blocks. Its first row's value is read
  // where it lies (most runs are one row); from a second row on, total and max are kept as 32-bit limbs.
  private src = 0;
  private dst = 0;
  private type = -1;
  private token = 0;
  private rows = 0;
  private float = 0;
  private maxFloat = 0;
  private first = 0;
  private last = 0;
  private firstRow: DataView = new DataView(new ArrayBuffer(0));
  private firstAt = 0;
  private inLimbs = false;
  private readonly total = new Uint32Array(8);
  private readonly max = new Uint32Array(8);
  private values = new DataView(new ArrayBuffer(0));
  private written = 0;

  constructor(rowValueBytes: ValueBytes) {
    this.limbs = rowValueBytes / 4;
    this.blockAt = valueAt + rowValueBytes;
    this.rowBytes = this.blockAt + 4;
  }

  /** Starts the values of up to `edges` runs, reusing the buffer when it is large enough. */
  startValues(edges: number): void {
    if (this.values.byteLength < edges * valueBytes)
      this.values = new DataView(new ArrayBuffer(edges * valueBytes));
    this.written = 0;
  }

  /** The values of the runs ended since startValues. */
  takeValues(): Uint8Array {
    return new Uint8Array(this.values.buffer, 0, this.written);
  }

  /** Folds the whole rows in bytes [from, to) of `view`. */
  fold(view: DataView, from: number, to: number): void {
    const { total, max, limbs, rowBytes, blockAt } = this;
    for (let at = from; at < to; at += rowBytes) {
      const d = view.getUint32(at, true);
      const s = view.getUint32(at + 4, true);
      const t = view.getUint8(at + 8);
      const k = view.getUint32(at + 9, true);
      const f = toFloat(view, at + valueAt, limbs);
      const block = view.getUint32(at + blockAt, true);
      if (s === this.src && d === this.dst && t === this.type && k === this.token) {
        if (!this.inLimbs) this.keepFirstValue();
        this.rows += 1;
        this.float += f;
        if (block < this.first) this.first = block;
        if (block > this.last) this.last = block;
        let carry = 0;
        for (let i = 0; i < 8; i += 1) {
          const sum = total[i]! + valueLimb(view, at, i, limbs) + carry;
          total[i] = sum;
          carry = sum > 0xffff_ffff ? 1 : 0;
        }
        // The max's limbs past the row's are 0: every value fits in the row's.
        if (exceeds(view, at + valueAt, max, limbs)) {
          for (let i = 0; i < limbs; i += 1) max[i] = view.getUint32(at + valueAt + 4 * i, true);
          this.maxFloat = f;
        }
        continue;
      }
      if (this.type >= 0) {
        if (!follows(s, d, t, k, this.src, this.dst, this.type, this.token))
          throw this.unexpected(
            `a row out of order: (${s}, ${d}, ${t}, ${k}) after (${this.src}, ${this.dst}, ${this.type}, ${this.token})`,
          );
        this.end();
      }
      this.src = s;
      this.dst = d;
      this.type = t;
      this.token = k;
      this.rows = 1;
      this.float = this.maxFloat = f;
      this.first = this.last = block;
      this.firstRow = view;
      this.firstAt = at;
      this.inLimbs = false;
    }
    // The bytes of the last row may be reused for the next chunk.
    if (this.type >= 0 && !this.inLimbs) this.keepFirstValue();
  }

  /** Ends the open run (if any) as the next edge. */
  end(): void {
    if (this.type < 0) return;
    const { values, written } = this;
    const e = this.count % chunkEdges;
    if (e === 0) this.chunks.push(allocateEdges(chunkEdges));
    const c = this.chunks[this.chunks.length - 1]!;
    c.src[e] = this.src;
    c.dst[e] = this.dst;
    c.type[e] = this.type;
    c.token[e] = this.token;
    c.count[e] = Math.min(this.rows, 0xffff_ffff);
    const logTotal = Math.log1p(this.float);
    c.logTotal[e] = logTotal;
    c.logMax[e] = this.maxFloat === this.float ? logTotal : Math.log1p(this.maxFloat);
    c.firstBlock[e] = this.first;
    c.lastBlock[e] = this.last;
    if (this.inLimbs) {
      for (let i = 0; i < 8; i += 1) {
        values.setUint32(written + 4 * i, this.total[i]!, true);
        values.setUint32(written + 32 + 4 * i, this.max[i]!, true);
      }
    } else {
      for (let i = 0; i < 8; i += 1) {
        const limb = valueLimb(this.firstRow, this.firstAt, i, this.limbs);
        values.setUint32(written + 4 * i, limb, true);
        values.setUint32(written + 32 + 4 * i, limb, true);
      }
    }
    this.written += valueBytes;
    this.count += 1;
    this.type = -1;
  }

  /** Copies the open run's first value into its total and max limbs. */
  private keepFirstValue(): void {
    for (let i = 0; i < 8; i += 1)
      this.total[i] = this.max[i] = valueLimb(this.firstRow, this.firstAt, i, this.limbs);
    this.inLimbs = true;
  }

  /** The error for a stream that is not rows of this folder's layout, sorted. */
  unexpected(what: string): NonRetryableError {
    return new NonRetryableError(`The warehouse streamed ${what}`, {
      code: 'SNAPSHOT_STREAM_INVALID',
      details: `Expected ${this.rowBytes}-byte RowBinary rows sorted by (src, dst, type, token); the staging tables probably changed while being read.`,
    });
  }

  /** The edges in one array per column (each column's chunks let go as soon as it is copied). */
  edges(): GraphEdges {
    const edges = {} as Record<keyof GraphEdges, GraphEdges[keyof GraphEdges]>;
    for (const name of Object.keys(columnTypes) as (keyof GraphEdges)[]) {
      const column = new columnTypes[name](this.count);
      this.chunks.forEach((chunk, i) => {
        column.set(chunk[name].subarray(0, this.count - i * chunkEdges), i * chunkEdges);
        chunk[name] = empty[name] as never;
      });
      edges[name] = column;
    }
    return edges as GraphEdges;
  }
}

/** The array type of each edge column. */
const columnTypes = {
  src: Uint32Array,
  dst: Uint32Array,
  type: Uint8Array,
  token: Uint32Array,
  count: Uint32Array,
  logTotal: Float32Array,
  logMax: Float32Array,
  firstBlock: Uint32Array,
  lastBlock: Uint32Array,
} as const;

/** Zeroed columns for `count` edges. */
function allocateEdges(count: number): GraphEdges {
  const entries = Object.entries(columnTypes).map(([name, Type]) => [name, new Type(count)]);
  return Object.fromEntries(entries) as GraphEdges;
}

const empty = allocateEdges(0);

/** Whether key (s, d, t, k) sorts after (ps, pd, pt, pk). */
function follows(s: number, d: number, t: number, k: number, ps: number, pd: number, pt: number, pk: number) {
  if (s !== ps) return s > ps;
  if (d !== pd) return d > pd;
  if (t !== pt) return t > pt;
  return k > pk;
}

/** 32-bit limb `i` of the value of the row at byte `rowAt` of `view`, a value of `limbs` limbs: 0 past them. */
function valueLimb(view: DataView, rowAt: number, i: number, limbs: number): number {
  return i < limbs ? view.getUint32(rowAt + valueAt + 4 * i, true) : 0;
}

/** The integer of `limbs` 32-bit limbs at byte `at` of `view` as a float, rounded limb by limb from the top (exact below 2^53). */
function toFloat(view: DataView, at: number, limbs: number): number {
  // Most values fit in 64 bits: then the same single rounding, without the chain of dependent steps.
  let high = 0;
  for (let i = 2; i < limbs; i += 1) high |= view.getUint32(at + 4 * i, true);
  if (high === 0) return view.getUint32(at + 4, true) * 4294967296 + view.getUint32(at, true);
  let float = 0;
  for (let i = limbs - 1; i >= 0; i -= 1) float = float * 4294967296 + view.getUint32(at + 4 * i, true);
  return float;
}

/** Whether the integer of `limbs` 32-bit limbs at byte `at` of `view` is greater than `max`'s low `limbs` limbs. */
function exceeds(view: DataView, at: number, max: Uint32Array, limbs: number): boolean {
  for (let i = limbs - 1; i >= 0; i -= 1) {
    const limb = view.getUint32(at + 4 * i, true);
    if (limb !== max[i]) return limb > max[i]!;
  }
  return false;
}
