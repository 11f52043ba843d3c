import { NonRetryableError } from '../../internal/errors.js';
import { type GraphEdges, type GraphNodes, noToken } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';
import type { StagedSnapshot } from './stageSnapshotGraph.js';

/** Bytes of one edge in the RowBinary stream below: u32 src, u32 dst, u8 type, u32 token, u32 count,
 *  f32 log total, f32 log max, u32 first block, u32 last block, then the raw u256 total and max. */
const edgeBytes = 33;
const valueBytes = 64;
const rowBytes = edgeBytes + valueBytes;

/** Reads a staged snapshot's nodes (sorted addresses and kinds). */
export async function readSnapshotNodes(warehouse: Warehouse, staged: StagedSnapshot): Promise<GraphNodes> {
  const [header] = await queryRows<{ n: string }>(warehouse, `SELECT count() AS n FROM ${staged.nodesTable}`);
  const count = Number(header?.n ?? 0);
  const addresses: string[] = new Array(count);
  const kind = new Uint8Array(count);
  // Addresses are fixed-width text: one TSV line each, "0x…\t<kind>".
  const result = await warehouse.client.query({
    query: `SELECT address, kind FROM ${staged.nodesTable} ORDER BY idx`,
    format: 'TabSeparated',
  });
  const text = await result.text();
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const tab = text.indexOf('\t', at);
    const end = text.indexOf('\n', tab);
    addresses[i] = text.slice(at, tab);
    kind[i] = Number(text.slice(tab + 1, end));
    at = end + 1;
  }
  return { addresses, kind };
}

/**
 * Streams a staged snapshot's edges into typed arrays (sized from a count first, so nothing grows), sorted
 * by (src, dst, type, token): the order a CSR by source needs. Never one object per edge. The exact raw
 * totals and maxima (UInt256, 32 bytes little-endian each) go, chunk by chunk in edge order, to `writeValues`.
 */
export async function readSnapshotEdges(
  warehouse: Warehouse,
  staged: StagedSnapshot,
  writeValues: (bytes: Uint8Array) => void,
): Promise<GraphEdges> {
  const [header] = await queryRows<{ n: string }>(warehouse, `SELECT count() AS n FROM ${staged.edgesTable}`);
  const count = Number(header?.n ?? 0);
  const edges: GraphEdges = {
    src: new Uint32Array(count),
    dst: new Uint32Array(count),
    type: new Uint8Array(count),
    token: new Uint32Array(count),
    count: new Uint32Array(count),
    logTotal: new Float32Array(count),
    logMax: new Float32Array(count),
    firstBlock: new Uint32Array(count),
    lastBlock: new Uint32Array(count),
  };
  // Three lookups per edge in the address -> index Join table: no hash joins, integer sort keys.
  const index = (column: string) => `joinGet('${staged.indexTable}', 'idx', ${column})`;
  const query = `
    SELECT ${index('src')} AS s, ${index('dst')} AS d, type,
           if(token = '', toUInt32(${noToken}), ${index('token')}) AS k, toUInt32(least(n, 4294967295)),
           toFloat32(log1p(total_f)), toFloat32(log1p(toFloat64(top))),
           toUInt32(first_block), toUInt32(last_block), total, top
    FROM ${staged.edgesTable}
    ORDER BY s, d, type, k`;
  const carry = Buffer.alloc(rowBytes);
  let carried = 0;
  let row = 0;
  /** Reads the row at `at` of `bytes` into the columns, and copies its raw values to `values` at `to`. */
  const take = (bytes: Buffer, view: DataView, at: number, values: Buffer, to: number) => {
    if (row >= count) throw unexpected(`more than the ${count} edges counted`);
    edges.src[row] = view.getUint32(at, true);
    edges.dst[row] = view.getUint32(at + 4, true);
    edges.type[row] = view.getUint8(at + 8);
    edges.token[row] = view.getUint32(at + 9, true);
    edges.count[row] = view.getUint32(at + 13, true);
    edges.logTotal[row] = view.getFloat32(at + 17, true);
    edges.logMax[row] = view.getFloat32(at + 21, true);
    edges.firstBlock[row] = view.getUint32(at + 25, true);
    edges.lastBlock[row] = view.getUint32(at + 29, true);
    bytes.copy(values, to, at + edgeBytes, at + rowBytes);
    row += 1;
  };
  for await (const raw of warehouse.streamRowBinary(query)) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = Buffer.allocUnsafe((Math.floor((carried + chunk.byteLength) / rowBytes) + 1) * valueBytes);
    let written = 0;
    let at = 0;
    if (carried > 0) {
      const need = Math.min(rowBytes - carried, chunk.byteLength);
      chunk.copy(carry, carried, 0, need);
      carried += need;
      at = need;
      if (carried < rowBytes) continue;
      take(carry, new DataView(carry.buffer, carry.byteOffset, rowBytes), 0, values, written);
      written += valueBytes;
      carried = 0;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (; at + rowBytes <= chunk.byteLength; at += rowBytes) {
      take(chunk, view, at, values, written);
      written += valueBytes;
    }
    carried = chunk.byteLength - at;
    chunk.copy(carry, 0, at);
    writeValues(values.subarray(0, written));
  }
  if (carried > 0 || row !== count)
    throw unexpected(`${row} edges and ${carried} stray bytes, expected ${count} edges`);
  return edges;
}

function unexpected(what: string): NonRetryableError {
  return new NonRetryableError(`The warehouse streamed ${what}`, {
    code: 'SNAPSHOT_STREAM_INVALID',
    details: `Expected ${rowBytes}-byte RowBinary rows; the staging tables probably changed while being read.`,
  });
}
