import type { GraphEdges, GraphNodes } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';
import { edgeRowColumns, edgeRowOrder, foldEdgeRows } from './foldEdgeRows.js';
import type { StagedSnapshot } from './stageSnapshotGraph.js';

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
 * Streams a staged snapshot's edges into typed arrays, sorted by (src, dst, type, token): the order a CSR by
 * source needs. Never one object per edge: the interactions come sorted and are folded into edges as they
 * arrive. The exact raw totals and maxima (UInt256, 32 bytes little-endian each) go, chunk by chunk in edge
 * order, to `writeValues` (the bytes are reused after it returns: write or copy them).
 */
export async function readSnapshotEdges(
  warehouse: Warehouse,
  staged: StagedSnapshot,
  writeValues: (bytes: Uint8Array) => void,
): Promise<GraphEdges> {
  const rows = warehouse.streamRowBinary(
    `SELECT ${edgeRowColumns} FROM ${staged.rowsView} ORDER BY ${edgeRowOrder}`,
  );
  return foldEdgeRows(rows, writeValues, staged.valueBytes);
}
